package io.cnn4j.cli;

import io.cnn4j.data.ClipWriter;
import io.cnn4j.data.DataOptions;
import io.cnn4j.data.DataSplit;
import io.cnn4j.data.Datasets;
import io.cnn4j.data.InputSpec;
import io.cnn4j.data.MovingFashion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code cnn4j clips}: writes the moving-picture task as a folder of clips that {@code --data clips:DIR} reads. */
@Command(name = "clips", mixinStandardHelpOptions = true,
        description = {"Make video clips of pictures moving in one of 8 directions and write them as a folder of clips.",
                "In each clip a picture, shrunk to half the canvas, moves a fixed number of pixels a frame north, north-east,"
                        + " ... or north-west on a canvas that wraps around, from a random start; the class is the direction."
                        + " No single frame tells the direction. Clips go to DIR/train/<direction>/ and DIR/test/<direction>/,"
                        + " made from the training and test pictures; train on them with '--data clips:DIR'."})
final class ClipsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--output", paramLabel = "DIR", required = true,
            description = "The folder to write the clips into: a new or empty one.")
    Path output;

    @Option(names = "--data", paramLabel = "SPEC", description = "The pictures to move, as train's --data names them"
            + " (default: the full Fashion-MNIST when installed, else the embedded subset).")
    String data;

    @Option(names = "--frames", paramLabel = "T", defaultValue = "8", description = "Frames a clip (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--side", paramLabel = "S", defaultValue = "32",
            description = "The side of the square canvas in pixels (default: ${DEFAULT-VALUE}).")
    int side;

    @Option(names = "--speed", paramLabel = "P", defaultValue = "2",
            description = "Pixels the picture moves a frame along each axis it moves on (default: ${DEFAULT-VALUE}).")
    int speed;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the directions and starts (default: ${DEFAULT-VALUE}); the test clips use N + 1.")
    long seed;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "gif",
            description = "gif: one animated GIF a clip; png: one folder of PNG frames a clip (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--train-clips", paramLabel = "N", description = "Make clips of the first N training pictures only.")
    Integer trainClips;

    @Option(names = "--test-clips", paramLabel = "N", description = "Make clips of the first N test pictures only.")
    Integer testClips;

    @Override
    public Integer call() throws Exception {
        Bounds.between("--frames", frames, 1, InputSpec.MAX_FRAMES);
        ClipWriter.Format kind = switch (format.strip().toLowerCase(Locale.ROOT)) {
            case "gif" -> ClipWriter.Format.GIF;
            case "png" -> ClipWriter.Format.PNG;
            default -> throw new IllegalArgumentException("--format " + format + ": choose gif or png");
        };
        MovingFashion.Options options = new MovingFashion.Options(frames, side, speed, seed);
        requireEmpty(output);
        DataSplit pictures = Datasets.resolve(data, DataOptions.DEFAULT);
        if (pictures.train().isClip()) {
            throw new IllegalArgumentException("--data " + data + " is clips already; clips moves pictures");
        }
        int train = limit("--train-clips", trainClips, pictures.train().size());
        int test = limit("--test-clips", testClips, pictures.test().size());
        DataSplit clips = MovingFashion.split(pictures.subset(train, test), options);
        ClipWriter.write(clips, output, kind);
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d train and %d test clips of %s to %s/train and %s/test%n",
                clips.train().size(), clips.test().size(), InputSpec.format(clips.train().itemShape()), output, output);
        return 0;
    }

    private static int limit(String option, Integer given, int available) {
        if (given == null) {
            return available;
        }
        Bounds.between(option, given, 1, available);
        return given;
    }

    private static void requireEmpty(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--output " + dir + " is a file; give a new or empty folder");
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--output " + dir + " already holds files; give a new or empty folder");
                }
            }
        }
    }
}

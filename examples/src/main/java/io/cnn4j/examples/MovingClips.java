package io.cnn4j.examples;

import io.cnn4j.data.ClipFolder;
import io.cnn4j.data.ClipWriter;
import io.cnn4j.data.DataLoader;
import io.cnn4j.data.DataOptions;
import io.cnn4j.data.DataSplit;
import io.cnn4j.data.Datasets;
import io.cnn4j.data.MovingFashion;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.optim.Adam;
import io.cnn4j.tensor.Rng;
import io.cnn4j.train.Evaluator;
import io.cnn4j.train.Trainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Video classification end to end: makes clips of Fashion-MNIST pictures moving in one of eight directions,
 * writes them as animated GIFs, reads the folder back as {@code --data clips:DIR} would, trains the built-in
 * 3-D CNN {@code video3d} on them and prints its test accuracy, then does the same with one frame a clip,
 * which cannot tell the directions apart: the network learns from time, not from a picture.
 *
 * <p>Run it with {@code ./examples/run MovingClips [EPOCHS [TRAIN_CLIPS]]} (default 4 epochs of 10,000 clips
 * of 8 frames of 32x32; about four minutes an epoch on two cores).
 */
public final class MovingClips {
    private MovingClips() {
    }

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int trainClips = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        DataSplit pictures = Datasets.embedded();
        pictures = pictures.subset(Math.min(trainClips, pictures.train().size()), pictures.test().size());
        MovingFashion.Options options = MovingFashion.Options.DEFAULT;

        Path folder = Files.createTempDirectory("moving-clips");
        ClipWriter.write(MovingFashion.split(pictures, options), folder, ClipWriter.Format.GIF);
        DataSplit clips = ClipFolder.load(folder, DataOptions.DEFAULT.withFrames(options.frames()));
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        System.out.println("data: " + clips.description());
        System.out.printf("video3d, %d frames a clip: test accuracy %.4f%n", options.frames(), train(clips, epochs));

        DataSplit stills = MovingFashion.split(pictures, options.withFrames(1));
        System.out.printf("video3d, 1 frame a clip:  test accuracy %.4f (chance: 0.125)%n", train(stills, 1));
    }

    private static double train(DataSplit clips, int epochs) {
        Module model = Models.create("video3d", clips.train().itemShape(), clips.train().numClasses(), new Rng(0));
        new Trainer(model, new Adam(model.parameters(), 2e-3))
                .fit(DataLoader.shuffled(clips.train(), 32, 0), clips.test(), epochs)
                .forEach(e -> System.out.printf("  epoch %d: test accuracy %.4f%n", e.epoch(), e.testAccuracy()));
        return Evaluator.evaluate(model, clips.test(), 256, null).accuracy();
    }
}

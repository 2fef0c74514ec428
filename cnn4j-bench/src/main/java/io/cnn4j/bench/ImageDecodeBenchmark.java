package io.cnn4j.bench;

import io.cnn4j.data.DataFileException;
import io.cnn4j.data.ImageDecoder;
import io.cnn4j.data.Picture;
import io.cnn4j.data.Preprocessing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One picture file decoded into a data set's bytes by {@link ImageDecoder}, file read included: the cost
 * a folder of images pays once per image. The pictures are {@code side x side} RGB with a gradient and
 * noise (so they compress as photos do, not as flat colour), 256 of them read in turn.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ImageDecodeBenchmark {
    private static final int FILES = 256;

    @Param({"png", "jpeg"})
    public String format;

    @Param({"32"})
    public int side;

    /** {@link Preprocessing#spec()}'s form: the picture as it is, or resized. */
    @Param({"color=own size=own resize=stretch", "color=rgb size=64x64 resize=crop"})
    public String preprocessing;

    private Path dir;
    private List<Path> files;
    private Preprocessing prep;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("cnn4j-decode-bench");
        files = new ArrayList<>();
        Random random = new Random(1);
        for (int i = 0; i < FILES; i++) {
            BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    image.setRGB(x, y, (x * 255 / side + random.nextInt(16)) % 256 << 16
                            | (y * 255 / side + random.nextInt(16)) % 256 << 8 | random.nextInt(256));
                }
            }
            Path file = dir.resolve(i + "." + format);
            ImageIO.write(image, format, file.toFile());
            files.add(file);
        }
        prep = Preprocessing.parse(preprocessing);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public Picture decode() throws DataFileException {
        next = (next + 1) % FILES;
        return ImageDecoder.read(files.get(next), prep);
    }
}

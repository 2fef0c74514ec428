package io.cnn4j.data;

import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.tensor.Rng;

import java.util.List;
import java.util.Locale;

/**
 * A video task made from pictures: in each clip one picture, shrunk to half the canvas's side, moves
 * {@code speed} pixels a frame in one of eight compass directions, and the label is the direction. The
 * canvas wraps around (what leaves on one side comes back on the other) and the start is drawn uniformly
 * over the whole canvas, so every frame on its own puts the picture anywhere with the same probability
 * whatever the direction: only the change from frame to frame tells the directions apart, and a model
 * given one frame cannot beat chance (1 in 8).
 *
 * <p>Clip {@code i} is made from picture {@code i} with a generator seeded by the seed and {@code i} alone,
 * drawing the direction, then the start row, then the start column; so a seed fixes every clip, and the
 * clips of {@code T} frames begin with the clips of fewer frames.
 */
public final class MovingFashion {
    /** The directions, by label: north (up) first, then clockwise. */
    public static final List<String> DIRECTIONS = List.of("N", "NE", "E", "SE", "S", "SW", "W", "NW");
    /** Rows and columns a direction moves per pixel of speed, by label. */
    private static final int[] DY = {-1, -1, 0, 1, 1, 1, 0, -1};
    private static final int[] DX = {0, 1, 1, 1, 0, -1, -1, -1};

    private MovingFashion() {
    }

    /**
     * How the clips are made: {@code frames} frames (T) of a {@code side x side} canvas, the picture moving
     * {@code speed} pixels a frame along each axis it moves on (a diagonal moves on both), and the seed.
     */
    public record Options(int frames, int side, int speed, long seed) {
        /** Eight frames of 32x32, 2 pixels a frame, seed 0. */
        public static final Options DEFAULT = new Options(8, 32, 2, 0);

        public Options {
            if (frames < 1 || frames > InputSpec.MAX_FRAMES) {
                throw new IllegalArgumentException("moving clips have from 1 to " + InputSpec.MAX_FRAMES + " frames, got "
                        + frames);
            }
            if (side < 2 || side > Preprocessing.MAX_SIDE) {
                throw new IllegalArgumentException("the canvas of moving clips has a side from 2 to " + Preprocessing.MAX_SIDE
                        + " pixels, got " + side);
            }
            if (speed < 1 || speed >= side) {
                throw new IllegalArgumentException("moving clips move from 1 to " + (side - 1) + " pixels a frame on a "
                        + side + "-pixel canvas, got " + speed);
            }
        }

        /** These options with {@code t} frames. */
        public Options withFrames(int t) {
            return new Options(t, side, speed, seed);
        }

        /** The side the picture is shrunk to: half the canvas's. */
        public int itemSide() {
            return side / 2;
        }
    }

    /**
     * Train clips made from {@code pictures.train()} with {@code options}'s seed and test clips from
     * {@code pictures.test()} with the seed plus one.
     */
    public static DataSplit split(DataSplit pictures, Options options) {
        Dataset train = clips(pictures.train(), options);
        Dataset test = clips(pictures.test(), new Options(options.frames(), options.side(), options.speed(),
                options.seed() + 1));
        return new DataSplit(train, test, "moving " + pictures.description() + ": " + train.size() + " train, "
                + test.size() + " test clips of " + shape(options, pictures.train().channels()));
    }

    /** One clip per picture of {@code pictures}, labelled by {@link #DIRECTIONS}. */
    public static Dataset clips(Dataset pictures, Options options) {
        int c = pictures.channels();
        int t = options.frames();
        int side = options.side();
        int item = options.itemSide();
        long clipBytes = (long) c * t * side * side;
        long total = clipBytes * pictures.size();
        String what = String.format(Locale.ROOT, "%d moving clips of %s", pictures.size(), shape(options, c));
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(what + " would take " + MemoryBudget.format(total) + ", more than one array"
                    + " holds: make fewer, shorter or smaller clips");
        }
        MemoryBudget.require(total, "making " + what);
        byte[] out = new byte[(int) total];
        int[] labels = new int[pictures.size()];
        for (int i = 0; i < pictures.size(); i++) {
            Rng rng = generator(options.seed(), i);
            int direction = rng.nextInt(DIRECTIONS.size());
            int y0 = rng.nextInt(side);
            int x0 = rng.nextInt(side);
            labels[i] = direction;
            byte[] picture = PictureResize.resize(new Picture(pictures.itemBytes(i), c, pictures.height(), pictures.width()),
                    item, item).pixels();
            int[] step = step(direction, options.speed());
            for (int f = 0; f < t; f++) {
                int top = Math.floorMod(y0 + (long) f * step[0], side);
                int left = Math.floorMod(x0 + (long) f * step[1], side);
                for (int ch = 0; ch < c; ch++) {
                    int frame = (int) (i * clipBytes) + (ch * t + f) * side * side;
                    for (int y = 0; y < item; y++) {
                        int row = frame + (top + y) % side * side;
                        for (int x = 0; x < item; x++) {
                            out[row + (left + x) % side] = picture[(ch * item + y) * item + x];
                        }
                    }
                }
            }
        }
        return Dataset.clipsOver(out, labels, c, t, side, side, DIRECTIONS, "moving " + pictures.description() + ", "
                + shape(options, c));
    }

    /** Rows and columns the picture moves from one frame to the next in {@code direction} at {@code speed}. */
    static int[] step(int direction, int speed) {
        return new int[] {DY[direction] * speed, DX[direction] * speed};
    }

    /** Clip {@code index}'s own generator: the seed and the index hashed in turn, as {@link Augmentation} does. */
    private static Rng generator(long seed, int index) {
        long h = new Rng(seed).nextLong();
        return new Rng(new Rng(h ^ index).nextLong());
    }

    private static String shape(Options options, int channels) {
        return String.format(Locale.ROOT, "%dx%dx%dx%d, %d px a frame", channels, options.frames(), options.side(),
                options.side(), options.speed());
    }
}

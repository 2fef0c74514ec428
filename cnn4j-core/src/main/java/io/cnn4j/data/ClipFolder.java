package io.cnn4j.data;

import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * A data set of video clips in folders, one folder per class, as {@link ImageFolder} reads pictures: the
 * classes are the sub-folders' names, sorted, and either {@code DIR/train/<class>/…} with
 * {@code DIR/test/<class>/…} (or {@code DIR/val/}), or one {@code DIR/<class>/…} tree from which a share of
 * each class is held out for testing by the same seeded split.
 *
 * <p>A clip is an entry of a class folder: an animated GIF ({@code *.gif}, its frames composed as a viewer
 * shows them) or a folder whose picture files (any format pictures are read in) are its frames, in name
 * order. Other files, and hidden entries, are ignored. Every clip gives {@link DataOptions#frames()} frames,
 * T: a clip of {@code n >= T} frames gives frames {@code floor(k * n / T)} for {@code k = 0 .. T-1}, evenly
 * spread from the first; a clip of fewer frames is refused, naming it. Frames are converted and resized by
 * {@link DataOptions#preprocessing()} as pictures are; a clip's frames must all have one size, and without
 * resizing every clip must have the first clip's size. Clips are gray when all their frames are, colour
 * when any is (gray clips then replicated to three channels), unless the preprocessing says which.
 */
public final class ClipFolder {
    /** The keyword of {@code --data clips:DIR}. */
    public static final String PREFIX = "clips:";

    private ClipFolder() {
    }

    /** The clips in {@code dir}, read as its layout and {@code options} say, as {@code [C, T, H, W]} items. */
    public static DataSplit load(Path dir, DataOptions options) throws IOException {
        ImageFolder.Layout layout = ImageFolder.Layout.of(dir, "clip folder " + dir + " does not exist",
                dir + " is a file, not a folder of clips");
        Path testDir = layout.testDir();
        List<String> classes = layout.classes();
        List<Path> clips = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        entries(layout.classRoot(), classes, clips, labels);
        int trainCount = clips.size();
        if (testDir != null) {
            entries(testDir, classes, clips, labels);
        }
        Dataset all = decode(clips, labels.stream().mapToInt(Integer::intValue).toArray(), classes, options,
                "clips (" + dir + ")");
        boolean[] test = new boolean[all.size()];
        if (testDir != null) {
            for (int i = trainCount; i < test.length; i++) {
                test[i] = true;
            }
        } else {
            ImageFolder.carve(all.labels(), classes.size(), options.testSplit(), options.splitSeed(), test);
        }
        int[] trainIndices = IntStream.range(0, test.length).filter(i -> !test[i]).toArray();
        int[] testIndices = IntStream.range(0, test.length).filter(i -> test[i]).toArray();
        if (testIndices.length == 0) {
            throw new DataFileException(dir.toString(), dir + " leaves no clips for testing: each class keeps its only"
                    + " clip for training; add clips, or a test folder");
        }
        String where = "clips (" + dir;
        Dataset train = all.select(trainIndices, where + ", " + trainIndices.length + " train clips)");
        Dataset testSet = all.select(testIndices, where + ", " + testIndices.length + " test clips)");
        String source = testDir != null ? "" : ", " + testIndices.length + " held out for testing";
        return new DataSplit(train, testSet, where + ": " + train.size() + " train, " + testSet.size() + " test clips of "
                + train.itemShape() + source + ")");
    }

    /**
     * The frames of one clip, a GIF or a folder of pictures, {@code frames} of them picked as the class
     * says, each converted and resized by {@code preprocessing}.
     */
    public static List<Picture> read(Path clip, int frames, Preprocessing preprocessing) throws DataFileException {
        GifFrames.FramePick pick = (count, where) -> pick(count, frames, where);
        List<Picture> own;
        String source = clip.toString();
        if (Files.isDirectory(clip)) {
            List<Path> files = new ArrayList<>();
            try {
                for (Path p : ImageFolder.list(clip)) {
                    String name = p.getFileName().toString();
                    if (!name.startsWith(".") && !Files.isDirectory(p) && ImageFolder.isPictureName(name)) {
                        files.add(p);
                    }
                }
            } catch (DataFileException e) {
                throw e;
            } catch (IOException e) {
                throw new DataFileException(source, "clip folder " + source + " cannot be listed: "
                        + DataFileException.reason(e), e);
            }
            files.sort((a, b) -> ImageFolder.CODE_POINT_ORDER.compare(a.getFileName().toString(),
                    b.getFileName().toString()));
            own = new ArrayList<>();
            for (int i : pick.frames(files.size(), source)) {
                own.add(ImageDecoder.decode(files.get(i)));
            }
        } else {
            own = GifFrames.read(clip, pick);
        }
        Picture first = own.getFirst();
        List<Picture> out = new ArrayList<>();
        for (int k = 0; k < own.size(); k++) {
            Picture p = own.get(k);
            if (p.height() != first.height() || p.width() != first.width()) {
                throw new DataFileException(source, String.format(Locale.ROOT, "clip %s has frames of different sizes:"
                        + " frame %d is %dx%d, frame 0 is %dx%d (frames used, counted from 0)", source, k, p.width(),
                        p.height(), first.width(), first.height()));
            }
            out.add(ImageDecoder.prepare(p, preprocessing, null));
        }
        return out;
    }

    /**
     * The clip at {@code clip} as a model of clips of {@code shape}, {@code [C, T, H, W]}, takes it:
     * {@code [1, C, T, H, W]} in [0, 1], read by {@code preprocessing} (which makes C channels of H x W).
     */
    public static Tensor tensor(Path clip, Shape shape, Preprocessing preprocessing) throws DataFileException {
        List<Picture> frames = read(clip, shape.dim(1), preprocessing);
        int plane = shape.dim(2) * shape.dim(3);
        float[] out = new float[shape.size()];
        for (int f = 0; f < frames.size(); f++) {
            byte[] p = frames.get(f).pixels();
            for (int c = 0; c < shape.dim(0); c++) {
                for (int i = 0; i < plane; i++) {
                    out[(c * frames.size() + f) * plane + i] = (p[c * plane + i] & 0xff) / 255f;
                }
            }
        }
        return Tensor.of(out, 1, shape.dim(0), shape.dim(1), shape.dim(2), shape.dim(3));
    }

    /** Which frames a clip of {@code count} gives for {@code frames}: evenly spread, or an error naming the clip. */
    static int[] pick(int count, int frames, String source) throws DataFileException {
        if (count == 0) {
            throw new DataFileException(source, "clip " + source + " holds no frames");
        }
        if (count < frames) {
            throw new DataFileException(source, "clip " + source + " has " + count + (count == 1 ? " frame" : " frames")
                    + ", fewer than the " + frames + " each clip gives; give fewer --frames or a longer clip");
        }
        int[] out = new int[frames];
        for (int k = 0; k < frames; k++) {
            out[k] = (int) ((long) k * count / frames);
        }
        return out;
    }

    /** The clips of every class under {@code root} in sorted name order, or an error naming a class with none. */
    private static void entries(Path root, List<String> classes, List<Path> clips, List<Integer> labels) throws IOException {
        for (int label = 0; label < classes.size(); label++) {
            Path classDir = root.resolve(classes.get(label));
            List<Path> found = new ArrayList<>();
            for (Path p : ImageFolder.list(classDir)) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && (Files.isDirectory(p) || name.toLowerCase(Locale.ROOT).endsWith(".gif"))) {
                    found.add(p);
                }
            }
            if (found.isEmpty()) {
                throw new DataFileException(classDir.toString(), "class folder " + classDir + " holds no clips (animated"
                        + " .gif files, or folders of frame pictures)");
            }
            found.sort((a, b) -> ImageFolder.CODE_POINT_ORDER.compare(a.getFileName().toString(),
                    b.getFileName().toString()));
            for (Path clip : found) {
                clips.add(clip);
                labels.add(label);
            }
        }
    }

    /** Every clip's frames, packed as {@code [N, C, T, H, W]} bytes. */
    private static Dataset decode(List<Path> clips, int[] labels, List<String> classes, DataOptions options,
                                  String description) throws DataFileException {
        int t = options.frames();
        Preprocessing preprocessing = options.preprocessing();
        List<List<Picture>> decoded = new ArrayList<>();
        int channels = preprocessing.color() == null ? 1 : preprocessing.color() == ColorMode.GRAY ? 1 : 3;
        Picture size = null;
        for (int i = 0; i < clips.size(); i++) {
            List<Picture> frames = read(clips.get(i), t, preprocessing);
            Picture first = frames.getFirst();
            if (size == null) {
                size = first;
            } else if (first.height() != size.height() || first.width() != size.width()) {
                throw new DataFileException(clips.get(i).toString(), String.format(Locale.ROOT, "clip %s is %dx%d, but"
                        + " clip %s is %dx%d: give --image-size to resize every clip to one size", clips.get(i),
                        first.width(), first.height(), clips.getFirst(), size.width(), size.height()));
            }
            for (Picture frame : frames) {
                channels = Math.max(channels, frame.channels());
            }
            decoded.add(frames);
            if (options.progress() != null) {
                options.progress().decoded(description, i + 1, clips.size());
            }
        }
        int plane = size.height() * size.width();
        long total = (long) clips.size() * channels * t * plane;
        MemoryBudget.require(total, "holding " + clips.size() + " clips of " + channels + "x" + t + "x" + size.height()
                + "x" + size.width());
        if (total > Integer.MAX_VALUE - 8) {
            throw new DataFileException(description, description + " would take " + MemoryBudget.format(total)
                    + " as bytes, more than one array holds: give fewer --frames or a smaller --image-size");
        }
        byte[] pixels = new byte[(int) total];
        for (int i = 0; i < decoded.size(); i++) {
            List<Picture> frames = decoded.get(i);
            for (int f = 0; f < t; f++) {
                Picture p = frames.get(f);
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(p.pixels(), (p.channels() == 1 ? 0 : c) * plane, pixels,
                            (int) ((((long) i * channels + c) * t + f) * plane), plane);
                }
            }
        }
        return Dataset.clipsOver(pixels, labels, channels, t, size.height(), size.width(), classes, description);
    }
}

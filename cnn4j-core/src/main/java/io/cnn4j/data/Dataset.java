package io.cnn4j.data;

import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable set of labelled images: {@code N} images of {@code [C, H, W]} unsigned-byte pixels, each
 * with a class label in {@code [0, numClasses)}; or of labelled clips, {@code N} items of {@code [C, T, H, W]}
 * ({@code T} frames of {@code [H, W]} per channel, as PyTorch's {@code Conv3d} takes them), served as
 * {@code [B, C, T, H, W]} batches. {@link #itemShape()} is either; {@link #imageShape()} is always one picture's.
 *
 * <p>Pixels are kept as the file's bytes (a quarter of the memory of floats), either in the heap or in a
 * memory-mapped file (a decoded-picture cache), so that a data set larger than the heap stays on disk and
 * only the batches being served are read; both behave the same. They are turned into float32
 * {@code [B, C, H, W]} tensors on demand, scaled to [0, 1] by dividing by 255 and nothing else: no mean or
 * standard-deviation normalisation, as torchvision's {@code ToTensor()}. Fashion-MNIST is light objects on
 * a dark background, so 0 is background.
 *
 * <p>Immutable, so it is safe to share between threads and loaders; {@link #subset(int)} shares storage.
 */
public final class Dataset {
    /**
     * {@code SCALE[b] = b / 255f}, correctly rounded, the same floats as PyTorch's {@code x.float() / 255};
     * multiplying by {@code 1/255f} instead would be off by one ulp for some bytes.
     */
    private static final float[] SCALE = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            SCALE[b] = b / 255f;
        }
    }

    /**
     * Row-major {@code [rows, C, H, W]} (or {@code [rows, C, T, H, W]}) in the heap, or null when the pixels
     * are {@link #mapped}. Either may hold rows this dataset does not use (it is a subset or a selection of
     * another).
     */
    private final byte[] pixels;
    private final MemorySegment mapped;
    /** The storage row of each image, or null when image {@code i} is row {@code i}. */
    private final int[] rows;
    private final int[] labels;
    private final int channels;
    /** T of a clip; 0 for an image, which has no time axis (a one-frame clip is still a clip, of rank 4). */
    private final int frames;
    private final int height;
    private final int width;
    private final List<String> classNames;
    private final String description;

    private Dataset(byte[] pixels, MemorySegment mapped, int[] rows, int[] labels, int channels, int frames, int height,
                    int width, List<String> classNames, String description) {
        this.pixels = pixels;
        this.mapped = mapped;
        this.rows = rows;
        this.labels = labels;
        this.channels = channels;
        this.frames = frames;
        this.height = height;
        this.width = width;
        this.classNames = classNames;
        this.description = description;
    }

    /**
     * A dataset of {@code labels.length} images from {@code pixels}, row-major {@code [N, C, H, W]} unsigned
     * bytes. Both arrays are copied. Labels must lie in {@code [0, classNames.size())}.
     */
    public static Dataset of(byte[] pixels, int[] labels, int channels, int height, int width,
                             List<String> classNames, String description) {
        return of(pixels.clone(), labels.clone(), new int[] {channels, height, width}, classNames, description);
    }

    /**
     * A dataset of {@code labels.length} clips of {@code [C, T, H, W]} from {@code pixels}, row-major
     * {@code [N, C, T, H, W]} unsigned bytes, as {@link #of(byte[], int[], int, int, int, List, String)}.
     */
    public static Dataset ofClips(byte[] pixels, int[] labels, int channels, int frames, int height, int width,
                                  List<String> classNames, String description) {
        return clipsOver(pixels.clone(), labels.clone(), channels, frames, height, width, classNames, description);
    }

    /** {@link #ofClips} over {@code pixels} and {@code labels} as they are, not copied: the caller lets go of them. */
    static Dataset clipsOver(byte[] pixels, int[] labels, int channels, int frames, int height, int width,
                             List<String> classNames, String description) {
        return of(pixels, labels, new int[] {channels, frames, height, width}, classNames, description);
    }

    /** A dataset over {@code pixels} and {@code labels}, checked, not copied. */
    private static Dataset of(byte[] pixels, int[] labels, int[] item, List<String> classNames, String description) {
        Objects.requireNonNull(description, "description");
        String where = "dataset '" + description + "'";
        String kind = item.length == 3 ? "images" : "clips";
        if (Arrays.stream(item).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException(where + ": " + (item.length == 3 ? "image" : "clip") + " shape "
                    + Arrays.toString(item) + " must be positive");
        }
        long expected = labels.length * Arrays.stream(item).asLongStream().reduce(1, Math::multiplyExact);
        if (pixels.length != expected) {
            throw new IllegalArgumentException(where + ": " + labels.length + " " + kind + " of " + Arrays.toString(item)
                    + " need " + expected + " pixel bytes, got " + pixels.length);
        }
        List<String> names = List.copyOf(classNames);
        int bad = firstLabelOutOfRange(labels, names.size());
        if (bad >= 0) {
            throw new IllegalArgumentException(where + ": label " + labels[bad] + " at index " + bad
                    + " is outside the " + names.size() + " classes (0 to " + (names.size() - 1) + ")");
        }
        int frames = item.length == 4 ? item[1] : 0;
        return new Dataset(pixels, null, null, labels, item[0], frames, item[item.length - 2],
                item[item.length - 1], names, description);
    }

    /**
     * A dataset over {@code pixels}, row-major {@code [N, C, H, W]} bytes that are not copied: in the heap
     * ({@link MemorySegment#ofArray(byte[])}) or mapped from a file. The labels, already checked against the
     * classes, are not copied either.
     */
    static Dataset over(MemorySegment pixels, int[] labels, int channels, int height, int width,
                        List<String> classNames, String description) {
        if (pixels.byteSize() != (long) labels.length * channels * height * width) {
            throw new IllegalArgumentException("dataset '" + description + "': " + labels.length + " images of ["
                    + channels + ", " + height + ", " + width + "] do not fill " + pixels.byteSize() + " pixel bytes");
        }
        byte[] heap = pixels.heapBase().orElse(null) instanceof byte[] array && array.length == pixels.byteSize()
                ? array : null;
        return new Dataset(heap, heap == null ? pixels : null, null, labels, channels, 0, height, width,
                List.copyOf(classNames), description);
    }

    /**
     * Pairs an image file ({@code [N, H, W]}, one channel, or {@code [N, C, H, W]}) with a label file
     * ({@code [N]}). The image bytes are used without copying.
     *
     * @throws DataFileException naming both files when their counts differ, the images file when it holds
     *                           none, or the labels file when a label is not a valid class
     */
    public static Dataset fromIdx(IdxFile images, IdxFile labels, List<String> classNames, String description)
            throws DataFileException {
        if (images.rank() != 3 && images.rank() != 4) {
            throw new DataFileException(images.source(), images.source() + " is not an image file: its IDX"
                    + " dimensions are " + Arrays.toString(images.dims()) + ", expected [N, H, W] or [N, C, H, W]");
        }
        if (labels.rank() != 1) {
            throw new DataFileException(labels.source(), labels.source() + " is not a label file: its IDX"
                    + " dimensions are " + Arrays.toString(labels.dims()) + ", expected [N]");
        }
        if (images.count() != labels.count()) {
            throw new DataFileException(images.source(), "image and label files disagree: " + images.source()
                    + " holds " + images.count() + " images but " + labels.source() + " holds " + labels.count()
                    + " labels");
        }
        if (images.count() == 0) {
            throw new DataFileException(images.source(), images.source() + " holds no images: there is nothing to"
                    + " train or evaluate on");
        }
        if (Arrays.stream(images.dims()).skip(1).anyMatch(d -> d == 0)) {
            throw new DataFileException(images.source(), images.source() + " has zero-sized images "
                    + Arrays.toString(images.dims()));
        }
        byte[] raw = labels.bytes();
        int[] ints = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            ints[i] = raw[i] & 0xff;
        }
        List<String> names = List.copyOf(classNames);
        int bad = firstLabelOutOfRange(ints, names.size());
        if (bad >= 0) {
            throw new DataFileException(labels.source(), labels.source() + " has label " + ints[bad] + " at index "
                    + bad + ", outside the " + names.size() + " classes (0 to " + (names.size() - 1) + ")");
        }
        boolean chw = images.rank() == 4;
        return new Dataset(images.bytes(), null, null, ints, chw ? images.dim(1) : 1, 0, images.dim(chw ? 2 : 1),
                images.dim(chw ? 3 : 2), names, description);
    }

    private static int firstLabelOutOfRange(int[] labels, int classes) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                return i;
            }
        }
        return -1;
    }

    /** The number of images (or clips), N. */
    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    /** Whether the items are clips, {@code [C, T, H, W]}, rather than images. */
    public boolean isClip() {
        return frames > 0;
    }

    /** T, the frames of a clip; 1 for an image. */
    public int frames() {
        return Math.max(frames, 1);
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** {@code [C, H, W]} of one image, or of one frame of a clip. */
    public Shape imageShape() {
        return Shape.of(channels, height, width);
    }

    /** Values per image, or per frame of a clip, {@code C * H * W}. */
    public int imageSize() {
        return channels * height * width;
    }

    /** What a model takes of one item: {@code [C, H, W]} of an image, {@code [C, T, H, W]} of a clip. */
    public Shape itemShape() {
        return isClip() ? Shape.of(channels, frames, height, width) : imageShape();
    }

    /** Values per item, {@code C * H * W} or {@code C * T * H * W}. */
    public int itemSize() {
        return channels * frames() * height * width;
    }

    /** The shape of a batch of {@code b} items: {@code [B, C, H, W]} or {@code [B, C, T, H, W]}. */
    public Shape batchShape(int b) {
        return isClip() ? Shape.of(b, channels, frames, height, width) : Shape.of(b, channels, height, width);
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Class names by label, e.g. {@code "T-shirt/top"} for label 0 of Fashion-MNIST. */
    public List<String> classNames() {
        return classNames;
    }

    public String className(int label) {
        return classNames.get(label);
    }

    /** Where the data came from, for people: {@code "Fashion-MNIST (embedded subset, 10000 train images)"}. */
    public String description() {
        return description;
    }

    public int label(int index) {
        checkIndex(index);
        return labels[index];
    }

    /** A copy of all labels, in file order. */
    public int[] labels() {
        return labels.clone();
    }

    /** How many images each class has, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The first {@code n} images (sharing this dataset's storage), described as such. */
    public Dataset subset(int n) {
        if (n < 0 || n > size()) {
            throw new IllegalArgumentException("subset of " + n + " images from dataset '" + description
                    + "', which has " + size());
        }
        if (n == size()) {
            return this;
        }
        return new Dataset(pixels, mapped, rows == null ? null : Arrays.copyOf(rows, n), Arrays.copyOf(labels, n),
                channels, frames, height, width, classNames, "first " + n + " of " + description);
    }

    /**
     * The images at {@code indices}, in that order, as a new dataset sharing this one's pixels (no pixel is
     * copied, so a selection of a data set larger than the heap costs only its indices): for carving a
     * validation set out of a training set, or a test set out of a folder of pictures.
     */
    public Dataset select(int[] indices, String newDescription) {
        int[] selectedRows = new int[indices.length];
        int[] selectedLabels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = checkIndex(indices[k]);
            selectedRows[k] = row(i);
            selectedLabels[k] = labels[i];
        }
        return new Dataset(pixels, mapped, selectedRows, selectedLabels, channels, frames, height, width, classNames,
                Objects.requireNonNull(newDescription));
    }

    /**
     * The images at {@code indices}, in that order, copied into storage of their own: unlike {@link #select},
     * the result does not hold on to this data set's pixels, which can then be freed (a worker keeping its
     * shard of a data set it loaded whole).
     */
    public Dataset copyOf(int[] indices, String newDescription) {
        int n = itemSize();
        byte[] copied = new byte[Math.multiplyExact(indices.length, n)];
        int[] copiedLabels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(itemBytes(indices[k]), 0, copied, k * n, n);
            copiedLabels[k] = labels[indices[k]];
        }
        return new Dataset(copied, null, null, copiedLabels, channels, frames, height, width, classNames,
                Objects.requireNonNull(newDescription));
    }

    /** The same images and labels under another description. */
    public Dataset withDescription(String newDescription) {
        return new Dataset(pixels, mapped, rows, labels, channels, frames, height, width, classNames,
                Objects.requireNonNull(newDescription));
    }

    /** Whether the pixels are read from a memory-mapped file rather than held in the heap. */
    public boolean isMapped() {
        return mapped != null;
    }

    /** Image {@code index} as a {@code [1, C, H, W]} tensor in [0, 1] (a clip as {@code [1, C, T, H, W]}). */
    public Tensor image(int index) {
        return batch(index);
    }

    /** The images (or clips) at {@code indices}, in that order, as a new {@link #batchShape} tensor in [0, 1]. */
    public Tensor batch(int... indices) {
        float[] out = new float[indices.length * itemSize()];
        copyImages(indices, 0, indices.length, out, 0);
        return Tensor.of(out, batchShape(indices.length).dims());
    }

    /**
     * Writes the images at {@code indices[from..to)} into {@code out} from {@code outOffset}, as
     * {@code (to - from) * itemSize()} floats in [0, 1]: the allocation-free path for a loader that reuses
     * its buffers.
     */
    public void copyImages(int[] indices, int from, int to, float[] out, int outOffset) {
        int n = itemSize();
        Objects.checkFromToIndex(from, to, indices.length);
        Objects.checkFromIndexSize(outOffset, (to - from) * n, out.length);
        // Mapped pixels come through the heap one image at a time: a bulk copy, then the same loop.
        byte[] image = pixels != null ? pixels : new byte[n];
        int o = outOffset;
        for (int k = from; k < to; k++) {
            int row = row(checkIndex(indices[k]));
            int src = row * n;
            if (pixels == null) {
                MemorySegment.copy(mapped, ValueLayout.JAVA_BYTE, (long) row * n, image, 0, n);
                src = 0;
            }
            for (int j = 0; j < n; j++) {
                out[o++] = SCALE[image[src + j] & 0xff];
            }
        }
    }

    /** The bytes of item {@code index}, {@link #itemSize()} of them, as stored. */
    byte[] itemBytes(int index) {
        int n = itemSize();
        long from = (long) row(checkIndex(index)) * n;
        byte[] out = new byte[n];
        if (pixels != null) {
            System.arraycopy(pixels, (int) from, out, 0, n);
        } else {
            MemorySegment.copy(mapped, ValueLayout.JAVA_BYTE, from, out, 0, n);
        }
        return out;
    }

    private int row(int index) {
        return rows == null ? index : rows[index];
    }

    /** Writes the labels at {@code indices[from..to)} into {@code out} from {@code outOffset}. */
    public void copyLabels(int[] indices, int from, int to, int[] out, int outOffset) {
        Objects.checkFromToIndex(from, to, indices.length);
        Objects.checkFromIndexSize(outOffset, to - from, out.length);
        for (int k = from; k < to; k++) {
            out[outOffset + k - from] = labels[checkIndex(indices[k])];
        }
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= labels.length) {
            throw new IndexOutOfBoundsException("image " + index + " of dataset '" + description + "', which has "
                    + labels.length + " images");
        }
        return index;
    }

    @Override
    public String toString() {
        return description + ": " + size() + (isClip() ? " clips of " : " images of ") + itemShape() + ", " + numClasses()
                + " classes";
    }
}

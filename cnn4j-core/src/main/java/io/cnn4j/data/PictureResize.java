package io.cnn4j.data;

import java.util.Arrays;

/**
 * Resizes a {@link Picture} exactly as PIL's {@code Image.resize(size, Image.BILINEAR)} does (and so
 * torchvision's {@code Resize} on a PIL image): a horizontal pass then a vertical one, each skipped when
 * its side keeps its length; a triangle filter whose support widens by the scale factor when shrinking,
 * so that every input pixel contributes (antialiasing); coefficients normalised to sum 1 in double
 * precision, then rounded to 22-bit fixed point, and each pass's sums rounded and clipped to bytes.
 * Both passes must round as PIL's do for the bytes to agree.
 *
 * <p>{@link #fit} fits a picture to a size by a {@link ResizeMode}.
 */
final class PictureResize {
    /** PIL's {@code PRECISION_BITS}: 32 bits less 8 for the sample and 2 for the sums' headroom. */
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    private PictureResize() {
    }

    /** {@code picture} resized to {@code height x width}, every channel alike. */
    static Picture resize(Picture picture, int height, int width) {
        int c = picture.channels();
        int h = picture.height();
        int w = picture.width();
        byte[] pixels = picture.pixels();
        if (w != width) {
            pixels = horizontalPass(pixels, c * h, w, width, Coefficients.of(w, width));
            w = width;
        }
        if (h != height) {
            byte[] out = new byte[c * height * w];
            Coefficients rows = Coefficients.of(h, height);
            for (int ch = 0; ch < c; ch++) {
                verticalPass(pixels, ch * h * w, out, ch * height * w, w, height, rows);
            }
            pixels = out;
        }
        return pixels == picture.pixels() ? picture : new Picture(pixels, c, height, width);
    }

    /** Resizes every row of {@code src} ({@code rows} of {@code in} bytes) to {@code out} bytes. */
    private static byte[] horizontalPass(byte[] src, int rows, int in, int out, Coefficients k) {
        byte[] dst = new byte[rows * out];
        int[] firsts = k.first;
        int[] counts = k.count;
        int[] weights = k.weights;
        int size = k.size;
        for (int r = 0; r < rows; r++) {
            int base = r * in;
            int to = r * out;
            for (int o = 0, at = 0; o < out; o++, at += size) {
                int from = base + firsts[o];
                int sum = HALF;
                for (int i = 0, n = counts[o]; i < n; i++) {
                    sum += (src[from + i] & 0xff) * weights[at + i];
                }
                dst[to + o] = clip(sum);
            }
        }
        return dst;
    }

    private static void verticalPass(byte[] src, int from, byte[] dst, int to, int w, int height, Coefficients k) {
        int[] sums = new int[w];
        for (int o = 0; o < height; o++) {
            Arrays.fill(sums, HALF);
            int first = k.first[o];
            int at = o * k.size;
            for (int i = 0; i < k.count[o]; i++) {
                int weight = k.weights[at + i];
                int row = from + (first + i) * w;
                for (int x = 0; x < w; x++) {
                    sums[x] += (src[row + x] & 0xff) * weight;
                }
            }
            int out = to + o * w;
            for (int x = 0; x < w; x++) {
                dst[out + x] = clip(sums[x]);
            }
        }
    }

    private static byte clip(int sum) {
        int v = sum >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
    }

    /**
     * {@code picture} fitted to {@code height x width} by {@code mode}. {@code STRETCH} resizes to the size,
     * distorting the aspect ratio. {@code CROP} is torchvision's {@code Resize(min(height, width))} followed by
     * {@code CenterCrop((height, width))} for a square size, and in general scales the picture by the larger
     * of the two factors so that it covers the size (the other side's length truncated, as torchvision's is),
     * then cuts out the centre, its top-left corner rounded as {@code CenterCrop} rounds it (half to even).
     * {@code PAD} scales by the smaller factor so that the whole picture fits, and centres it on black.
     */
    static Picture fit(Picture picture, int height, int width, ResizeMode mode) {
        int h = picture.height();
        int w = picture.width();
        if (h == height && w == width) {
            return picture;
        }
        return switch (mode) {
            case STRETCH -> resize(picture, height, width);
            case CROP -> {
                boolean byHeight = (long) height * w >= (long) width * h;
                int sh = byHeight ? height : Math.max(height, (int) ((long) width * h / w));
                int sw = byHeight ? Math.max(width, (int) ((long) height * w / h)) : width;
                yield crop(resize(picture, sh, sw), height, width);
            }
            case PAD -> {
                boolean byHeight = (long) height * w <= (long) width * h;
                int sh = byHeight ? height : Math.max(1, (int) ((long) width * h / w));
                int sw = byHeight ? Math.max(1, (int) ((long) height * w / h)) : width;
                yield pad(resize(picture, sh, sw), height, width);
            }
        };
    }

    /** The centre {@code height x width} of a picture at least that large. */
    private static Picture crop(Picture p, int height, int width) {
        int top = centred(p.height() - height);
        int left = centred(p.width() - width);
        return place(p, height, width, top, left, 0, 0, height, width);
    }

    /** A picture no larger than {@code height x width}, centred on black. */
    private static Picture pad(Picture p, int height, int width) {
        int top = centred(height - p.height());
        int left = centred(width - p.width());
        return place(p, height, width, 0, 0, top, left, p.height(), p.width());
    }

    /** torchvision's {@code int(round(extra / 2.0))}: Python rounds halves to even. */
    private static int centred(int extra) {
        return (int) Math.rint(extra / 2.0);
    }

    /** Copies {@code rows x cols} from {@code (top, left)} of {@code p} to {@code (y, x)} of a black picture. */
    private static Picture place(Picture p, int height, int width, int top, int left, int y, int x, int rows, int cols) {
        int c = p.channels();
        byte[] out = new byte[c * height * width];
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(p.pixels(), (ch * p.height() + top + r) * p.width() + left, out,
                        (ch * height + y + r) * width + x, cols);
            }
        }
        return new Picture(out, c, height, width);
    }

    /**
     * PIL's {@code precompute_coeffs} for the bilinear filter, in fixed point: output {@code o} reads
     * {@code count[o]} inputs from {@code first[o]}, weighted by {@code weights[o * size ..]}.
     */
    private record Coefficients(int[] first, int[] count, int[] weights, int size) {
        static Coefficients of(int in, int out) {
            double scale = (double) in / out;
            double filterScale = Math.max(1.0, scale);
            double support = filterScale; // the triangle's support of 1, widened when shrinking
            double reciprocal = 1.0 / filterScale; // PIL multiplies by it; dividing could differ in the last bit
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] first = new int[out];
            int[] count = new int[out];
            int[] weights = new int[out * size];
            double[] k = new double[size];
            for (int o = 0; o < out; o++) {
                double centre = (o + 0.5) * scale;
                // (int) truncates toward zero as C's cast does; PIL rounds the bounds that way.
                int lo = Math.max(0, (int) (centre - support + 0.5));
                int n = Math.min(in, (int) (centre + support + 0.5)) - lo;
                double total = 0;
                for (int i = 0; i < n; i++) {
                    double t = Math.abs((i + lo - centre + 0.5) * reciprocal);
                    k[i] = t < 1 ? 1 - t : 0;
                    total += k[i];
                }
                int[] fixed = new int[n];
                for (int i = 0; i < n; i++) {
                    double v = total != 0 ? k[i] / total : k[i];
                    fixed[i] = (int) (v < 0 ? v * (1 << PRECISION_BITS) - 0.5 : v * (1 << PRECISION_BITS) + 0.5);
                }
                // Taps of weight 0 add nothing to PIL's sums: leaving them out changes no byte.
                int skip = 0;
                while (skip < n - 1 && fixed[skip] == 0) {
                    skip++;
                }
                int end = n;
                while (end > skip + 1 && fixed[end - 1] == 0) {
                    end--;
                }
                System.arraycopy(fixed, skip, weights, o * size, end - skip);
                first[o] = lo + skip;
                count[o] = end - skip;
            }
            return new Coefficients(first, count, weights, size);
        }
    }
}

package io.cnn4j.data;

/**
 * Resizes a one-channel float image, one axis at a time: area averaging along an axis that shrinks
 * (each output pixel is the mean of the input area it covers, so thin strokes fade rather than vanish)
 * and bilinear interpolation along an axis that grows (pixel centres aligned as PyTorch's
 * {@code align_corners=False}). Deterministic, unlike java.awt's scaling, whose result depends on
 * rendering hints and the platform.
 */
final class Resample {
    private Resample() {
    }

    /** {@code src} row-major {@code [h, w]} to a new row-major {@code [outH, outW]}. */
    static float[] resize(float[] src, int h, int w, int outH, int outW) {
        Weights cols = Weights.of(w, outW);
        Weights rows = Weights.of(h, outH);
        float[] wide = new float[h * outW];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < outW; x++) {
                wide[y * outW + x] = cols.apply(src, y * w, 1, x);
            }
        }
        float[] out = new float[outH * outW];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                out[y * outW + x] = rows.apply(wide, x, outW, y);
            }
        }
        return out;
    }

    /** For each output position, the input positions it reads ({@code first..}) and their weights. */
    private record Weights(int[] first, float[][] weights) {
        static Weights of(int in, int out) {
            int[] first = new int[out];
            float[][] weights = new float[out][];
            double scale = (double) in / out;
            for (int o = 0; o < out; o++) {
                if (out < in) {
                    double lo = o * scale;
                    double hi = (o + 1) * scale;
                    int i0 = (int) Math.floor(lo);
                    int i1 = Math.min(in, (int) Math.ceil(hi));
                    first[o] = i0;
                    weights[o] = new float[i1 - i0];
                    for (int i = i0; i < i1; i++) {
                        weights[o][i - i0] = (float) ((Math.min(hi, i + 1) - Math.max(lo, i)) / scale);
                    }
                } else {
                    double centre = Math.min(in - 1, Math.max(0, (o + 0.5) * scale - 0.5));
                    int i0 = (int) Math.floor(centre);
                    float t = (float) (centre - i0);
                    first[o] = i0;
                    weights[o] = i0 + 1 < in ? new float[] {1 - t, t} : new float[] {1};
                }
            }
            return new Weights(first, weights);
        }

        /** Output {@code o} along an axis of {@code src} that starts at {@code base} and steps by {@code stride}. */
        float apply(float[] src, int base, int stride, int o) {
            float[] w = weights[o];
            int i = base + first[o] * stride;
            float sum = 0;
            for (float v : w) {
                sum += v * src[i];
                i += stride;
            }
            return sum;
        }
    }
}

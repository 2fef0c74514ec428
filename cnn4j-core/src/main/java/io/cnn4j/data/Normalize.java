package io.cnn4j.data;

import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.Locale;

/**
 * Per-channel normalisation, torchvision's {@code Normalize(mean, std)}: {@code x = (x - mean[c]) / std[c]}
 * in float32. Training and every later use of the model (evaluation, prediction) must apply the same
 * one, so a model file records it in its metadata as {@link #spec()}.
 */
public final class Normalize implements ImageTransform {
    private final float[] mean;
    private final float[] std;

    public Normalize(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalisation needs one mean and one standard deviation per channel, got "
                    + mean.length + " and " + std.length);
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("normalisation of channel " + c + ": mean must be finite and standard"
                        + " deviation > 0, got " + mean[c] + " and " + std[c]);
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /**
     * The mean and population standard deviation of each channel over every image of {@code data} (as
     * floats in [0, 1]), accumulated in double: e.g. 0.2860 and 0.3530 for Fashion-MNIST's training set.
     */
    public static Normalize of(Dataset data) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("cannot compute normalisation from dataset '" + data.description()
                    + "': it has no images");
        }
        int channels = data.channels();
        int plane = data.frames() * data.height() * data.width();
        double[] sum = new double[channels];
        double[] sumOfSquares = new double[channels];
        // About a million floats at a time, whatever the image size: never a copy of the whole set.
        int chunk = Math.max(1, (1 << 20) / data.itemSize());
        int[] all = new int[data.size()];
        Arrays.setAll(all, i -> i);
        float[] buffer = new float[chunk * data.itemSize()];
        for (int from = 0; from < all.length; from += chunk) {
            int to = Math.min(from + chunk, all.length);
            data.copyImages(all, from, to, buffer, 0);
            for (int image = 0; image < to - from; image++) {
                for (int c = 0; c < channels; c++) {
                    int start = (image * channels + c) * plane;
                    for (int i = start; i < start + plane; i++) {
                        sum[c] += buffer[i];
                        sumOfSquares[c] += (double) buffer[i] * buffer[i];
                    }
                }
            }
        }
        double count = (double) data.size() * plane;
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / count;
            mean[c] = (float) m;
            std[c] = (float) Math.sqrt(Math.max(sumOfSquares[c] / count - m * m, 0));
        }
        return new Normalize(mean, std);
    }

    /**
     * Reads {@link #spec()}'s form, {@code MEAN:STD} with one comma-separated value per channel, e.g.
     * {@code 0.286:0.353} or {@code 0.49,0.48,0.45:0.25,0.24,0.26}.
     */
    public static Normalize parse(String spec) {
        String[] parts = spec.strip().split(":", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("normalisation '" + spec + "' must be MEAN:STD with one comma-separated value"
                    + " per channel, e.g. 0.286:0.353");
        }
        return new Normalize(floats(parts[0], spec), floats(parts[1], spec));
    }

    private static float[] floats(String list, String spec) {
        String[] items = list.split(",", -1);
        float[] out = new float[items.length];
        for (int i = 0; i < items.length; i++) {
            try {
                out[i] = Float.parseFloat(items[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("normalisation '" + spec + "': '" + items[i] + "' is not a number", e);
            }
        }
        return out;
    }

    /** {@code MEAN:STD}, the form {@link #parse} reads, with every float written exactly. */
    public String spec() {
        return join(mean) + ":" + join(std);
    }

    private static String join(float[] values) {
        StringBuilder s = new StringBuilder();
        for (float v : values) {
            s.append(s.isEmpty() ? "" : ",").append(Float.toString(v));
        }
        return s.toString();
    }

    public int channels() {
        return mean.length;
    }

    /** The mean of each channel, subtracted first. */
    public float[] mean() {
        return mean.clone();
    }

    /** The standard deviation of each channel, divided by after. */
    public float[] std() {
        return std.clone();
    }

    /**
     * Normalises a batch {@code [B, C, H, W]} in place, or of clips {@code [B, C, T, H, W]}: a channel's
     * frames lie one after another, so they are normalised as one picture T times as high.
     */
    public void apply(Tensor images) {
        if (images.rank() != 4 && images.rank() != 5 || images.dim(1) != channels()) {
            throw new IllegalArgumentException("normalisation for " + channels() + " channel(s) cannot apply to images of shape "
                    + images.shape());
        }
        int rank = images.rank();
        int height = images.dim(rank - 2) * (rank == 5 ? images.dim(2) : 1);
        int width = images.dim(rank - 1);
        int size = images.dim(1) * height * width;
        for (int b = 0; b < images.dim(0); b++) {
            apply(images.data(), b * size, images.dim(1), height, width, null);
        }
    }

    /** Draws nothing from {@code rng}, which may be null. */
    @Override
    public void apply(float[] pixels, int offset, int channels, int height, int width, Rng rng) {
        if (channels != channels()) {
            throw new IllegalArgumentException("normalisation for " + channels() + " channel(s) cannot apply to images of "
                    + channels + " channel(s)");
        }
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            float m = mean[c];
            float s = std[c];
            int start = offset + c * plane;
            for (int i = start; i < start + plane; i++) {
                pixels[i] = (pixels[i] - m) / s;
            }
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Normalize(mean=%s, std=%s)", Arrays.toString(mean), Arrays.toString(std));
    }
}

package io.cnn4j.nn;

import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;

/**
 * Weight initialisation schemes for convolution and linear layers. {@code fanIn} is
 * {@code inChannels/groups * kH * kW} for a convolution and {@code in} for a linear layer;
 * {@code fanOut} is {@code outChannels * kH * kW} and {@code out}.
 */
public enum Init {
    /** PyTorch's default: weight and bias uniform in {@code ±1/sqrt(fanIn)} (Kaiming-uniform with a = sqrt(5)). */
    PYTORCH,
    /** Glorot: weight uniform in {@code ±sqrt(6/(fanIn+fanOut))}, bias zero. */
    XAVIER_UNIFORM,
    /** Glorot: weight normal with std {@code sqrt(2/(fanIn+fanOut))}, bias zero. */
    XAVIER_NORMAL,
    /** He/Kaiming for ReLU: weight uniform in {@code ±sqrt(6/fanIn)}, bias zero. */
    HE_UNIFORM,
    /** He/Kaiming for ReLU: weight normal with std {@code sqrt(2/fanIn)}, bias zero. */
    HE_NORMAL;

    /** Parses {@code pytorch}, {@code xavier-uniform}, {@code he-normal}, ... (case and '-'/'_' ignored). */
    public static Init parse(String name) {
        String key = name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (Init i : values()) {
            if (i.name().equals(key)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown initialisation '" + name
                + "': expected pytorch, xavier-uniform, xavier-normal, he-uniform or he-normal");
    }

    /** Fills {@code weight} and, when not null, {@code bias} in place. */
    public void fill(Tensor weight, Tensor bias, int fanIn, int fanOut, Rng rng) {
        float[] w = weight.data();
        switch (this) {
            case PYTORCH -> uniform(w, 1.0 / Math.sqrt(fanIn), rng);
            case XAVIER_UNIFORM -> uniform(w, Math.sqrt(6.0 / (fanIn + fanOut)), rng);
            case XAVIER_NORMAL -> normal(w, Math.sqrt(2.0 / (fanIn + fanOut)), rng);
            case HE_UNIFORM -> uniform(w, Math.sqrt(6.0 / fanIn), rng);
            case HE_NORMAL -> normal(w, Math.sqrt(2.0 / fanIn), rng);
        }
        if (bias != null) {
            if (this == PYTORCH) {
                uniform(bias.data(), 1.0 / Math.sqrt(fanIn), rng);
            } else {
                java.util.Arrays.fill(bias.data(), 0f);
            }
        }
    }

    private static void uniform(float[] a, double bound, Rng rng) {
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.uniform(-bound, bound);
        }
    }

    private static void normal(float[] a, double std, Rng rng) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rng.nextGaussian() * std);
        }
    }
}

package io.cnn4j.nn;

/**
 * PyTorch's {@code nn.AdaptiveAvgPool1d(output_size)}: the mean of each window of {@code [N, C, L]}, pooled to
 * {@code [N, C, length]} whatever the input's size.
 */
public final class AdaptiveAvgPool1d extends AdaptivePoolNd {
    public static final LayerType TYPE = AdaptivePoolNd.type("AdaptiveAvgPool1d", AdaptiveAvgPool1d::new)
            .exportsTo(AdaptiveAvgPool1d.class, AdaptiveAvgPool1d::toOnnx);

    /** One output size for every axis, or one per axis. */
    public AdaptiveAvgPool1d(int... outputSize) {
        super("AdaptiveAvgPool1d", 1, outputSize, false);
    }

    @Override
    LayerType type() {
        return TYPE;
    }
}

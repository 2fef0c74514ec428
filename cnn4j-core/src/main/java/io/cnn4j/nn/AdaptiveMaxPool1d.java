package io.cnn4j.nn;

/**
 * PyTorch's {@code nn.AdaptiveMaxPool1d(output_size)}: the maximum of each window of {@code [N, C, L]}, pooled to
 * {@code [N, C, length]} whatever the input's size.
 */
public final class AdaptiveMaxPool1d extends AdaptivePoolNd {
    public static final LayerType TYPE = AdaptivePoolNd.type("AdaptiveMaxPool1d", AdaptiveMaxPool1d::new)
            .exportsTo(AdaptiveMaxPool1d.class, AdaptiveMaxPool1d::toOnnx);

    /** One output size for every axis, or one per axis. */
    public AdaptiveMaxPool1d(int... outputSize) {
        super("AdaptiveMaxPool1d", 1, outputSize, true);
    }

    @Override
    LayerType type() {
        return TYPE;
    }
}

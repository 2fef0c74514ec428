package io.cnn4j.nn;

/**
 * PyTorch's {@code nn.AdaptiveMaxPool3d(output_size)}: the maximum of each window of {@code [N, C, D, H, W]}, pooled to
 * {@code [N, C, d, h, w]} whatever the input's size.
 */
public final class AdaptiveMaxPool3d extends AdaptivePoolNd {
    public static final LayerType TYPE = AdaptivePoolNd.type("AdaptiveMaxPool3d", AdaptiveMaxPool3d::new)
            .exportsTo(AdaptiveMaxPool3d.class, AdaptiveMaxPool3d::toOnnx);

    /** One output size for every axis, or one per axis. */
    public AdaptiveMaxPool3d(int... outputSize) {
        super("AdaptiveMaxPool3d", 3, outputSize, true);
    }

    @Override
    LayerType type() {
        return TYPE;
    }
}

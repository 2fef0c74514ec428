package io.cnn4j.nn;

/**
 * PyTorch's {@code nn.AdaptiveAvgPool3d(output_size)}: the mean of each window of {@code [N, C, D, H, W]}, pooled to
 * {@code [N, C, d, h, w]} whatever the input's size.
 */
public final class AdaptiveAvgPool3d extends AdaptivePoolNd {
    public static final LayerType TYPE = AdaptivePoolNd.type("AdaptiveAvgPool3d", AdaptiveAvgPool3d::new)
            .exportsTo(AdaptiveAvgPool3d.class, AdaptiveAvgPool3d::toOnnx);

    /** One output size for every axis, or one per axis. */
    public AdaptiveAvgPool3d(int... outputSize) {
        super("AdaptiveAvgPool3d", 3, outputSize, false);
    }

    @Override
    LayerType type() {
        return TYPE;
    }
}

package io.cnn4j.explain;

import io.cnn4j.tensor.Tensor;

/**
 * A heatmap laid over the picture it explains: each pixel half the picture's colour, half the map's
 * {@link Viridis} colour, so that both the object and where the evidence lies stay visible.
 */
public final class Overlay {
    private static final float OPACITY = 0.5f;

    private Overlay() {
    }

    /**
     * {@code pixels} ({@code [1, C, H, W]} in [0, 1], gray or colour) blended with the colour of {@code map}
     * ({@code [H, W]}, in [0, 1]), as packed {@code 0xRRGGBB} values, row-major.
     *
     * @throws IllegalArgumentException when the map's size is not the picture's
     */
    public static int[] blend(Tensor pixels, Heatmap map) {
        int channels = pixels.dim(1);
        int h = pixels.dim(2);
        int w = pixels.dim(3);
        if (map.height() != h || map.width() != w) {
            throw new IllegalArgumentException("overlay: a " + map.height() + " x " + map.width() + " map over a " + h + " x "
                    + w + " picture; upsample the map to the picture's size first");
        }
        float[] p = pixels.data();
        int[] out = new int[h * w];
        for (int i = 0; i < h * w; i++) {
            float[] colour = Viridis.rgb(map.get(i / w, i % w));
            int rgb = 0;
            for (int c = 0; c < 3; c++) {
                float picture = 255f * p[Math.min(c, channels - 1) * h * w + i];
                rgb = (rgb << 8) | Math.round(Math.clamp((1 - OPACITY) * picture + OPACITY * colour[c], 0f, 255f));
            }
            out[i] = rgb;
        }
        return out;
    }
}

package io.cnn4j.explain;

/**
 * Matplotlib's viridis colormap, which reads in order of lightness, survives grey printing and the common
 * colour-vision deficiencies: nine stops, linearly interpolated.
 */
public final class Viridis {
    private static final int[][] STOPS = {
        {68, 1, 84}, {72, 40, 120}, {62, 73, 137}, {49, 104, 142}, {38, 130, 142},
        {31, 158, 137}, {53, 183, 121}, {110, 206, 88}, {253, 231, 37}};

    private Viridis() {
    }

    /** The colour of {@code v} (clamped to [0, 1]) as red, green and blue in [0, 255]. */
    public static float[] rgb(float v) {
        float t = Math.clamp(Float.isNaN(v) ? 0f : v, 0f, 1f) * (STOPS.length - 1);
        int i = Math.min((int) t, STOPS.length - 2);
        float f = t - i;
        float[] out = new float[3];
        for (int c = 0; c < 3; c++) {
            out[c] = STOPS[i][c] + f * (STOPS[i + 1][c] - STOPS[i][c]);
        }
        return out;
    }
}

package io.cnn4j.explain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HeatmapTest {

    /** F.interpolate(torch.tensor([[[[1., 2.], [3., 4.]]]]), size=(4, 4), mode='bilinear', align_corners=False). */
    @Test
    void upsamplingMatchesPyTorchsBilinear() {
        Heatmap up = new Heatmap(2, 2, new float[] {1, 2, 3, 4}).upsampled(4, 4);
        assertArrayEquals(new float[] {
            1.0f, 1.25f, 1.75f, 2.0f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.5f, 2.75f, 3.25f, 3.5f,
            3.0f, 3.25f, 3.75f, 4.0f}, up.values(), 1e-6f);
    }

    @Test
    void upsamplingToTheSameSizeChangesNothing() {
        float[] v = {0.5f, 0f, 2f, 1f, 3f, 0.25f};
        assertArrayEquals(v, new Heatmap(2, 3, v.clone()).upsampled(2, 3).values());
    }

    @Test
    void normalisedDividesByTheMaximumAndLeavesZeroAlone() {
        assertArrayEquals(new float[] {0f, 0.5f, 1f}, new Heatmap(1, 3, new float[] {0f, 2f, 4f}).normalised().values());
        assertArrayEquals(new float[3], new Heatmap(1, 3, new float[3]).normalised().values());
    }

    @Test
    void aWrongNumberOfValuesIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Heatmap(2, 2, new float[3]));
        assertEquals("heatmap: 3 values for a 2 x 2 map", e.getMessage());
    }
}

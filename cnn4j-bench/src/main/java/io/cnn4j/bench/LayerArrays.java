package io.cnn4j.bench;

import java.util.SplittableRandom;

/**
 * The arrays one layer's kernels read and write in a training step: input {@code x}, weight
 * {@code w}, {@code bias} (null without one), output {@code y}, and the gradients {@code dy}, {@code dx},
 * {@code dw}, {@code dbias}. What the kernels read is random; what they write starts at zero.
 */
record LayerArrays(float[] x, float[] w, float[] bias, float[] y, float[] dy, float[] dx, float[] dw, float[] dbias) {

    static LayerArrays of(int inputSize, int weightSize, int outputSize, int biasSize) {
        boolean hasBias = biasSize > 0;
        return new LayerArrays(random(inputSize, 1), random(weightSize, 2), hasBias ? random(biasSize, 3) : null,
                new float[outputSize], random(outputSize, 4), new float[inputSize], new float[weightSize],
                hasBias ? new float[biasSize] : null);
    }

    /** {@code n} values uniform in [-1, 1): no zeros or denormals to make a kernel look faster than it is. */
    static float[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return values;
    }
}

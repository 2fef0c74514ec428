package io.cnn4j.kernel;

/** Which pass of a convolution a kernel call computes; each may take its own path ({@link Kernels#convolutionPath}). */
public enum ConvPass {
    FORWARD("forward"),
    INPUT_GRADIENT("input-gradient"),
    WEIGHT_GRADIENT("weight-gradient");

    private final String label;

    ConvPass(String label) {
        this.label = label;
    }

    /** The pass as the tuning file's keys name it, e.g. {@code input-gradient}. */
    public String label() {
        return label;
    }
}

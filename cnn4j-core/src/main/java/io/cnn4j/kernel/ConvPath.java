package io.cnn4j.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ways {@link CpuKernels} computes a pass of a convolution. Their labels are what a {@link TuningCache} keeps
 * for a layer shape and pass, and what a profile shows.
 */
enum ConvPath {
    /** Column matrix plus {@link Gemm}; a pointwise layer's input is its own column matrix. */
    IM2COL("im2col"),
    DIRECT("direct"),
    /** {@link Winograd} in 2x2 output tiles. */
    WINOGRAD_F2("winograd-f2"),
    /** {@link Winograd} in 4x4 output tiles ({@link WinogradF4}). */
    WINOGRAD_F4("winograd-f4"),
    /** A 3-D convolution as column matrices of its volumes plus {@link Gemm}. */
    VOL2COL("vol2col"),
    /** A 3-D convolution as 2-D ones over its frames ({@link Frames}), each taking its own path. */
    FRAMES("frames");

    private final String label;

    ConvPath(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The path a tuning file names, if any. */
    static Optional<ConvPath> of(String label) {
        for (ConvPath path : values()) {
            if (path.label.equals(label)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    /** Every path that computes {@code pass} of {@code g}: the candidates to time. */
    static List<ConvPath> candidates(ConvGeometry g, ConvPass pass) {
        List<ConvPath> paths = new ArrayList<>(List.of(IM2COL));
        boolean direct = switch (pass) {
            case FORWARD -> DirectConv.computesForward(g);
            case INPUT_GRADIENT -> DirectConv.computesInputGradient(g);
            case WEIGHT_GRADIENT -> DirectConv.computesWeightGradient(g);
        };
        if (direct) {
            paths.add(DIRECT);
        }
        if (Winograd.applies(g)) {
            paths.add(WINOGRAD_F2);
            paths.add(WINOGRAD_F4);
        }
        return paths;
    }

    /**
     * The candidates of a 3-D convolution, frames first: their first call makes the 2-D choices of the frames'
     * convolutions, which an untimed first round absorbs.
     */
    static final List<ConvPath> VOLUME_PATHS = List.of(FRAMES, VOL2COL);

    /**
     * The generation of the convolution kernels, part of every key: raised when a path's speed changes
     * enough to overturn choices measured before, so each shape is measured again: 2 when the Winograd
     * planes' images side by side made its weight gradient the faster one on 7x7 and 14x14, 3 when its
     * working arrays stopped being reallocated between 4x4 and 2x2 tiles, which had slowed both while
     * they were timed against each other, 4 when the direct path's tiles over channels took stride-1 layers
     * (and the strided input gradient) seven pixels a row and turned their layouts by gathers, 5 when
     * Winograd F(4x4, 3x3)'s weight transform went to vectors (1.3x on a 128-channel 7x7 layer) and the direct
     * weight gradient to blocks of 48 channels (1.1x on 128 channels), which may overturn choices between
     * them, 6 when the weight gradient gained 4x4 tiles and a transposed operand of the GEMM came to be packed
     * by gathers (1.3x for the weight gradient in 2x2 tiles of 128 channels at 7x7), 7 when 1x1 layers with a stride
     * came to take the direct path ({@link StridedPointwise}), 8 when the candidates' warm-up came to outlast their
     * first calls (choices made before could have timed a path the JIT had not compiled yet) and the weight
     * gradient in 4x4 tiles stopped allocating (a gather map per channel, a scatter left to its Java fallback).
     */
    private static final int GENERATION = 8;

    /** The tuning file's key for {@code pass} of {@code g}: every size that decides the path and its speed. */
    static String key(ConvGeometry g, ConvPass pass) {
        return "conv" + GENERATION + ".2d." + pass.label() + ".b" + g.batch() + ".in" + g.inChannels() + "x" + g.inH() + "x" + g.inW()
                + ".out" + g.outChannels() + "x" + g.outH() + "x" + g.outW() + ".k" + g.kH() + "x" + g.kW()
                + ".s" + g.strideH() + "x" + g.strideW() + ".p" + g.padH() + "x" + g.padW()
                + ".d" + g.dilationH() + "x" + g.dilationW() + ".g" + g.groups();
    }

    /** As {@link #key(ConvGeometry, ConvPass)} for a 3-D convolution. */
    static String key(Conv3dGeometry g, ConvPass pass) {
        return "conv" + GENERATION + ".3d." + pass.label() + ".b" + g.batch() + ".in" + g.inChannels() + "x" + g.inD() + "x" + g.inH() + "x"
                + g.inW() + ".out" + g.outChannels() + "x" + g.outD() + "x" + g.outH() + "x" + g.outW()
                + ".k" + g.kD() + "x" + g.kH() + "x" + g.kW() + ".s" + g.strideD() + "x" + g.strideH() + "x" + g.strideW()
                + ".p" + g.padD() + "x" + g.padH() + "x" + g.padW() + ".d" + g.dilationD() + "x" + g.dilationH() + "x"
                + g.dilationW() + ".g" + g.groups();
    }
}

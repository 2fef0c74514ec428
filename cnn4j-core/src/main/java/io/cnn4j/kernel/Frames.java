package io.cnn4j.kernel;

import java.util.Arrays;

/**
 * A 3-D convolution as a sum of 2-D ones over its depth taps: output frame {@code od} of a clip is the sum over
 * {@code kd} of the 2-D convolution of input frame {@code od*strideD - padD + kd*dilationD} with the weights'
 * slice {@code kd}. Gathered into frame-major arrays ({@code [N*outD, C, H, W]}, one entry per output frame),
 * each tap is one 2-D convolution over a batch of {@code N*outD} frames, which takes the 2-D kernels' fastest
 * path for its shape (Winograd's for 3x3 kernels on many channels) and spreads over the threads by frames.
 * These are the moves between the clip layout {@code [N, C, D, H, W]} and the frames'.
 */
final class Frames {
    private Frames() {
    }

    /** The 2-D convolution each depth tap runs: one image per output frame. */
    static ConvGeometry geometry(Conv3dGeometry g) {
        return new ConvGeometry(g.batch() * g.outD(), g.inChannels(), g.inH(), g.inW(), g.outChannels(), g.kH(), g.kW(),
                g.strideH(), g.strideW(), g.padH(), g.padW(), g.dilationH(), g.dilationW(), g.groups(), g.outH(), g.outW());
    }

    /** The input frame that output frame {@code od} meets at depth tap {@code kd}, or -1 in the padding. */
    static int inputFrame(Conv3dGeometry g, int od, int kd) {
        int id = od * g.strideD() - g.padD() + kd * g.dilationD();
        return id >= 0 && id < g.inD() ? id : -1;
    }

    /**
     * Output frame {@code f = n*outD + od} of {@code frames} ({@code [N*outD, C, plane]}) from the clip array
     * {@code clips} ({@code [N, C, D, plane]}): input frame {@code inputFrame(od, kd)} (zeros in the padding), or
     * with {@code kd < 0} output frame {@code od} itself ({@code D = outD}).
     */
    static void gather(Conv3dGeometry g, int f, int kd, int channels, int depth, int plane, float[] clips, float[] frames) {
        int n = f / g.outD();
        int od = f % g.outD();
        int d = kd < 0 ? od : inputFrame(g, od, kd);
        int to = f * channels * plane;
        if (d < 0) {
            Arrays.fill(frames, to, to + channels * plane, 0f);
            return;
        }
        for (int c = 0; c < channels; c++) {
            System.arraycopy(clips, ((n * channels + c) * depth + d) * plane, frames, to + c * plane, plane);
        }
    }

    /**
     * Frame {@code f} of {@code frames} back into the clip array: written to output frame {@code od} (with ReLU
     * when {@code relu}), or with {@code kd >= 0} added onto input frame {@code inputFrame(od, kd)}.
     */
    static void scatter(Conv3dGeometry g, int f, int kd, int channels, int depth, int plane, float[] frames, float[] clips,
                        boolean relu) {
        int n = f / g.outD();
        int od = f % g.outD();
        int d = kd < 0 ? od : inputFrame(g, od, kd);
        if (d < 0) {
            return;
        }
        int from = f * channels * plane;
        for (int c = 0; c < channels; c++) {
            int to = ((n * channels + c) * depth + d) * plane;
            int src = from + c * plane;
            if (kd >= 0) {
                for (int i = 0; i < plane; i++) {
                    clips[to + i] += frames[src + i];
                }
            } else if (relu) {
                for (int i = 0; i < plane; i++) {
                    clips[to + i] = Math.max(frames[src + i], 0f);
                }
            } else {
                System.arraycopy(frames, src, clips, to, plane);
            }
        }
    }

    /** The weights' depth slice {@code kd}, {@code [O, C/groups, kH, kW]}, of {@code [O, C/groups, kD, kH, kW]}. */
    static void weightSlice(Conv3dGeometry g, float[] w, int kd, float[] slice) {
        int taps = g.kH() * g.kW();
        int rows = g.outChannels() * g.inChannelsPerGroup();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(w, (r * g.kD() + kd) * taps, slice, r * taps, taps);
        }
    }

    /** {@code slice} put back as depth slice {@code kd} of the weights' gradient. */
    static void putWeightSlice(Conv3dGeometry g, float[] slice, int kd, float[] dw) {
        int taps = g.kH() * g.kW();
        int rows = g.outChannels() * g.inChannelsPerGroup();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(slice, r * taps, dw, (r * g.kD() + kd) * taps, taps);
        }
    }
}

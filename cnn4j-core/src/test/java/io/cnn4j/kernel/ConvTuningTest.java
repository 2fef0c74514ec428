package io.cnn4j.kernel;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static io.cnn4j.kernel.CpuKernelsTest.assertClose;
import static io.cnn4j.kernel.CpuKernelsTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Convolution paths chosen by measurement ({@link ConvAlgorithm#AUTO} with a {@link TuningCache} that measures):
 * every candidate computes the convolution, the first call of a pass measures and keeps its choice, later calls
 * and other kernels on the same cache follow it, whatever their thread count, and a choice kept in the file is
 * followed even where another path would be faster.
 */
class ConvTuningTest {
    private static final ReferenceKernels REF = new ReferenceKernels();
    private static final CpuKernels TWO = new CpuKernels(2, TuningCache.none());
    /** 3x3 on 64 channels: every 2-D path applies, and a pass is work enough to be measured. */
    private static final ConvGeometry WIDE = ConvGeometry.of(4, 64, 14, 14, 64, 3, 3, 1, 1, 1, 1);
    private static final Set<String> LABELS = Set.of("im2col", "direct", "winograd-f2", "winograd-f4");

    /** Every path a measurement may pick computes what the reference does, Winograd's tiles of 2 and 4 at any size. */
    @Property(tries = 40)
    void everyCandidateMatchesTheReference(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 20) int in,
                                           @ForAll @IntRange(min = 1, max = 20) int out, @ForAll @IntRange(min = 1, max = 24) int h,
                                           @ForAll @IntRange(min = 1, max = 5) int k, @ForAll @IntRange(min = 1, max = 2) int stride,
                                           @ForAll @IntRange(min = 0, max = 2) int pad) {
        Assume.that(h + 2 * pad >= k);
        ConvGeometry g = ConvGeometry.of(batch, in, h, h + 1, out, k, k, stride, pad, 1, 1);
        Random r = new Random(g.hashCode());
        float[] x = random(r, batch * g.inputImageSize());
        float[] w = random(r, g.weightSize());
        float[] bias = random(r, out);
        float[] dy = random(r, batch * g.outputImageSize());
        float[] yRef = new float[dy.length];
        REF.conv2d(g, x, w, bias, true, yRef);
        float[] dxRef = new float[x.length];
        REF.conv2dBackwardInput(g, dy, w, dxRef);
        float[] dwRef = new float[w.length];
        REF.conv2dBackwardWeight(g, x, dy, dwRef, null);
        for (ConvPath path : ConvPath.candidates(g, ConvPass.FORWARD)) {
            float[] y = new float[yRef.length];
            TWO.forward(path, g, x, w, bias, true, y);
            assertClose(yRef, y, allowance(path, in * k * k), path + " forward " + g);
        }
        for (ConvPath path : ConvPath.candidates(g, ConvPass.INPUT_GRADIENT)) {
            float[] dx = new float[x.length];
            TWO.backwardInput(path, g, dy, w, dx);
            assertClose(dxRef, dx, allowance(path, out * k * k), path + " input gradient " + g);
        }
        for (ConvPath path : ConvPath.candidates(g, ConvPass.WEIGHT_GRADIENT)) {
            float[] dw = new float[w.length];
            TWO.backwardWeight(path, g, x, dy, dw);
            assertClose(dwRef, dw, allowance(path, batch * g.outH() * g.outW()), path + " weight gradient " + g);
        }
    }

    /**
     * The terms whose rounding a path's result may carry: F(4x4, 3x3)'s transforms scale by up to 8 and by
     * fractions down to 1/24 and stray about 7 times further than a direct sum (its class comment), which
     * shows where few terms are summed (one output channel: 9), so it is allowed 8 times the terms.
     */
    private static int allowance(ConvPath path, int terms) {
        return path == ConvPath.WINOGRAD_F4 ? 8 * terms : terms;
    }

    /** The three passes of {@code g} on {@code kernels}: output, input gradient, weight gradient, bias gradient. */
    private static float[][] passes(CpuKernels kernels, ConvGeometry g) {
        Random r = new Random(7);
        float[] x = random(r, g.batch() * g.inputImageSize());
        float[] w = random(r, g.weightSize());
        float[] dy = random(r, g.batch() * g.outputImageSize());
        float[] y = new float[dy.length];
        kernels.conv2d(g, x, w, null, false, y);
        float[] dx = new float[x.length];
        kernels.conv2dBackwardInput(g, dy, w, dx);
        float[] dw = new float[w.length];
        float[] db = new float[g.outChannels()];
        kernels.conv2dBackwardWeight(g, x, dy, dw, db);
        return new float[][] {y, dx, dw, db};
    }

    private static Map<String, String> kept(Path dir) {
        return TuningCache.in(dir).choices();
    }

    @Test
    void theFirstCallMeasuresEachPassAndEveryLaterCallAndThreadCountFollowsIt(@TempDir Path dir) throws IOException {
        TuningCache cache = TuningCache.in(dir);
        float[][] first;
        try (CpuKernels two = new CpuKernels(2, cache)) {
            first = passes(two, WIDE);
            for (ConvPass pass : ConvPass.values()) {
                String key = ConvPath.key(WIDE, pass);
                String chosen = kept(dir).get(key);
                assertTrue(LABELS.contains(chosen), key + " = " + chosen);
                assertEquals(chosen, two.convolutionPath(WIDE, pass));
                assertTrue(Files.readString(cache.file().orElseThrow()).contains(key + "=" + chosen), "kept in the file");
            }
            assertArrayEquals(first[0], passes(two, WIDE)[0], "the second call takes the kept path");
        }
        Map<String, String> choices = kept(dir);
        for (int threads : new int[] {1, 3}) {
            try (CpuKernels other = new CpuKernels(threads, cache)) {
                float[][] again = passes(other, WIDE);
                for (int i = 0; i < first.length; i++) {
                    assertArrayEquals(first[i], again[i], "result " + i + " on " + threads + " threads");
                }
            }
        }
        assertEquals(choices, kept(dir), "nothing measured again");
    }

    @Test
    void aChoiceKeptInTheFileIsFollowed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(TuningCache.processorKey() + ".properties"),
                ConvPath.key(WIDE, ConvPass.FORWARD) + "=im2col\n" + ConvPath.key(WIDE, ConvPass.INPUT_GRADIENT) + "=winograd-f4\n"
                        + ConvPath.key(WIDE, ConvPass.WEIGHT_GRADIENT) + "=direct\n");
        try (CpuKernels measured = new CpuKernels(2, TuningCache.in(dir));
             CpuKernels im2col = new CpuKernels(2, ConvAlgorithm.IM2COL);
             CpuKernels direct = new CpuKernels(2, ConvAlgorithm.DIRECT)) {
            float[][] kept = passes(measured, WIDE);
            assertArrayEquals(passes(im2col, WIDE)[0], kept[0], "forward by im2col");
            assertArrayEquals(passes(direct, WIDE)[2], kept[2], "weight gradient direct");
            Random r = new Random(7);
            random(r, WIDE.batch() * WIDE.inputImageSize());
            float[] w = random(r, WIDE.weightSize());
            float[] dy = random(r, WIDE.batch() * WIDE.outputImageSize());
            float[] dx = new float[WIDE.batch() * WIDE.inputImageSize()];
            TWO.backwardInput(ConvPath.WINOGRAD_F4, WIDE, dy, w, dx);
            assertArrayEquals(dx, kept[1], "input gradient in Winograd's 4x4 tiles, which no rule picks at 14x14");
            assertEquals("winograd-f4", measured.convolutionPath(WIDE, ConvPass.INPUT_GRADIENT));
        }
    }

    @Test
    void aKeptPathThatDoesNotApplyFallsBackToTheRule(@TempDir Path dir) throws IOException {
        ConvGeometry fiveByFive = ConvGeometry.of(4, 32, 14, 14, 32, 5, 5, 1, 2, 1, 1);
        Files.writeString(dir.resolve(TuningCache.processorKey() + ".properties"),
                ConvPath.key(fiveByFive, ConvPass.FORWARD) + "=winograd-f2\n" + ConvPath.key(fiveByFive, ConvPass.INPUT_GRADIENT)
                        + "=garbled\n");
        try (CpuKernels measured = new CpuKernels(2, TuningCache.in(dir));
             CpuKernels rules = new CpuKernels(2, ConvAlgorithm.RULES)) {
            float[][] byRules = passes(rules, fiveByFive);
            float[][] kept = passes(measured, fiveByFive);
            assertArrayEquals(byRules[0], kept[0]);
            assertArrayEquals(byRules[1], kept[1]);
            assertEquals(rules.convolutionPath(fiveByFive, ConvPass.FORWARD), measured.convolutionPath(fiveByFive, ConvPass.FORWARD));
        }
    }

    @Test
    void smallPassesAndForcedAlgorithmsAreNotMeasured(@TempDir Path dir) {
        TuningCache cache = TuningCache.in(dir);
        ConvGeometry small = ConvGeometry.of(1, 16, 8, 8, 16, 3, 3, 1, 1, 1, 1);
        try (CpuKernels measured = new CpuKernels(1, cache);
             CpuKernels rules = new CpuKernels(1, ConvAlgorithm.RULES, cache);
             CpuKernels direct = new CpuKernels(1, ConvAlgorithm.DIRECT, cache)) {
            assertArrayEquals(passes(rules, small)[0], passes(measured, small)[0], "a pass of a few multiply-adds keeps the rule");
            passes(rules, WIDE);
            passes(direct, WIDE);
        }
        assertEquals(Map.of(), cache.choices());
    }

    @Test
    void threeDimensionalPassesChooseBetweenFramesAndVol2col(@TempDir Path dir) {
        TuningCache cache = TuningCache.in(dir);
        Conv3dGeometry g = Conv3dGeometry.of(4, 16, 4, 12, 12, 16, 3, 3, 3, 1, 1, 1, 1);
        Random r = new Random(3);
        float[] x = random(r, g.batch() * g.inputSampleSize());
        float[] w = random(r, g.weightSize());
        float[] dy = random(r, g.batch() * g.outputSampleSize());
        float[][] results = new float[2][];
        for (int threads : new int[] {2, 1}) {
            try (CpuKernels kernels = new CpuKernels(threads, cache)) {
                float[] y = new float[dy.length];
                kernels.conv3d(g, x, w, null, false, y);
                float[] dx = new float[x.length];
                kernels.conv3dBackwardInput(g, dy, w, dx);
                float[] dw = new float[w.length];
                kernels.conv3dBackwardWeight(g, x, dy, dw, null);
                results[threads - 1] = concat(y, dx, dw);
                for (ConvPass pass : ConvPass.values()) {
                    assertTrue(List.of("frames", "vol2col").contains(cache.choices().get(ConvPath.key(g, pass))), pass.label());
                }
            }
        }
        assertArrayEquals(results[1], results[0], "the same bits on 1 and 2 threads");
        float[] yRef = new float[dy.length];
        REF.conv3d(g, x, w, null, false, yRef);
        assertClose(yRef, java.util.Arrays.copyOf(results[0], yRef.length), 16 * 27, "measured 3-D forward");
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** Each candidate runs once a round; the preferred one stays unless another is clearly faster. */
    @Test
    void theFastestCandidateMustBeatThePreferredOneByTheMargin() {
        AtomicInteger slowCalls = new AtomicInteger();
        Map<String, Long> micros = Map.of("rule", 2000L, "level", 1960L, "slow", 9000L, "fast", 1000L);
        java.util.function.Consumer<String> spin = name -> {
            if (name.equals("slow")) {
                slowCalls.incrementAndGet();
            }
            long end = System.nanoTime() + 1000 * micros.get(name);
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        };
        assertEquals("rule", FastestCandidate.among(List.of("rule", "level", "slow"), "rule", spin), "2% faster is noise");
        int warmUpAndOneRound = slowCalls.get();
        assertEquals("fast", FastestCandidate.among(List.of("rule", "level", "fast"), "rule", spin));
        assertTrue(warmUpAndOneRound < FastestCandidate.WARM_UP_NANOS / 8_000_000 + 3,
                "a candidate four times slower drops out after one timed round: " + warmUpAndOneRound + " calls");
    }

    /**
     * A first round longer than the warm-up's limit (each path's first call interpreted while the JIT compiles it)
     * is followed by warm-up rounds all the same, so a path that runs slowly for its first calls still wins.
     */
    @Test
    void aPathThatIsSlowForItsFirstCallsIsTimedOnceWarm() {
        AtomicInteger compiledLateCalls = new AtomicInteger();
        long firstCall = FastestCandidate.MAX_WARM_UP_NANOS / 2 + 50_000_000L;
        java.util.function.Consumer<String> spin = name -> {
            long nanos;
            if (name.equals("rule")) {
                nanos = compiledLateCalls.get() == 0 ? firstCall : 2_000_000L;
            } else {
                int call = compiledLateCalls.incrementAndGet();
                nanos = call == 1 ? firstCall : call <= 20 ? 5_000_000L : 1_000_000L;
            }
            long end = System.nanoTime() + nanos;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        };
        assertEquals("compiled late", FastestCandidate.among(List.of("rule", "compiled late"), "rule", spin));
    }
}

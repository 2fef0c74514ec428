package io.cnn4j.kernel;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Times the ways to compute one thing on the machine at hand and names the one to keep. The candidates run in
 * rounds, each once a round in a rotating order, so the JIT's progress and other processes' load fall on all of
 * them alike: untimed rounds first ({@link #warmUp}: the first calls of a path run before the JIT has compiled
 * it), then timed rounds. Each candidate is judged by the median over the timed rounds of
 * its time over the preferred candidate's in the same round: on a shared host, whose speed drifts from moment
 * to moment, such pairs see the same moments where a best or mean time over the whole measurement does not. A
 * candidate twice as slow drops out. The preferred candidate (the fixed rule's) is kept unless another is faster
 * by {@link #MARGIN}, twice, so that noise does not flip a choice between two paths that run level.
 */
final class FastestCandidate {
    static final long WARM_UP_NANOS = 300_000_000L;
    static final long MAX_WARM_UP_NANOS = 1_000_000_000L;
    /** Timed rounds end after this long once {@link #MIN_TIMED_ROUNDS} have run; at most {@link #MAX_TIMED_ROUNDS}. */
    static final long TIMED_NANOS = 400_000_000L;
    static final int MIN_TIMED_ROUNDS = 3;
    static final int MAX_TIMED_ROUNDS = 9;
    /** How much faster than the preferred candidate another must be to replace it. */
    static final double MARGIN = 0.10;

    private FastestCandidate() {
    }

    /** The candidate to keep among {@code candidates}, one of which is {@code preferred}; {@code run} computes once. */
    static <T> T among(List<T> candidates, T preferred, Consumer<T> run) {
        if (!candidates.contains(preferred)) {
            throw new IllegalArgumentException("the preferred candidate " + preferred + " is not among " + candidates);
        }
        warmUp(candidates, run);
        T chosen = timedWinner(candidates, preferred, run);
        // A path that beats the rule's must beat it again, the two timed alone: a win by noise seldom repeats.
        return chosen == preferred || timedWinner(List.of(chosen, preferred), preferred, run) == chosen ? chosen : preferred;
    }

    /** Timed rounds of {@code candidates}: the fastest by the median ratio to {@code preferred}, if by the margin. */
    private static <T> T timedWinner(List<T> candidates, T preferred, Consumer<T> run) {
        int n = candidates.size();
        int p = candidates.indexOf(preferred);
        long[][] nanos = new long[MAX_TIMED_ROUNDS][n];
        boolean[] dropped = new boolean[n];
        int rounds = 0;
        long start = System.nanoTime();
        while (rounds < MAX_TIMED_ROUNDS && (rounds < MIN_TIMED_ROUNDS || System.nanoTime() - start < TIMED_NANOS)) {
            for (int j = 0; j < n; j++) {
                int i = (j + rounds) % n;
                if (!dropped[i]) {
                    long t0 = System.nanoTime();
                    run.accept(candidates.get(i));
                    nanos[rounds][i] = System.nanoTime() - t0;
                }
            }
            rounds++;
            for (int i = 0; i < n; i++) {
                dropped[i] |= i != p && medianRatio(nanos, rounds, i, p) > 2;
            }
        }
        T chosen = preferred;
        double best = 1 - MARGIN;
        for (int i = 0; i < n; i++) {
            double ratio = medianRatio(nanos, rounds, i, p);
            if (i != p && !dropped[i] && ratio < best) {
                chosen = candidates.get(i);
                best = ratio;
            }
        }
        return chosen;
    }

    /**
     * Untimed rounds: the first, however long it takes, then more for at least {@link #WARM_UP_NANOS} and until a
     * round makes no candidate faster by a tenth, at most {@link #MAX_WARM_UP_NANOS}. A path's first calls run in
     * the interpreter while the JIT compiles it, in the background, for longer on a busy host, and a path measured
     * before it is compiled would lose to one compiled earlier. The clock starts after the first round because
     * that round alone can outlast the limit: resnet3's 128-channel 7x7 weight gradient at batch 128 took 2 s for
     * its four candidates' first calls (Zen 5), and with the limit counted from the start its timed rounds fell
     * while the JIT was still compiling and kept 2x2 Winograd tiles, 1.6 times slower than the 4x4 tiles chosen
     * once the candidates ran compiled.
     */
    private static <T> void warmUp(List<T> candidates, Consumer<T> run) {
        long[] best = new long[candidates.size()];
        Arrays.fill(best, Long.MAX_VALUE);
        long start = 0;
        boolean faster;
        do {
            faster = false;
            for (int i = 0; i < best.length; i++) {
                long t0 = System.nanoTime();
                run.accept(candidates.get(i));
                long t = System.nanoTime() - t0;
                faster |= t < 0.9 * best[i];
                best[i] = Math.min(best[i], t);
            }
            if (start == 0) {
                start = System.nanoTime();
            }
        } while (System.nanoTime() - start < MAX_WARM_UP_NANOS && (faster || System.nanoTime() - start < WARM_UP_NANOS));
    }

    /** The median over the first {@code rounds} of candidate {@code i}'s time over candidate {@code p}'s. */
    private static double medianRatio(long[][] nanos, int rounds, int i, int p) {
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = (double) nanos[r][i] / Math.max(1, nanos[r][p]);
        }
        Arrays.sort(ratios);
        return rounds % 2 == 1 ? ratios[rounds / 2] : (ratios[rounds / 2 - 1] + ratios[rounds / 2]) / 2;
    }
}

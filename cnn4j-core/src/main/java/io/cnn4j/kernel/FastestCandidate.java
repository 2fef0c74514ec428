package io.cnn4j.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Times the ways to compute one thing on the machine at hand and names the one to keep. The candidates run in
 * rounds, each once a round, so the JIT's progress and other processes' load fall on all of them alike: untimed
 * rounds first, for at least {@link #WARM_UP_NANOS} (the first calls of a path run before the JIT has compiled
 * it), then timed rounds, each candidate's best call counting. A candidate slower than twice the best so far
 * drops out. The preferred candidate (the fixed rule's) is kept unless another is faster by {@link #MARGIN}, so
 * that noise does not flip a choice between two paths that run level.
 */
final class FastestCandidate {
    static final long WARM_UP_NANOS = 100_000_000L;
    /** Timed rounds end after this long once two have run; at most {@link #MAX_TIMED_ROUNDS}. */
    static final long TIMED_NANOS = 300_000_000L;
    static final int MIN_TIMED_ROUNDS = 2;
    static final int MAX_TIMED_ROUNDS = 5;
    /** How much faster than the preferred candidate another must be to replace it. */
    static final double MARGIN = 0.08;

    private FastestCandidate() {
    }

    /** The candidate to keep among {@code candidates}, which {@code run} computes once each call. */
    static <T> T among(List<T> candidates, T preferred, Consumer<T> run) {
        List<T> racing = new ArrayList<>(candidates);
        long start = System.nanoTime();
        do {
            racing.forEach(run);
        } while (System.nanoTime() - start < WARM_UP_NANOS);
        long[] best = new long[candidates.size()];
        Arrays.fill(best, Long.MAX_VALUE);
        start = System.nanoTime();
        for (int round = 0; round < MAX_TIMED_ROUNDS; round++) {
            if (round >= MIN_TIMED_ROUNDS && System.nanoTime() - start > TIMED_NANOS) {
                break;
            }
            for (T candidate : racing) {
                long t0 = System.nanoTime();
                run.accept(candidate);
                int i = candidates.indexOf(candidate);
                best[i] = Math.min(best[i], System.nanoTime() - t0);
            }
            long fastest = Arrays.stream(best).min().orElseThrow();
            racing.removeIf(c -> c != preferred && best[candidates.indexOf(c)] > 2 * fastest);
        }
        T chosen = preferred;
        long preferredTime = candidates.contains(preferred) ? best[candidates.indexOf(preferred)] : Long.MAX_VALUE;
        long chosenTime = Long.MAX_VALUE;
        for (int i = 0; i < candidates.size(); i++) {
            if (best[i] < chosenTime && best[i] < (1 - MARGIN) * preferredTime) {
                chosen = candidates.get(i);
                chosenTime = best[i];
            }
        }
        return chosen;
    }
}

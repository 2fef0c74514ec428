package io.cnn4j.tensor;

/**
 * A seeded source of random numbers, so that initialisation, dropout and shuffling repeat exactly from
 * a seed. There is no global generator: whatever draws (a model's {@code initialize}, a data loader, an
 * augmentation) is handed one, so two models built in one JVM, at once or one after the other, draw
 * the same numbers as they would alone. {@link #split()} gives an independent stream to hand on.
 *
 * <p>The generator is SplitMix64 (Steele, Lea and Flood, 2014): its whole state is one {@code long} plus
 * a cached Gaussian, which {@link #state()} exposes so a checkpoint can resume a run bit for bit.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long seed;
    private double spareGaussian = Double.NaN;

    public Rng(long seed) {
        this.seed = seed;
    }

    public long nextLong() {
        long z = (seed += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1), 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    public float uniform(double lo, double hi) {
        return (float) (lo + (hi - lo) * nextDouble());
    }

    /** Uniform in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = (1L << 32) - ((1L << 32) % bound);
        while (true) {
            long r = nextLong() >>> 32;
            if (r < limit) {
                return (int) (r % bound);
            }
        }
    }

    /** Standard normal, by the Box-Muller transform (two values per pair of uniforms). */
    public double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        spareGaussian = r * Math.sin(2 * Math.PI * u2);
        return r * Math.cos(2 * Math.PI * u2);
    }

    /** A new generator seeded from this one: an independent stream for an independent consumer. */
    public Rng split() {
        return new Rng(nextLong());
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The complete state, for checkpoints. */
    public State state() {
        return new State(seed, spareGaussian);
    }

    /** Continues exactly where the generator that gave {@code state} stood. */
    public void restore(State state) {
        this.seed = state.seed();
        this.spareGaussian = state.spareGaussian();
    }

    /** The generator's state: the SplitMix64 counter and the cached second Gaussian (NaN when none). */
    public record State(long seed, double spareGaussian) {
    }
}

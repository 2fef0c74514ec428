import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Times two or more builds of cnn4j against each other in one JVM: each jar gets its own class loader,
 * and their kernels are called in turn, call by call, so that every build sees the same stretches of a
 * noisy host. Prints, per case, each build's best and median and the median over rounds of the first
 * build's time divided by this build's (above 1: faster than the first). Run it through
 * scripts/paired-jars, which adds the JVM options the kernels need.
 */
public final class PairedJars {
    private static final String USAGE = """
            usage: scripts/paired-jars [--gemm N | --conv SPECS] [--threads T] [--seconds S] [--batch B] JAR JAR...
              --gemm N      C = A B with N x N matrices, on one thread (cnn4j's GEMM; the default, N = 1024)
              --conv SPECS  every pass of the convolutions SPECS: CIN,SIZE,COUT,KERNEL,STRIDE,PAD;... or
                            'resnet3' for that model's layers (batch --batch, default 128)
              --threads T   kernel threads for --conv (default 2)
              --seconds S   how long to alternate (default 15)
              JAR           a cnn4j jar (cnn4j-cli/target/cnn4j.jar, or the core jar); the first is the reference""";
    private static final String RESNET3 = "1,28,32,3,1,1;32,28,32,3,1,1;32,28,64,3,2,1;32,28,64,1,2,0;"
            + "64,14,64,3,1,1;64,14,128,3,2,1;64,14,128,1,2,0;128,7,128,3,1,1";
    private static final String[] PASSES = {"forward", "input gradient", "weight gradient"};

    /** One timed piece of work on one build. */
    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int gemm = 1024;
        String conv = null;
        int threads = 2;
        int batch = 128;
        double seconds = 15;
        List<Path> jars = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--gemm" -> gemm = Integer.parseInt(value(args, ++i));
                case "--conv" -> conv = value(args, ++i);
                case "--threads" -> threads = Integer.parseInt(value(args, ++i));
                case "--batch" -> batch = Integer.parseInt(value(args, ++i));
                case "--seconds" -> seconds = Double.parseDouble(value(args, ++i));
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> {
                    Path jar = Path.of(args[i]);
                    if (!Files.isRegularFile(jar)) {
                        fail("no such jar: " + args[i]);
                    }
                    jars.add(jar);
                }
            }
        }
        if (jars.size() < 2) {
            fail("give at least two jars to compare");
        }
        List<String> names = new ArrayList<>();
        List<Call[]> calls = new ArrayList<>();
        if (conv == null) {
            names.add(gemm + "^3 GEMM, 1 thread");
            calls.add(gemmCalls(jars, gemm));
        } else {
            convCalls(jars, conv.equals("resnet3") ? RESNET3 : conv, threads, batch, names, calls);
        }
        List<long[][]> rounds = alternate(calls, jars.size(), seconds);
        report(names, jars, rounds);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            fail(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println("paired-jars: " + message + "\n" + USAGE);
        System.exit(2);
    }

    private static ClassLoader loader(Path jar) throws Exception {
        return new URLClassLoader(new URL[]{jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    private static Call[] gemmCalls(List<Path> jars, int n) throws Exception {
        Random random = new Random(1);
        float[] a = randoms(random, n * n);
        float[] b = randoms(random, n * n);
        float[] c = new float[n * n];
        Call[] calls = new Call[jars.size()];
        for (int j = 0; j < jars.size(); j++) {
            Class<?> gemm = Class.forName("io.cnn4j.kernel.Gemm", true, loader(jars.get(j)));
            Method multiply = gemm.getDeclaredMethod("multiply", boolean.class, boolean.class, int.class, int.class,
                    int.class, float[].class, int.class, int.class, float[].class, int.class, int.class, float.class,
                    float[].class, int.class, int.class);
            multiply.setAccessible(true);
            calls[j] = () -> multiply.invoke(null, false, false, n, n, n, a, 0, n, b, 0, n, 0f, c, 0, n);
        }
        return calls;
    }

    private static void convCalls(List<Path> jars, String specs, int threads, int batch, List<String> names,
                                  List<Call[]> calls) throws Exception {
        Object[] kernels = new Object[jars.size()];
        Class<?>[] geometry = new Class<?>[jars.size()];
        for (int j = 0; j < jars.size(); j++) {
            ClassLoader loader = loader(jars.get(j));
            kernels[j] = Class.forName("io.cnn4j.kernel.CpuKernels", true, loader).getConstructor(int.class)
                    .newInstance(threads);
            geometry[j] = Class.forName("io.cnn4j.kernel.ConvGeometry", true, loader);
        }
        Random random = new Random(1);
        for (String spec : specs.split(";")) {
            int[] s = Arrays.stream(spec.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            if (s.length != 6) {
                fail("a convolution is CIN,SIZE,COUT,KERNEL,STRIDE,PAD, got '" + spec + "'");
            }
            int cin = s[0], size = s[1], cout = s[2], k = s[3], stride = s[4], pad = s[5];
            int out = (size + 2 * pad - k) / stride + 1;
            float[] x = randoms(random, batch * cin * size * size);
            float[] w = randoms(random, cout * cin * k * k);
            float[] dy = randoms(random, batch * cout * out * out);
            float[] y = new float[dy.length];
            float[] dx = new float[x.length];
            float[] dw = new float[w.length];
            for (int pass = 0; pass < PASSES.length; pass++) {
                names.add(String.format("%d->%d at %dx%d, %dx%d stride %d: %s", cin, cout, size, size, k, k, stride,
                        PASSES[pass]));
                Call[] row = new Call[jars.size()];
                for (int j = 0; j < jars.size(); j++) {
                    Class<?> g = geometry[j];
                    Object geom = g.getMethod("of", int.class, int.class, int.class, int.class, int.class, int.class,
                            int.class, int.class, int.class, int.class, int.class)
                            .invoke(null, batch, cin, size, size, cout, k, k, stride, pad, 1, 1);
                    Object kern = kernels[j];
                    Class<?> kc = kern.getClass();
                    row[j] = switch (pass) {
                        case 0 -> {
                            Method m = kc.getMethod("conv2d", g, float[].class, float[].class, float[].class,
                                    boolean.class, float[].class);
                            yield () -> m.invoke(kern, geom, x, w, null, false, y);
                        }
                        case 1 -> {
                            Method m = kc.getMethod("conv2dBackwardInput", g, float[].class, float[].class, float[].class);
                            yield () -> m.invoke(kern, geom, dy, w, dx);
                        }
                        default -> {
                            Method m = kc.getMethod("conv2dBackwardWeight", g, float[].class, float[].class,
                                    float[].class, float[].class);
                            yield () -> m.invoke(kern, geom, x, dy, dw, null);
                        }
                    };
                }
                calls.add(row);
            }
        }
    }

    /**
     * Rounds of every case on every build, the builds' order rotating from round to round; the first
     * rounds warm the JIT up and are dropped. Returns nanoseconds, [case][build] per round.
     */
    private static List<long[][]> alternate(List<Call[]> calls, int builds, double seconds) throws Exception {
        List<long[][]> rounds = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (int round = 0; System.nanoTime() < end || rounds.size() < 5; round++) {
            long[][] times = new long[calls.size()][builds];
            for (int c = 0; c < calls.size(); c++) {
                for (int i = 0; i < builds; i++) {
                    int j = (i + round) % builds;
                    long start = System.nanoTime();
                    calls.get(c)[j].run();
                    times[c][j] = System.nanoTime() - start;
                }
            }
            if (round >= 3) {
                rounds.add(times);
            }
        }
        return rounds;
    }

    private static void report(List<String> names, List<Path> jars, List<long[][]> rounds) {
        System.out.printf("%d rounds; ratio = %s's time / the build's, median over rounds%n", rounds.size(),
                jars.get(0));
        double[] totals = new double[jars.size()];
        for (int c = 0; c < names.size(); c++) {
            StringBuilder line = new StringBuilder(names.get(c));
            for (int j = 0; j < jars.size(); j++) {
                int cf = c;
                int jf = j;
                double[] ms = rounds.stream().mapToDouble(r -> r[cf][jf] / 1e6).sorted().toArray();
                double[] ratio = rounds.stream().mapToDouble(r -> (double) r[cf][0] / r[cf][jf]).sorted().toArray();
                totals[j] += median(ms);
                line.append(String.format("%n  %-40s best %8.2f ms  median %8.2f ms  ratio %.3f", jars.get(j),
                        ms[0], median(ms), median(ratio)));
            }
            System.out.println(line);
        }
        if (names.size() > 1) {
            System.out.println("sum of medians (ms): " + Arrays.toString(Arrays.stream(totals)
                    .map(t -> Math.round(t * 100) / 100.0).toArray()));
        }
    }

    private static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }

    private static float[] randoms(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextFloat() - 0.5f;
        }
        return a;
    }
}

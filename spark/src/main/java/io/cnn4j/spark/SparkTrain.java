package io.cnn4j.spark;

import io.cnn4j.io.ModelFile;
import io.cnn4j.io.OutputFiles;
import io.cnn4j.models.Models;
import io.cnn4j.train.EpochMetrics;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The main class for {@code spark-submit} (and {@code ./cnn4j-spark}): {@code train} with the options of
 * {@code cnn4j train} that data-parallel training takes, {@code --batch-size} being the global batch. The
 * master comes from spark-submit ({@code --master}), or from {@code --master} here when run directly.
 */
@Command(name = "cnn4j-spark", mixinStandardHelpOptions = true, version = "cnn4j-spark " + ModelFile.VERSION,
        subcommands = SparkTrain.Train.class,
        description = "Train cnn4j models on Apache Spark: synchronous data parallelism, gradients summed over direct sockets.")
public final class SparkTrain implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line; returns the exit code (0 ok, 1 failure, 2 usage). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new SparkTrain());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("cnn4j-spark train: error: " + SparkTrainer.rootMessage(ex));
            if (System.getenv("CNN4J_DEBUG") != null) {
                ex.printStackTrace(line.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    @Command(name = "train",
            description = "Train a built-in model on a Spark cluster, with the options of cnn4j train that data parallelism"
                    + " takes; --batch-size is the global batch.")
    static final class Train implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(names = "--master", paramLabel = "URL", description = "Spark master when not run by spark-submit, e.g. local[4], spark://host:7077.")
        String master;

        @Option(names = "--data", paramLabel = "SPEC", defaultValue = "embedded",
                description = "embedded, fashion-mnist, or a directory (MNIST-style, CIFAR, pictures) every executor reads at this path"
                        + " (default: ${DEFAULT-VALUE}).")
        String data;

        @Option(names = "--model", paramLabel = "NAME", defaultValue = "small", description = "A built-in model (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--epochs", paramLabel = "N", defaultValue = "2", description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64",
                description = "Images per step over all workers together (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam", description = "sgd or adam (default: ${DEFAULT-VALUE}).")
        String optimizer;

        @Option(names = "--lr", paramLabel = "X", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
        double lr;

        @Option(names = "--momentum", paramLabel = "X", defaultValue = "0", description = "Momentum of sgd (default: ${DEFAULT-VALUE}).")
        double momentum;

        @Option(names = "--weight-decay", paramLabel = "X", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
        double weightDecay;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Initial weights and batch order (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--max-steps", paramLabel = "N", defaultValue = "0", description = "Stop after N optimizer steps in all (0: no limit).")
        long maxSteps;

        @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
                description = "Spark tasks training together, one per executor (default: spark.executor.instances, or the"
                        + " executors registered; one per core in local mode).")
        int workers;

        @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "Kernel threads per worker (default: spark.task.cpus).")
        int threads;

        @Option(names = "--peer-timeout", paramLabel = "SECONDS", defaultValue = "120",
                description = "How long a worker waits for another before failing (default: ${DEFAULT-VALUE}).")
        int peerTimeout;

        @Option(names = "--checkpoint", paramLabel = "FILE",
                description = "Rank 0 writes a checkpoint here (storage every executor reads); a retried stage resumes from it.")
        Path checkpoint;

        @Option(names = "--checkpoint-every-steps", paramLabel = "N", defaultValue = "0",
                description = "Also checkpoint every N steps (default: epoch ends only).")
        long checkpointEvery;

        @Option(names = "--save", paramLabel = "FILE", description = "Rank 0 writes the trained model (safetensors) here.")
        Path save;

        @Option(names = "--metrics-out", paramLabel = "FILE", description = "The driver writes one JSON object per epoch here.")
        Path metricsOut;

        /** cnn4j's kernels use the Vector API, an incubator module every executor JVM must add. */
        private static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";
        private static final String EXECUTOR_OPTIONS = "spark.executor.extraJavaOptions";

        /**
         * Run directly rather than by spark-submit (which ships the application jar itself), the executors of
         * a cluster, local-cluster's included, get this jar from the driver.
         */
        private static void shipThisJar(SparkSession.Builder builder) throws java.net.URISyntaxException {
            var source = SparkTrain.class.getProtectionDomain().getCodeSource();
            if (System.getProperty("spark.jars") == null && source != null && source.getLocation().getPath().endsWith(".jar")) {
                builder.config("spark.jars", Path.of(source.getLocation().toURI()).toString());
            }
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (!Models.names().contains(model)) {
                throw new IllegalArgumentException("--model: unknown model '" + model + "'; built-in models: " + Models.names());
            }
            if (checkpointEvery > 0 && checkpoint == null) {
                throw new IllegalArgumentException("--checkpoint-every-steps needs --checkpoint FILE to write to");
            }
            TrainingPlan plan = new TrainingPlan().model(model).seed(seed).optimizer(optimizer, lr, momentum, weightDecay)
                    .batchSize(batchSize).epochs(epochs).maxSteps(maxSteps).workers(workers).threads(threads)
                    .timeoutSeconds(peerTimeout)
                    .checkpoint(checkpoint == null ? null : checkpoint.toAbsolutePath().toString(), checkpointEvery)
                    .save(save == null ? null : save.toAbsolutePath().toString());
            SparkSession.Builder builder = SparkSession.builder().appName("cnn4j train " + model);
            if (master != null) {
                builder.master(master);
            }
            shipThisJar(builder);
            String executorOptions = System.getProperty(EXECUTOR_OPTIONS, "");
            if (!executorOptions.contains(VECTOR_MODULE)) {
                builder.config(EXECUTOR_OPTIONS, (executorOptions + " " + VECTOR_MODULE).strip());
            }
            SparkSession spark = builder.getOrCreate();
            try {
                SparkTrainer trainer = new SparkTrainer(spark, plan);
                out.printf(Locale.ROOT, "training: %s on %s, %d worker(s), global batch %d, %s lr %s, %d epoch(s), seed %d%n",
                        model, data, trainer.workers(), batchSize, optimizer, lr, epochs, seed);
                long start = System.nanoTime();
                SparkTrainer.Result result = trainer.onEpochEnd(m -> out.printf(Locale.ROOT,
                        "epoch %d: %d steps, train loss %.4f acc %.4f, test loss %.4f acc %.4f, %.1f s%n", m.epoch(), m.steps(),
                        m.trainLoss(), m.trainAccuracy(), m.testLoss(), m.testAccuracy(), m.seconds())).fit(data);
                StringBuilder lines = new StringBuilder();
                result.epochs().forEach(m -> lines.append(m.jsonLine()));
                if (metricsOut != null) {
                    OutputFiles.replace(metricsOut, lines.toString().getBytes(StandardCharsets.UTF_8));
                }
                out.printf(Locale.ROOT, "done: %d steps in %.1f s, %.2f ms a step summing gradients%s%n", result.steps(),
                        (System.nanoTime() - start) / 1e9, result.allReduceSeconds() * 1e3, save == null ? "" : ", saved " + save);
                return 0;
            } finally {
                spark.stop();
            }
        }
    }
}

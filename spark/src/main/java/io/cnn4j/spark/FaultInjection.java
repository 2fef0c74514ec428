package io.cnn4j.spark;

/**
 * For tests of recovery: makes one worker fail at one step, in the first attempt of the stage only. Workers
 * in the test's own JVM (Spark's local mode) see {@link #failAt}, which throws; executors in JVMs of their
 * own (local-cluster, a real cluster) see {@code CNN4J_SPARK_TEST_EXIT=RANK:STEP} in their environment,
 * which ends the executor's process there, as a machine that dies would.
 */
final class FaultInjection {
    private static volatile int rank = -1;
    private static volatile long step;
    private static volatile boolean failed;

    private FaultInjection() {
    }

    static void failAt(int failingRank, long failingStep) {
        rank = failingRank;
        step = failingStep;
    }

    static void clear() {
        rank = -1;
        failed = false;
    }

    /** Whether a worker failed as asked. */
    static boolean failed() {
        return failed;
    }

    private static final String EXIT_VARIABLE = "CNN4J_SPARK_TEST_EXIT";

    /** Throws, or ends the process, when this worker, in this attempt, is the one to fail after {@code doneStep}. */
    static void check(int workerRank, long doneStep, int attempt) {
        String exit = System.getenv(EXIT_VARIABLE);
        if (attempt == 0 && exit != null && exit.equals(workerRank + ":" + doneStep)) {
            System.err.println(EXIT_VARIABLE + ": worker " + workerRank + " ends its executor after step " + doneStep);
            Runtime.getRuntime().halt(137);
        }
        if (attempt == 0 && workerRank == rank && doneStep == step) {
            failed = true;
            throw new IllegalStateException("worker " + workerRank + " failed on purpose after step " + doneStep);
        }
    }
}

package io.cnn4j.spark;

/**
 * For tests of recovery: makes one worker fail at one step, in the first attempt of the stage only, as a
 * worker whose executor died would. Workers in the test's own JVM (Spark's local mode) see it.
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

    /** Throws when this worker, in this attempt, is the one to fail after {@code doneStep}. */
    static void check(int workerRank, long doneStep, int attempt) {
        if (attempt == 0 && workerRank == rank && doneStep == step) {
            failed = true;
            throw new IllegalStateException("worker " + workerRank + " failed on purpose after step " + doneStep);
        }
    }
}

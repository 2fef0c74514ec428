package io.cnn4j.cli;

import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.kernel.ReferenceKernels;
import io.cnn4j.tensor.Execution;
import picocli.CommandLine.Option;

/** Options about how the computation runs, shared by the commands that compute. */
final class RuntimeOptions {
    /** Each kernel thread holds buffers of its own; more threads than this is a mistake on any machine today. */
    static final int MAX_THREADS = 1024;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads for the kernels (default: all the processors the JVM has).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--reference-kernels", hidden = true,
            description = "Compute with the plain reference kernels (the specification; slow), to compare against.")
    boolean reference;

    /** Checks the options before anything is read. */
    void validate() {
        Bounds.between("--threads", threads, 1, MAX_THREADS);
    }

    /** Runs {@code work} on the kernels these options choose, and stops their threads afterwards. */
    <T> T run(ScopedValue.CallableOp<T, Exception> work) throws Exception {
        validate();
        if (reference) {
            return Execution.call(new ReferenceKernels(), work);
        }
        try (CpuKernels kernels = new CpuKernels(threads)) {
            return Execution.call(kernels, work);
        }
    }
}

package io.cnn4j.bench;

import io.cnn4j.kernel.Kernels;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What every kernel benchmark shares: throughput mode, the JVM flags the library needs, settings short
 * enough that the whole suite runs in about a quarter of an hour on two cores (override them with
 * JMH's {@code -f -wi -i -w -r}), and the kernels under test, closed after each trial so their worker
 * threads do not outlive it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC", "-XX:-TieredCompilation", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class KernelBenchmark {
    protected Kernels kernels;

    @TearDown(Level.Trial)
    public void closeKernels() throws Exception {
        if (kernels instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}

package io.cnn4j.cli;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The machine's OpenBLAS {@code cblas_sgemm}, called through the foreign-function API, for {@code cnn4j bench
 * --gemm --openblas} only: the reference that cnn4j's multiply is timed against, call by call in one
 * process. Nothing else in cnn4j loads native code.
 */
final class OpenBlas {
    static final String DEFAULT_LIBRARY = "libopenblas.so.0";
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;

    private final String library;
    private final MethodHandle sgemm;

    private OpenBlas(String library, MethodHandle sgemm) {
        this.library = library;
        this.sgemm = sgemm;
    }

    /** Loads {@code library} (a file name the dynamic linker finds, or a path) and sets its threads. */
    static OpenBlas load(String library, int threads) {
        Linker linker = Linker.nativeLinker();
        waitPassively(linker);
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--openblas: cannot load '" + library
                    + "' (install libopenblas0-openmp, or give the library's path)", e);
        }
        MethodHandle sgemm = linker.downcallHandle(symbol(lookup, library, "cblas_sgemm"), FunctionDescriptor.ofVoid(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        MethodHandle setThreads = linker.downcallHandle(symbol(lookup, library, "openblas_set_num_threads"),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        try {
            setThreads.invokeExact(threads);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed in " + library, t);
        }
        return new OpenBlas(library, sgemm);
    }

    /**
     * Sets {@code OMP_WAIT_POLICY=PASSIVE} unless the user set it. By default OpenBLAS's OpenMP threads spin
     * for a while after each call, and alternated call by call they would take the cores that cnn4j's next
     * multiply runs on (measured at 2 threads: 0.71 of OpenBLAS's speed, against 0.94 with the threads
     * passive). The OpenMP runtime reads it when it is loaded, so this comes before the library.
     */
    private static void waitPassively(Linker linker) {
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(
                        () -> new IllegalStateException("the C library has no setenv")),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int status = (int) setenv.invokeExact(arena.allocateFrom("OMP_WAIT_POLICY"), arena.allocateFrom("PASSIVE"), 0);
            if (status != 0) {
                throw new IllegalStateException("setenv(OMP_WAIT_POLICY) failed");
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("setenv(OMP_WAIT_POLICY) failed", t);
        }
    }

    private static MemorySegment symbol(SymbolLookup lookup, String library, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalArgumentException(
                "--openblas: '" + library + "' has no " + name + "; is it OpenBLAS?"));
    }

    String library() {
        return library;
    }

    /** {@code C = A B}, all row-major and dense: A {@code m x k}, B {@code k x n}, C {@code m x n}. */
    void multiply(int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
        try {
            sgemm.invokeExact(ROW_MAJOR, NO_TRANS, NO_TRANS, m, n, k, 1f, a, k, b, n, 0f, c, n);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed in " + library, t);
        }
    }
}

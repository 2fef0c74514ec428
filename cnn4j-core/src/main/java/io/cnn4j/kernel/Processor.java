package io.cnn4j.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What Linux says of the processor ({@code /proc/cpuinfo}): the kernels keep their measured choices per
 * processor model, and the benchmarks name the processor their figures come from.
 */
public final class Processor {
    private Processor() {
    }

    /** The lines of {@code /proc/cpuinfo}, or empty where there is none (another OS, a sandbox). */
    public static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The value of the first {@code key : value} line of {@code cpuinfo} whose key is {@code key}. */
    public static Optional<String> field(List<String> cpuinfo, String key) {
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                return Optional.of(line.substring(colon + 1).strip());
            }
        }
        return Optional.empty();
    }
}

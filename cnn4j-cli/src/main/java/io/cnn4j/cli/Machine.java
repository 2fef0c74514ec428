package io.cnn4j.cli;

import io.cnn4j.kernel.Processor;

import java.util.List;

/**
 * What the benchmarks ran on, for their JSON: the processor and how many of it the JVM sees. The machines
 * this project is measured on change from day to day (an EPYC of one generation or another behind the
 * same name), and figures from different processors do not compare; the CPU's family and model numbers
 * tell the generations apart where the model name does not.
 */
final class Machine {
    private Machine() {
    }

    /** For example {@code "AMD EPYC (family 23, model 1), 2 CPUs"}; the OS architecture where /proc/cpuinfo is missing. */
    static String cpu() {
        return describe(Processor.cpuinfo(), Runtime.getRuntime().availableProcessors());
    }

    /** The first processor's model name, family and model in {@code cpuinfo}'s lines. */
    static String describe(List<String> cpuinfo, int cpus) {
        String name = field(cpuinfo, "model name");
        String family = field(cpuinfo, "cpu family");
        String model = field(cpuinfo, "model");
        String what = name == null ? System.getProperty("os.arch") : name;
        if (family != null && model != null) {
            what += " (family " + family + ", model " + model + ")";
        }
        return (what + ", " + cpus + " CPUs").replace('"', '\'');
    }

    private static String field(List<String> cpuinfo, String key) {
        return Processor.field(cpuinfo, key).orElse(null);
    }
}

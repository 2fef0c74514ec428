package io.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line in a child JVM of its own, to be killed or signalled as a user's would be. */
final class ChildCli {
    private ChildCli() {
    }

    /** {@code java -cp <this test's class path> io.cnn4j.cli.Main args}, stdout and stderr merged into {@code log}. */
    static Process start(List<String> args, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}

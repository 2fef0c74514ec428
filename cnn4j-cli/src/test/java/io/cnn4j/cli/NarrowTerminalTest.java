package io.cnn4j.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Training in a narrow terminal: {@code cnn4j train} runs under a pseudo-terminal of 80 and of 40 columns
 * (util-linux {@code script}), and what the terminal would show holds one bar line per epoch and the epoch
 * summaries, none of them wider than the terminal, so nothing wrapped.
 */
class NarrowTerminalTest {

    @ParameterizedTest
    @ValueSource(ints = {80, 40})
    void trainingFitsTheTerminal(int columns) throws Exception {
        assumeTrue(scriptAvailable(), "util-linux 'script' is not on the PATH, so no pseudo-terminal can be driven");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String train = String.join(" ", quoted(java), "--add-modules", "jdk.incubator.vector",
                "-cp", quoted(System.getProperty("java.class.path")), Main.class.getName(),
                "train", "--data", "embedded", "--epochs", "2", "--max-steps", "180", "--threads", "1");
        String output = underTerminal("stty cols " + columns + " rows 24; exec " + train);
        List<String> rows = TerminalScreen.of(output).rows();

        int trainingStarts = rows.indexOf(rows.stream().filter(row -> row.startsWith("epoch 1/2 ")).findFirst()
                .orElseThrow(() -> new AssertionError("no progress bar on the screen:\n" + output)));
        // At 80 columns every line fits; at 40 the run's opening lines (data, model) may wrap, the bars and
        // summaries may not.
        List<String> mustFit = columns >= 80 ? rows : rows.subList(trainingStarts, rows.size());
        for (String row : mustFit) {
            assertTrue(TerminalScreen.width(row) <= columns,
                    "a line of " + TerminalScreen.width(row) + " columns in a terminal of " + columns + ": " + row
                            + "\n" + String.join("\n", rows));
        }
        for (int epoch = 1; epoch <= 2; epoch++) {
            String bar = "epoch " + epoch + "/2 ";
            String summary = "epoch " + epoch + "/2: train loss ";
            assertEquals(1, rows.stream().filter(row -> row.startsWith(bar) && row.contains("%")).count(),
                    "one bar line for epoch " + epoch + ":\n" + String.join("\n", rows));
            assertEquals(1, rows.stream().filter(row -> row.startsWith(summary)).count(),
                    "the summary of epoch " + epoch + ":\n" + String.join("\n", rows));
        }
        assertEquals(2, rows.stream().filter(row -> row.contains("test loss ")).count(), String.join("\n", rows));
        assertTrue(rows.stream().anyMatch(row -> row.startsWith("test accuracy ")), String.join("\n", rows));
    }

    /** Runs a shell command on a fresh pseudo-terminal and returns all it wrote there. */
    private static String underTerminal(String command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("pty", ".out");
        try {
            Process script = new ProcessBuilder("script", "-qfec", command, "/dev/null")
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = script.waitFor(3, TimeUnit.MINUTES);
            if (!ended) {
                script.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(ended && script.exitValue() == 0, "training under a pseudo-terminal failed:\n" + output);
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static boolean scriptAvailable() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "script")));
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}

package io.cnn4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Training in a narrow terminal: {@code cnn4j train} runs under a pseudo-terminal of 80 and of 40 columns
 * (util-linux {@code script}), and what the terminal would show holds one bar line per epoch and the epoch
 * summaries, none of them wider than the terminal, so nothing wrapped; so do the bars of decoding a folder of
 * pictures whose name is wider than the terminal.
 */
class NarrowTerminalTest {

    @ParameterizedTest
    @ValueSource(ints = {80, 40})
    void trainingFitsTheTerminal(int columns) throws Exception {
        String output = underTerminal(columns, "--data", "embedded", "--epochs", "2", "--max-steps", "180");
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

    @Test
    void decodingAFolderWithALongNameFitsFortyColumns(@TempDir Path tmp) throws Exception {
        Path folder = tmp.resolve("a-folder-of-pictures-whose-name-alone-is-wider-than-the-terminal");
        for (String part : List.of("train", "test")) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 40; i++) {
                    Path file = folder.resolve(part).resolve("class" + c).resolve(i + ".png");
                    PictureFolderCliTest.picture(file, c == 0 ? 0x3060c0 : 0xc06030);
                }
            }
        }
        String output = underTerminal(40, "--data", folder.toString(), "--cache-dir", tmp.resolve("cache").toString(),
                "--epochs", "1", "--max-steps", "2");
        List<String> rows = TerminalScreen.of(output).rows();
        List<String> bars = rows.stream().filter(row -> row.contains("%") && row.contains("160/160")).toList();
        assertEquals(1, bars.size(), "one bar for decoding the 160 pictures:\n" + String.join("\n", rows));
        assertTrue(TerminalScreen.width(bars.getFirst()) <= 40, "a bar wider than the terminal: " + bars.getFirst());
        assertTrue(rows.stream().anyMatch(row -> row.startsWith("note: decoded 160 pictures into the cache")),
                "the cache note on a line of its own, after the bars:\n" + String.join("\n", rows));
    }

    /** Runs {@code cnn4j train ARGS} on a fresh pseudo-terminal of the given width; returns all it wrote there. */
    private static String underTerminal(int columns, String... args) throws IOException, InterruptedException {
        assumeTrue(scriptAvailable(), "util-linux 'script' is not on the PATH, so no pseudo-terminal can be driven");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> train = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--threads", "1"));
        train.addAll(List.of(args));
        String command = "stty cols " + columns + " rows 24; exec "
                + train.stream().map(NarrowTerminalTest::quoted).collect(Collectors.joining(" "));
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

    /** Whether util-linux's {@code script} is here (the BSD one takes other options). */
    private static boolean scriptAvailable() {
        try {
            Process version = new ProcessBuilder("script", "--version").redirectErrorStream(true).start();
            String said = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return version.waitFor(10, TimeUnit.SECONDS) && said.contains("util-linux");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}

package io.cnn4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command's {@code --help} at 80 columns, compared with its golden file in
 * {@code src/test/resources/io/cnn4j/cli/help/}. After changing a command's options or texts, rewrite the
 * goldens and read the diff before committing it:
 * <pre>
 * mvn -pl cnn4j-cli -am test -Dtest=HelpGoldenTest -Dsurefire.failIfNoSpecifiedTests=false -Dcnn4j.help.regenerate=true
 * </pre>
 */
class HelpGoldenTest {
    private static final Path GOLDEN = Path.of("src", "test", "resources", "io", "cnn4j", "cli", "help");
    private static final int WIDTH = 80;

    /** The top-level command, then each subcommand by name. */
    static List<String> commands() {
        List<String> commands = new ArrayList<>(List.of("cnn4j"));
        commands.addAll(new CommandLine(new Main()).getSubcommands().keySet());
        return commands;
    }

    @ParameterizedTest
    @MethodSource("commands")
    void helpMatchesItsGolden(String command) throws IOException {
        CliRun run = command.equals("cnn4j") ? CliRun.of("--help") : CliRun.of(command, "--help");
        assertEquals(0, run.exitCode(), run.toString());
        Path golden = GOLDEN.resolve(command + ".txt");
        if (Boolean.getBoolean("cnn4j.help.regenerate")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, run.out());
        }
        assertTrue(Files.exists(golden), "no golden for '" + command + " --help'; regenerate the goldens (see this class)");
        assertEquals(Files.readString(golden), run.out(), "'" + command + " --help' differs from " + golden
                + "; if the change is meant, regenerate the goldens (see this class)");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void helpFitsEightyColumns(String command) {
        CliRun run = command.equals("cnn4j") ? CliRun.of("--help") : CliRun.of(command, "--help");
        run.out().lines().forEach(line -> assertTrue(line.length() <= WIDTH,
                "'" + command + " --help' has a line of " + line.length() + " columns: " + line));
    }

    @Test
    void everyGoldenBelongsToACommand() throws IOException {
        try (var files = Files.list(GOLDEN)) {
            List<String> stale = files.map(file -> file.getFileName().toString().replaceFirst("\\.txt$", ""))
                    .filter(name -> !commands().contains(name)).toList();
            assertEquals(List.of(), stale, "goldens of commands that no longer exist");
        }
    }
}

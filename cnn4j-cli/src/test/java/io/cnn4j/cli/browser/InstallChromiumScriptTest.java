package io.cnn4j.cli.browser;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * CI's {@code .ci/install-chromium}, run against a stand-in apt-get on a PATH of its own: nothing happens where
 * Chromium is installed, a failed install is retried after {@code apt-get update}, and a lasting failure shows
 * apt's output.
 */
class InstallChromiumScriptTest {
    private static final Path SCRIPT = Path.of(System.getProperty("basedir", "."), "..", ".ci", "install-chromium");
    private static final String INSTALL = "install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=120 chromium fonts-liberation";
    private static final String UPDATE = "update -qq -o DPkg::Lock::Timeout=120";

    @TempDir
    Path tmp;
    private Path bin;

    @BeforeEach
    void path() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "the script runs under bash");
        bin = Files.createDirectory(tmp.resolve("bin"));
        for (String tool : List.of("mktemp", "rm", "cat")) {
            Path real = Files.isExecutable(Path.of("/usr/bin", tool)) ? Path.of("/usr/bin", tool) : Path.of("/bin", tool);
            executable(bin.resolve(tool), "exec " + real + " \"$@\"");
        }
        // As root, as CI is, whoever runs the test.
        executable(bin.resolve("id"), "echo 0");
    }

    @Test
    void anInstalledChromiumIsLeftAloneWithoutCallingApt() throws Exception {
        executable(bin.resolve("chromium"), "exit 0");
        apt("exit 100");
        Result result = run();
        assertEquals(new Result(0, "", ""), result);
        assertFalse(Files.exists(tmp.resolve("apt.calls")), "apt-get was not called");
    }

    @Test
    void aFailedInstallIsRetriedOnceAfterUpdatingThePackageLists() throws Exception {
        apt("""
                if [ "$1" = update ]; then : > "$HERE/updated"; exit 0; fi
                if [ ! -e "$HERE/updated" ]; then echo "E: Unable to locate package chromium" >&2; exit 100; fi
                printf '#!/bin/bash\\n' > "$HERE/bin/chromium" && /bin/chmod +x "$HERE/bin/chromium"
                """);
        Result result = run();
        assertEquals(new Result(0, ".ci/install-chromium: installing Debian's chromium for the browser tests\n", ""), result);
        assertEquals(List.of(INSTALL, UPDATE, INSTALL), Files.readAllLines(tmp.resolve("apt.calls")));
    }

    @Test
    void anInstallThatKeepsFailingShowsAptsOutputAndFails() throws Exception {
        apt("echo \"E: Unable to locate package chromium\" >&2; exit 100");
        Result result = run();
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("E: Unable to locate package chromium\n"), result.toString());
        assertTrue(result.err().endsWith(".ci/install-chromium: apt-get could not install chromium, even after apt-get update;"
                + " its output is above\n"), result.toString());
        assertEquals(List.of(INSTALL, UPDATE, INSTALL), Files.readAllLines(tmp.resolve("apt.calls")));
    }

    private record Result(int exitCode, String out, String err) {
    }

    private void apt(String behaviour) throws IOException {
        executable(bin.resolve("apt-get"), "HERE='" + tmp + "'\necho \"$*\" >> \"$HERE/apt.calls\"\n" + behaviour);
    }

    private Result run() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", SCRIPT.toString())
                .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        builder.environment().clear();
        builder.environment().put("PATH", bin.toString());
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(SCRIPT + " did not finish within 30 s");
        }
        return new Result(process.exitValue(), Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err")));
    }

    private static void executable(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}

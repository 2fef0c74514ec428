package io.cnn4j.bench;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The comparison scripts' own tests ({@code scripts/test_*.py}: what the scripts compute from the benchmarks'
 * output, with no benchmark run), so that the build runs them. They need a Python 3 and nothing else.
 */
class ScriptsTest {

    @Test
    void theScriptsUnitTestsPass() throws Exception {
        Path scripts = Path.of("..", "scripts").toAbsolutePath().normalize();
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process p;
        try {
            p = new ProcessBuilder(python, "-B", "-m", "unittest", "discover", "-s", scripts.toString(), "-p", "test_*.py")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no python3 to run " + scripts + "/test_*.py: " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the scripts' tests did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("\nOK"), out);
    }
}

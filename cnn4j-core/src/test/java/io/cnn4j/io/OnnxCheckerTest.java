package io.cnn4j.io;

import io.cnn4j.onnx.OnnxFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ONNX project's own checker, with its full check (shape inference over every node), accepts every
 * exported model: Debian's python3-onnx, which CI installs; skipped with a message where it is missing.
 */
class OnnxCheckerTest {
    private static final String CHECK = """
            import sys, onnx
            for path in sys.argv[1:]:
                onnx.checker.check_model(path, full_check=True)
                print("ok", path)
            """;

    @Test
    void onnxsCheckerAcceptsEveryExportedModel(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Python.canImport("onnx"), "skipped: " + Python.executable() + " cannot import onnx"
                + " (install Debian's python3-onnx to run the ONNX checker)");
        List<String> command = new ArrayList<>(List.of(Python.executable(), "-c", CHECK));
        int n = 0;
        for (ExportedModels.Case c : ExportedModels.all()) {
            for (OnnxExport export : List.of(OnnxExport.of(c.model(), c.input()), OnnxExport.of(c.model(), c.input()).withSoftmax())) {
                Path file = dir.resolve("model" + n++ + ".onnx");
                Files.write(file, OnnxFile.encode(export.toOnnx()));
                command.add(file.toString());
            }
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the checker did not finish in 2 minutes");
        assertEquals(0, p.exitValue(), output);
        assertEquals(n, output.lines().filter(l -> l.startsWith("ok ")).count(), output);
    }
}

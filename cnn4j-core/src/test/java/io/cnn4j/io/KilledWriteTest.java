package io.cnn4j.io;

import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process killed (SIGKILL) while it writes a file: the file is always the previous complete version,
 * and the temporary file the killed write leaves behind is removed by the next write of that file.
 */
class KilledWriteTest {
    /** About 16 MB a write, so that a kill at a random moment usually lands inside one. */
    private static final int FLOATS = 4 << 20;
    private static final int KILLS = 6;

    @TempDir
    Path tmp;

    /** The child: writes version 1, 2, 3, ... of the file, a tensor that begins and ends with its version number. */
    public static final class Writer {
        public static void main(String[] args) throws IOException {
            Path file = Path.of(args[0]);
            float[] values = new float[FLOATS];
            for (int version = 1; ; version++) {
                values[0] = version;
                values[FLOATS - 1] = version;
                SafeTensors.write(file, Map.of("w", Tensor.of(values, FLOATS)), Map.of("version", Integer.toString(version)));
                System.out.println(version);
            }
        }
    }

    @Test
    void aKilledWriteLeavesTheLastCompleteFileAndItsLeftoverGoesWithTheNextWrite() throws Exception {
        Path file = tmp.resolve("model.safetensors");
        Random random = new Random();
        List<String> log = new ArrayList<>();
        boolean killedMidWrite = false;
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = start(file);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                String first = out.readLine();
                assertTrue(first != null, "the writer died before writing once");
                Thread.sleep(random.nextInt(150));
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            TensorFile read = SafeTensors.read(file);
            int version = Integer.parseInt(read.metadata().get("version"));
            float[] w = read.tensors().get("w").data();
            assertEquals(FLOATS, w.length);
            assertTrue(w[0] == version && w[FLOATS - 1] == version, "a complete version " + version + ", never a mix");
            List<Path> left = leftovers(file);
            killedMidWrite |= !left.isEmpty();
            log.add("killed after version " + version + ", leftovers " + left);
        }
        // The writer spends nearly all its time writing: some kill lands in the middle of a write.
        assertTrue(killedMidWrite, "no kill landed inside a write, so nothing was tested: " + log);

        SafeTensors.write(file, Map.of("w", Tensor.of(new float[] {0}, 1)));
        assertEquals(List.of(), leftovers(file), "the next write removes what the killed writers left: " + log);
    }

    private static List<Path> leftovers(Path file) throws IOException {
        try (Stream<Path> files = Files.list(file.getParent())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private Process start(Path file) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), Writer.class.getName(),
                file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}

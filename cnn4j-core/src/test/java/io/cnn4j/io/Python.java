package io.cnn4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The Python the cross-checks run: Debian's, which the reference scripts are written for, else the PATH's. */
final class Python {
    private Python() {
    }

    static String executable() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** Whether that Python can {@code import} the given modules (e.g. {@code "torch, numpy"}). */
    static boolean canImport(String modules) {
        try {
            Process p = new ProcessBuilder(executable(), "-c", "import " + modules).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

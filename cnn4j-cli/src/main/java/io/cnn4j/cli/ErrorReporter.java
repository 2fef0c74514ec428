package io.cnn4j.cli;

import io.cnn4j.limits.MemoryBudget;
import picocli.CommandLine;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Turns a failure into one readable paragraph and exit code 1, never a stack trace: users see what was
 * wrong and where. Set {@code CNN4J_DEBUG=1} to get the trace as well.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, CommandLine.ParseResult parseResult) {
        var err = cli.getErr();
        err.println(cli.getCommandSpec().qualifiedName() + ": error: " + describe(ex));
        if (System.getenv("CNN4J_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    static String describe(Throwable ex) {
        Throwable t = ex instanceof UncheckedIOException || ex instanceof Main.OutOfMemory ? ex.getCause() : ex;
        if (t instanceof NoSuchFileException e) {
            return "file not found: " + e.getFile();
        }
        if (t instanceof FileNotFoundException e) {
            return "file not found: " + e.getMessage();
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory (the JVM may use at most " + MemoryBudget.format(Runtime.getRuntime().maxMemory())
                    + "); give it more with CNN4J_JAVA_OPTS=-Xmx8g, or use a smaller --batch-size or model";
        }
        if (t instanceof FileSystemException e && e.getReason() != null) {
            // The JDK's own text for these is the bare reason ("No space left on device") or the path alone.
            return e.getFile() + (e.getOtherFile() == null ? "" : " -> " + e.getOtherFile()) + ": " + e.getReason();
        }
        String msg = t.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = t.getClass().getSimpleName();
        } else if (t instanceof IOException && !(t.getClass() == IOException.class) && !msg.contains(" ")) {
            msg = t.getClass().getSimpleName() + ": " + msg;
        }
        return msg;
    }
}

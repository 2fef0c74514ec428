package io.cnn4j.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Runs a reader on a hostile file and checks what it did: it returned, or it threw one of its documented
 * exceptions with a message that says something and names the file, within a time limit. Anything else
 * (another exception, an {@link Error} such as {@link OutOfMemoryError}, a hang) fails the test.
 *
 * <p>jqwik properties cannot take JUnit's {@code @TempDir}, so the files live in one temporary folder per
 * test run, removed when the JVM exits.
 */
public final class HostileInput {
    /** Far more than any reader needs for a small file: what exceeds it is a hang. */
    public static final Duration LIMIT = Duration.ofSeconds(10);
    private static Path dir;

    private HostileInput() {
    }

    /** Writes {@code bytes} to the file {@code name} in the fuzz folder, replacing what was there. */
    public static synchronized Path write(String name, byte[] bytes) {
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("cnn4j-fuzz");
                Path created = dir;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(created)));
            }
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes a FIFO (a named pipe) at {@code path}: opening one for reading blocks until a writer comes. */
    public static Path fifo(Path path) throws IOException, InterruptedException {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).start();
        if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
            throw new IOException("mkfifo " + path + " failed");
        }
        return path;
    }

    /**
     * Runs {@code reader} on a thread of its own and returns its result, or null when it refused the input
     * with one of the {@code documented} exceptions, whose message must not be blank, must not end in
     * ": null" (another exception's missing message), hold control characters or name a Java class, and
     * must contain {@code mention} (the file's name; null where there is no file).
     */
    @SafeVarargs
    @SuppressWarnings("unchecked")
    public static <T> T read(String mention, Callable<T> reader, Class<? extends Exception>... documented) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().daemon().name("hostile-input").start(() -> {
            try {
                done.complete(reader.call());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return (T) done.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new AssertionError("the reader hung: no answer in " + LIMIT.toSeconds() + " s on " + mention);
        } catch (ExecutionException e) {
            check(e.getCause(), mention, documented);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void check(Throwable thrown, String mention, Class<? extends Exception>[] documented) {
        if (Arrays.stream(documented).noneMatch(type -> type.isInstance(thrown))) {
            throw new AssertionError("the reader threw " + thrown + ", which is none of its documented "
                    + Arrays.stream(documented).map(Class::getSimpleName).toList(), thrown);
        }
        String message = thrown.getMessage();
        if (message == null || message.isBlank() || message.endsWith(": null") || message.contains("(null)")) {
            throw new AssertionError("the message says nothing: \"" + message + "\"", thrown);
        }
        if (message.chars().anyMatch(Character::isISOControl)) {
            throw new AssertionError("the message is not one line of text: " + message.replace("\u001b", "ESC"), thrown);
        }
        if (message.contains("Exception") || message.contains("java.")) {
            throw new AssertionError("the message reads like a stack trace: " + message, thrown);
        }
        if (mention != null && !message.contains(mention)) {
            throw new AssertionError("the message does not name " + mention + ": " + message, thrown);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Only a temporary folder is left behind.
        }
    }
}

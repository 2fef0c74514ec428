package io.cnn4j.cli;

import io.cnn4j.train.Trainer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C (SIGINT) and SIGTERM while a model trains. The first asks the trainer to stop after the step under
 * way, so that the command can checkpoint, save and say how to go on; a second ends the JVM at once, which
 * leaves no file half-written because every output is replaced atomically. The library never touches
 * signals: this is the command line's part.
 *
 * <p>The handlers are {@code sun.misc.Signal}'s (module jdk.unsupported, resolved by default for code on
 * the class path). A JVM without it gets a shutdown hook instead, which asks for the stop and holds the
 * exit until the command is done; the JVM then ends with its own status for the signal, and a second
 * signal cannot cut the stop short.
 */
final class Interruption implements AutoCloseable {
    /** The status a shell gives a command ended by Ctrl-C: 128 + SIGINT. */
    static final int EXIT_CODE = 130;
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final Trainer trainer;
    private final AtomicInteger received = new AtomicInteger();
    private final Map<Signal, SignalHandler> replaced = new LinkedHashMap<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private Thread hook;

    private Interruption(Trainer trainer) {
        this.trainer = trainer;
    }

    /** Stops {@code trainer} on Ctrl-C or SIGTERM until {@link #close()}. */
    static Interruption install(Trainer trainer) {
        Interruption interruption = new Interruption(trainer);
        try {
            for (String name : SIGNALS) {
                Signal signal = new Signal(name);
                interruption.replaced.put(signal, Signal.handle(signal, s -> interruption.received()));
            }
        } catch (LinkageError | IllegalArgumentException | UnsupportedOperationException e) {
            // No sun.misc.Signal, or the JVM keeps these signals (-Xrs): stop on the way out instead.
            interruption.restoreHandlers();
            interruption.hook = new Thread(interruption::stopBeforeExit, "cnn4j-stop-training");
            Runtime.getRuntime().addShutdownHook(interruption.hook);
        }
        return interruption;
    }

    private void received() {
        if (received.incrementAndGet() == 1) {
            trainer.requestStop();
        } else {
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }

    private void stopBeforeExit() {
        trainer.requestStop();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void restoreHandlers() {
        replaced.forEach(Signal::handle);
        replaced.clear();
    }

    /** Gives the signals back to the JVM (which ends at once on them) and lets a held exit go on. */
    @Override
    public void close() {
        restoreHandlers();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: releasing it below lets the JVM finish exiting.
            }
        }
        done.countDown();
    }
}

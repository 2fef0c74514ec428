package io.cnn4j.cli;

import io.cnn4j.data.LoadProgress;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Shows decoding a folder of pictures as it runs: a live bar on a terminal, one line per part when
 * decoded otherwise; and lists the files left out. Hears from any thread.
 */
final class DecodeProgress implements LoadProgress, AutoCloseable {
    /** Files left out listed one by one; beyond this, a count. */
    static final int LISTED = 20;

    private final PrintWriter out;
    private final boolean live;
    private final List<String> skipped = new ArrayList<>();
    /** Notes that came while a bar was on the line, printed once it is done. */
    private final List<String> notes = new ArrayList<>();
    private String what;
    private long started;
    private LiveBar bar;

    private DecodeProgress(PrintWriter out, boolean live) {
        this.out = out;
        this.live = live;
    }

    static DecodeProgress create(PrintWriter out) {
        var console = System.console();
        return new DecodeProgress(out, console != null && console.isTerminal());
    }

    @Override
    public synchronized void decoded(String part, int done, int total) {
        if (!part.equals(what)) {
            closeBar();
            what = part;
            started = System.nanoTime();
            if (live) {
                bar = LiveBar.open("decoding " + part, total, true);
            }
        }
        if (bar != null) {
            bar.stepTo(done);
        }
        if (!live && done == total) {
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf(Locale.ROOT, "decoded %s: %,d pictures in %.1f s%n", part, total, seconds);
            out.flush();
        }
    }

    /** A file left out; listed when decoding ends. */
    @Override
    public synchronized void skipped(String file, String reason) {
        skipped.add(reason);
    }

    /** A note on where the pictures came from or went, such as a cache. */
    @Override
    public synchronized void note(String message) {
        notes.add(message);
        if (bar == null) {
            printNotes();
        }
    }

    private void printNotes() {
        notes.forEach(message -> out.printf(Locale.ROOT, "note: %s%n", message));
        notes.clear();
        out.flush();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        printNotes();
    }

    @Override
    public synchronized void close() {
        closeBar();
        if (!skipped.isEmpty()) {
            out.printf(Locale.ROOT, "skipped %d unreadable file(s):%n", skipped.size());
            skipped.stream().limit(LISTED).forEach(reason -> out.printf(Locale.ROOT, "  %s%n", reason));
            if (skipped.size() > LISTED) {
                out.printf(Locale.ROOT, "  ... and %d more%n", skipped.size() - LISTED);
            }
        }
    }
}

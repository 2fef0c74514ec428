package io.cnn4j.data;

import io.cnn4j.limits.InputFiles;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes the picture files of a folder data set, in parallel, into slots of one size: one slot per file,
 * in file order, then packed so that only the readable pictures remain, each {@code [C, H, W]}.
 *
 * <p>The first readable picture fixes the size (unless the preprocessing resizes); a picture of another
 * size is an error that says what to pass. When the preprocessing keeps each picture's colours, slots hold
 * three channels (a gray picture replicated, as a colour set needs it) and are packed down to one if every
 * picture turned out gray: the data set's colour follows its pictures.
 */
final class PictureDecoding {
    /** How many unreadable files an error lists by name; the rest are counted. */
    private static final int LISTED = 3;

    private final Path dir;
    private final List<PictureFile> files;
    private final Preprocessing preprocessing;
    private final String[] failures;
    private final int first;
    private final Picture reference;
    private final int slotChannels;

    /** A file the data set leaves out, and why, in one sentence naming it. */
    record Skipped(int entry, String reason) {
    }

    /** The packed pictures: their channel count, the file each came from, and the files left out. */
    record Result(int channels, int[] entries, List<Skipped> skipped) {
    }

    /** Where slots are written and read back: a file or an array. */
    interface Slots {
        void put(long at, byte[] bytes, int length) throws IOException;

        void get(long at, byte[] bytes, int length) throws IOException;
    }

    /**
     * Decodes the files in order up to the first readable one, which fixes the layout; an error when none
     * is readable.
     */
    PictureDecoding(Path dir, List<PictureFile> files, Preprocessing preprocessing) throws DataFileException {
        this.dir = dir;
        this.files = files;
        this.preprocessing = preprocessing;
        this.failures = new String[files.size()];
        int i = 0;
        Picture picture = null;
        for (; i < files.size() && picture == null; i++) {
            picture = decode(i);
        }
        if (picture == null) {
            throw new DataFileException(dir.toString(), "none of the " + files.size() + " picture files in " + dir
                    + " is readable: " + failures[0]);
        }
        this.first = i - 1;
        this.reference = picture;
        this.slotChannels = preprocessing.color() != null ? preprocessing.color().channels() : ColorMode.RGB.channels();
    }

    /** Bytes of one slot. */
    long slotBytes() {
        return (long) slotChannels * reference.height() * reference.width();
    }

    /** Bytes of all slots, before packing. */
    long bytes() {
        return slotBytes() * files.size();
    }

    int height() {
        return reference.height();
    }

    int width() {
        return reference.width();
    }

    /**
     * Decodes every file into {@code slots} on {@code threads} threads, then packs the readable pictures
     * to the front: picture {@code k} at {@code k * channels * H * W}. Unreadable files are an error unless
     * {@code skipUnreadable}; pictures of another size are one in any case.
     *
     * @throws UncheckedIOException when {@code slots} cannot be written, so that a caller can tell that
     *                              from a picture's fault
     */
    Result decodeInto(Slots slots, int threads, boolean skipUnreadable, LoadProgress progress) throws IOException {
        int n = files.size();
        String[] sizes = new String[n];
        AtomicBoolean colour = new AtomicBoolean(reference.channels() == 3);
        AtomicInteger next = new AtomicInteger(first + 1);
        AtomicInteger done = new AtomicInteger(first + 1);
        AtomicBoolean stop = new AtomicBoolean();
        put(slots, first, reference);
        progress.decoded(dir.toString(), done.get(), n);
        Callable<Void> worker = () -> {
            for (int i; !stop.get() && (i = next.getAndIncrement()) < n; ) {
                Picture p = decode(i);
                if (p != null && (p.height() != height() || p.width() != width())) {
                    sizes[i] = p.width() + "x" + p.height();
                } else if (p != null) {
                    if (p.channels() == 3) {
                        colour.set(true);
                    }
                    try {
                        put(slots, i, p);
                    } catch (IOException e) {
                        stop.set(true);
                        throw new UncheckedIOException(e);
                    }
                }
                progress.decoded(dir.toString(), done.incrementAndGet(), n);
            }
            return null;
        };
        run(worker, Math.clamp(threads, 1, Math.max(1, n - first - 1)));
        List<Skipped> skipped = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (failures[i] != null) {
                skipped.add(new Skipped(i, failures[i]));
            }
        }
        requireReadable(dir, n, skipped, skipUnreadable);
        for (int i = 0; i < n; i++) {
            if (sizes[i] != null) {
                throw new DataFileException(files.get(i).path().toString(), "pictures in " + dir + " differ in size: "
                        + files.get(first).path() + " is " + width() + "x" + height() + " but " + files.get(i).path()
                        + " is " + sizes[i] + "; pass --image-size H[xW] and --resize stretch|crop|pad");
            }
        }
        int channels = preprocessing.color() == null && !colour.get() ? 1 : slotChannels;
        int[] entries = new int[n - skipped.size()];
        for (int i = 0, k = 0; i < n; i++) {
            if (failures[i] == null) {
                entries[k++] = i;
            }
        }
        pack(slots, entries, channels);
        return new Result(channels, entries, List.copyOf(skipped));
    }

    /**
     * An error listing the first few {@code unreadable} files with their reasons and counting the rest,
     * unless they may be skipped.
     */
    static void requireReadable(Path dir, int total, List<Skipped> unreadable, boolean skip) throws DataFileException {
        if (unreadable.isEmpty() || skip) {
            return;
        }
        int n = unreadable.size();
        List<String> listed = unreadable.stream().limit(LISTED).map(Skipped::reason).toList();
        throw new DataFileException(dir.toString(), (n == 1 ? "1 file of " + total + " in " + dir + " is not a readable picture: "
                : n + " files of " + total + " in " + dir + " are not readable pictures: ") + String.join("; ", listed)
                + (n > LISTED ? "; and " + (n - LISTED) + " more" : "") + "; pass --skip-unreadable to leave "
                + (n == 1 ? "it" : "them") + " out");
    }

    /** Picture {@code i}, or null with the reason recorded when it cannot be read. */
    private Picture decode(int i) {
        Path path = files.get(i).path();
        try {
            InputFiles.requireRegularFile(path, "picture");
            return ImageDecoder.read(path, preprocessing);
        } catch (IOException | RuntimeException e) {
            // A decoder's own bug on a malformed file is that file's fault too, not the data set's.
            String reason = DataFileException.reason(e);
            failures[i] = reason.contains(path.toString()) ? reason : path + " cannot be decoded as a picture: " + reason;
        }
        return null;
    }

    /** Writes {@code p} into slot {@code i}, a gray picture replicated into every channel of the slot. */
    private void put(Slots slots, int i, Picture p) throws IOException {
        byte[] bytes = p.pixels();
        if (p.channels() != slotChannels) {
            int plane = p.height() * p.width();
            bytes = new byte[slotChannels * plane];
            for (int c = 0; c < slotChannels; c++) {
                System.arraycopy(p.pixels(), 0, bytes, c * plane, plane);
            }
        }
        slots.put(i * slotBytes(), bytes, bytes.length);
    }

    /**
     * Moves picture {@code entries[k]}'s first {@code channels} planes to {@code k * channels * H * W}. Each
     * lands at or before where it is read from, past every picture still to be read, so one forward pass
     * in place is safe.
     */
    private void pack(Slots slots, int[] entries, int channels) throws IOException {
        int image = channels * height() * width();
        byte[] buffer = new byte[image];
        for (int k = 0; k < entries.length; k++) {
            if (entries[k] != k || channels != slotChannels) {
                slots.get(entries[k] * slotBytes(), buffer, image);
                slots.put((long) k * image, buffer, image);
            }
        }
    }

    private static void run(Callable<Void> worker, int threads) throws IOException {
        // A pool of our own, shut down here: decoding must not occupy the pool the training kernels use.
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "cnn4j-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(pool.submit(worker));
            }
            for (Future<Void> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while decoding pictures");
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error r -> throw r;
                default -> throw new IllegalStateException(e.getCause());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

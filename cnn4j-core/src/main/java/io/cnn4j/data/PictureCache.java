package io.cnn4j.data;

import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.limits.TooLargeException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * The decoded pictures of a folder data set, kept in a file so that they are decoded once: later loads
 * map the file and read no picture. One file per folder and preprocessing, in
 * {@link ImageFolder#cacheDir(DataOptions)}, named {@code <folder>-<16 hex digits>.pictures}; it is rebuilt
 * when its key (a SHA-256 of this format's version, the preprocessing's {@link Preprocessing#spec()}, the
 * class names and each file's relative path, size, modification time and label) no longer matches, and
 * when it is damaged. A cache that cannot be written is no failure: the pictures are then held in memory.
 *
 * <p>The format, little-endian: the pixels, row-major {@code [N, C, H, W]} unsigned bytes from offset 0 (so
 * that they map as they are); then {@code N} int32 labels, {@code N} int32 indices of the file each picture
 * came from (in the folder's sample order), an int32 count of skipped files and, for each, its index, the
 * byte length and the UTF-8 text of why; then a footer of {@value #FOOTER} bytes: the magic
 * {@code CNN4JPIX}, the int32 version, the 32-byte key, int32 {@code N}, the number of files, {@code C},
 * {@code H}, {@code W}, the int64 length of the metadata between pixels and footer, and the CRC-32 of that
 * metadata and the footer before it. The file is written beside its final name and renamed into place
 * atomically, so no reader sees half of it.
 */
final class PictureCache {
    static final int VERSION = 1;
    private static final byte[] MAGIC = "CNN4JPIX".getBytes(StandardCharsets.US_ASCII);
    private static final int FOOTER = 8 + 4 + 32 + 5 * 4 + 8 + 4;
    private static final String SUFFIX = ".pictures";

    private PictureCache() {
    }

    /** All the readable pictures of {@code files}, in order, and the index in {@code files} of each. */
    record Pictures(Dataset data, int[] entries) {
    }

    /** A cache file that cannot be used and must be rebuilt, with why in the message. */
    private static final class Unusable extends Exception {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The pictures of {@code files} (of the data set in {@code dir}, with these classes), from the cache
     * when it holds them, else decoded and cached.
     */
    static Pictures load(Path dir, List<PictureFile> files, List<String> classes, DataOptions options) throws IOException {
        LoadProgress progress = options.progress() != null ? options.progress() : (what, done, total) -> { };
        byte[] key = key(files, classes, options.preprocessing());
        Path cacheDir = ImageFolder.cacheDir(options);
        Path file = cacheDir.resolve(name(dir, options.preprocessing()));
        String description = "pictures in " + dir;
        if (Files.isRegularFile(file)) {
            try {
                Cached cached = read(file, key, files, classes, description);
                PictureDecoding.requireReadable(dir, files.size(), cached.skipped(), options.skipUnreadable());
                report(cached.skipped(), files, progress);
                progress.note("read " + cached.pictures().entries().length + " decoded pictures from the cache " + file);
                return cached.pictures();
            } catch (Unusable e) {
                progress.note("the cache " + file + " " + e.getMessage() + "; decoding the pictures again");
            }
        }
        PictureDecoding decoding = new PictureDecoding(dir, files, options.preprocessing());
        int threads = Runtime.getRuntime().availableProcessors();
        String unwritable;
        Path temp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.createDirectories(cacheDir);
            deleteLeftovers(file);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                long free = Files.getFileStore(cacheDir).getUsableSpace();
                if (free < decoding.bytes()) {
                    throw new IOException("it has " + MemoryBudget.format(free) + " free and decoding needs up to "
                            + MemoryBudget.format(decoding.bytes()));
                }
                PictureDecoding.Result result = decoding.decodeInto(new FileSlots(channel), threads,
                        options.skipUnreadable(), progress);
                write(channel, key, files, decoding, result);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            Cached cached = read(file, key, files, classes, description);
            report(cached.skipped(), files, progress);
            progress.note("decoded " + cached.pictures().entries().length + " pictures into the cache " + file
                    + " (" + MemoryBudget.format(Files.size(file)) + "); later loads read them from there");
            return cached.pictures();
        } catch (UncheckedIOException e) {
            unwritable = DataFileException.reason(e.getCause());
        } catch (DataFileException | InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            unwritable = DataFileException.reason(e);
        } catch (Unusable e) {
            unwritable = "what was written cannot be read back (" + e.getMessage() + ")";
        } finally {
            deleteQuietly(temp);
        }
        progress.note("the cache folder " + cacheDir + " cannot be written (" + unwritable + "), so the decoded pictures"
                + " are held in memory (" + MemoryBudget.format(decoding.bytes()) + " while decoding)");
        return inMemory(dir, files, classes, decoding, options, progress, description);
    }

    /**
     * Deletes the temporary files of earlier writes of {@code file} by processes no longer running (killed
     * while decoding): each is as large as the cache. Temporaries are named {@code .<file>.<pid>-<random>.tmp}.
     */
    private static void deleteLeftovers(Path file) {
        String prefix = "." + file.getFileName() + ".";
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(file.getParent(), prefix + "*.tmp")) {
            for (Path temp : temps) {
                String pid = temp.getFileName().toString().substring(prefix.length()).split("-", 2)[0];
                if (pid.matches("\\d{1,18}") && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                    deleteQuietly(temp);
                }
            }
        } catch (IOException e) {
            // Leftovers only cost disk space; never fail a load over them.
        }
    }

    /** Deletes a temporary file that may not exist, or whose folder may not: it matters to no one if that fails. */
    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // Nothing was written there, or a later write of the same cache replaces it.
        }
    }

    private static Pictures inMemory(Path dir, List<PictureFile> files, List<String> classes, PictureDecoding decoding,
                                     DataOptions options, LoadProgress progress, String description) throws IOException {
        String what = "holding the " + files.size() + " decoded pictures of " + dir + " in memory";
        if (decoding.bytes() > Integer.MAX_VALUE - 8) {
            throw new TooLargeException(what + " needs " + MemoryBudget.format(decoding.bytes()) + ", more than one Java"
                    + " array holds; let cnn4j write its cache (set " + ImageFolder.CACHE_ENV + " to a writable folder)");
        }
        MemoryBudget.require(decoding.bytes(), what);
        byte[] slots = new byte[(int) decoding.bytes()];
        PictureDecoding.Result result = decoding.decodeInto(new ArraySlots(slots), Runtime.getRuntime().availableProcessors(),
                options.skipUnreadable(), progress);
        report(result.skipped(), files, progress);
        int n = result.entries().length;
        int image = result.channels() * decoding.height() * decoding.width();
        byte[] pixels = (long) n * image == slots.length ? slots : Arrays.copyOf(slots, n * image);
        return new Pictures(Dataset.over(MemorySegment.ofArray(pixels), labels(files, result.entries()),
                result.channels(), decoding.height(), decoding.width(), classes, description), result.entries());
    }

    private static void report(List<PictureDecoding.Skipped> skipped, List<PictureFile> files, LoadProgress progress) {
        for (PictureDecoding.Skipped s : skipped) {
            progress.skipped(files.get(s.entry()).path().toString(), s.reason());
        }
    }

    private static int[] labels(List<PictureFile> files, int[] entries) {
        int[] labels = new int[entries.length];
        for (int k = 0; k < entries.length; k++) {
            labels[k] = files.get(entries[k]).label();
        }
        return labels;
    }

    /** The cache's file name: the folder's name and a hash of its real path and the preprocessing. */
    static String name(Path dir, Preprocessing preprocessing) throws IOException {
        Path real = dir.toRealPath();
        String folder = real.getFileName() == null ? "root" : real.getFileName().toString();
        byte[] digest = sha256().digest((real + "\n" + preprocessing.spec()).getBytes(StandardCharsets.UTF_8));
        String hash = HexFormat.of().formatHex(digest, 0, 8);
        return folder.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + hash + SUFFIX;
    }

    /** What the cache must have been built from: the format, the preprocessing, the classes and every file's identity. */
    static byte[] key(List<PictureFile> files, List<String> classes, Preprocessing preprocessing) {
        MessageDigest digest = sha256();
        digest.update(("cnn4j picture cache " + VERSION + "\n" + preprocessing.spec() + "\n" + String.join("\n", classes)
                + "\n\n").getBytes(StandardCharsets.UTF_8));
        for (PictureFile f : files) {
            digest.update((f.relative() + "\0" + f.size() + "\0" + f.modified() + "\0" + f.label() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return digest.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256, which every Java must have", e);
        }
    }

    /** Appends the metadata and footer after the packed pixels and cuts the file there. */
    private static void write(FileChannel channel, byte[] key, List<PictureFile> files, PictureDecoding decoding,
                              PictureDecoding.Result result) throws IOException {
        int[] entries = result.entries();
        List<byte[]> reasons = new ArrayList<>();
        long metaLength = 8L * entries.length + 4;
        for (PictureDecoding.Skipped s : result.skipped()) {
            byte[] text = s.reason().getBytes(StandardCharsets.UTF_8);
            reasons.add(text);
            metaLength += 8 + text.length;
        }
        ByteBuffer meta = ByteBuffer.allocate(Math.toIntExact(metaLength + FOOTER)).order(ByteOrder.LITTLE_ENDIAN);
        for (int label : labels(files, entries)) {
            meta.putInt(label);
        }
        for (int entry : entries) {
            meta.putInt(entry);
        }
        meta.putInt(reasons.size());
        for (int i = 0; i < reasons.size(); i++) {
            meta.putInt(result.skipped().get(i).entry()).putInt(reasons.get(i).length).put(reasons.get(i));
        }
        meta.put(MAGIC).putInt(VERSION).put(key).putInt(entries.length).putInt(files.size()).putInt(result.channels())
                .putInt(decoding.height()).putInt(decoding.width()).putLong(metaLength);
        meta.putInt(crc(meta.array(), meta.position()));
        long pixels = (long) entries.length * result.channels() * decoding.height() * decoding.width();
        meta.flip();
        for (long at = pixels; meta.hasRemaining(); ) {
            at += channel.write(meta, at);
        }
        channel.truncate(pixels + metaLength + FOOTER);
        channel.force(true);
    }

    private static int crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    private record Cached(Pictures pictures, List<PictureDecoding.Skipped> skipped) {
    }

    /** The cache in {@code file}, checked against {@code key} and the files, its pixels mapped. */
    private static Cached read(Path file, byte[] key, List<PictureFile> files, List<String> classes, String description)
            throws Unusable {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < FOOTER) {
                throw new Unusable("is damaged: it is " + size + " bytes, shorter than its footer");
            }
            ByteBuffer footer = readFully(channel, size - FOOTER, FOOTER);
            byte[] magic = new byte[MAGIC.length];
            footer.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new Unusable("is damaged: it does not end in a cnn4j picture cache's footer");
            }
            if (footer.getInt() != VERSION) {
                throw new Unusable("was written in another format");
            }
            byte[] stored = new byte[key.length];
            footer.get(stored);
            if (!Arrays.equals(stored, key)) {
                throw new Unusable("is out of date: the pictures or their preprocessing changed");
            }
            int n = footer.getInt();
            int fileCount = footer.getInt();
            int c = footer.getInt();
            int h = footer.getInt();
            int w = footer.getInt();
            long metaLength = footer.getLong();
            int crc = footer.getInt();
            if (fileCount != files.size() || n < 1 || n > fileCount || c != 1 && c != 3 || h < 1 || w < 1
                    || h > Preprocessing.MAX_SIDE || w > Preprocessing.MAX_SIDE || metaLength < 8L * n + 4
                    || metaLength > 16L * fileCount + 4 + (64 << 20) || metaLength + FOOTER > Integer.MAX_VALUE) {
                throw new Unusable("is damaged: its footer is inconsistent");
            }
            long pixels = (long) n * c * h * w;
            if (size != pixels + metaLength + FOOTER) {
                throw new Unusable("is damaged: it is " + size + " bytes, not the " + (pixels + metaLength + FOOTER)
                        + " its footer promises");
            }
            ByteBuffer meta = readFully(channel, pixels, (int) metaLength + FOOTER);
            if (crc(meta.array(), meta.capacity() - 4) != crc) {
                throw new Unusable("is damaged: its checksum does not match");
            }
            int[] labels = new int[n];
            int[] entries = new int[n];
            meta.asIntBuffer().get(labels).get(entries);
            meta.position(8 * n);
            int previous = -1;
            for (int k = 0; k < n; k++) {
                if (entries[k] <= previous || entries[k] >= fileCount || labels[k] != files.get(entries[k]).label()) {
                    throw new Unusable("is damaged: picture " + k + " names the wrong file or label");
                }
                previous = entries[k];
            }
            List<PictureDecoding.Skipped> skipped = new ArrayList<>();
            for (int i = meta.getInt(); i > 0; i--) {
                int entry = meta.getInt();
                if (entry < 0 || entry >= fileCount) {
                    throw new Unusable("is damaged: it skips file " + entry + " of " + fileCount);
                }
                byte[] text = new byte[meta.getInt()];
                meta.get(text);
                skipped.add(new PictureDecoding.Skipped(entry, new String(text, StandardCharsets.UTF_8)));
            }
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, pixels, Arena.ofAuto());
            Dataset data = Dataset.over(mapped, labels, c, h, w, classes, description);
            return new Cached(new Pictures(data, entries), List.copyOf(skipped));
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException | NegativeArraySizeException e) {
            throw new Unusable("is damaged: " + DataFileException.reason(e));
        } catch (IOException e) {
            throw new Unusable("cannot be read: " + DataFileException.reason(e));
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long at, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, at + buffer.position()) < 0) {
                throw new EOFException("the cache ended early");
            }
        }
        return buffer.flip();
    }

    private record FileSlots(FileChannel channel) implements PictureDecoding.Slots {
        @Override
        public void put(long at, byte[] bytes, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer, at + buffer.position());
            }
        }

        @Override
        public void get(long at, byte[] bytes, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, at + buffer.position()) < 0) {
                    throw new EOFException("the cache's temporary file ended early");
                }
            }
        }
    }

    private record ArraySlots(byte[] array) implements PictureDecoding.Slots {
        @Override
        public void put(long at, byte[] bytes, int length) {
            System.arraycopy(bytes, 0, array, Math.toIntExact(at), length);
        }

        @Override
        public void get(long at, byte[] bytes, int length) {
            System.arraycopy(array, Math.toIntExact(at), bytes, 0, length);
        }
    }
}

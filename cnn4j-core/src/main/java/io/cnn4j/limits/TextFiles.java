package io.cnn4j.limits;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads a small text file whole, as UTF-8. The file is checked first (a regular file, at most a stated
 * size), and the bytes are decoded strictly: a file saved as UTF-16 or Latin-1 is refused with a sentence
 * that says so, where a lenient decoder would hand the parser garbage and a strict one without care says
 * only {@code "Input length = 1"}.
 */
public final class TextFiles {
    private TextFiles() {
    }

    /**
     * The text of {@code path}, without a leading UTF-8 byte-order mark (some Windows editors write one).
     * A missing file gives java.nio's {@link NoSuchFileException}, as {@link Files#readString} would; a
     * file that is not a regular file, is larger than {@code limit} bytes or is not UTF-8 gives an
     * {@link InputFileException} whose message starts with {@code what} and the path.
     */
    public static String readUtf8(Path path, String what, long limit) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        InputFiles.requireRegularFile(path, what, limit);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            // One byte more than the limit tells a file that grew after the check from one that did not.
            bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
        } catch (IOException e) {
            throw new InputFileException(path, what + " " + path + " cannot be read: "
                    + Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()), e);
        }
        if (bytes.length > limit) {
            throw new InputFileException(path, what + " " + path + " is more than the " + MemoryBudget.format(limit)
                    + " such a file may have", null);
        }
        String other = otherEncoding(bytes);
        if (other != null) {
            throw new InputFileException(path, what + " " + path + " is not UTF-8 text: it is " + other
                    + "; save it as UTF-8", null);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never gives more chars than bytes
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new InputFileException(path, String.format(Locale.ROOT, "%s %s is not UTF-8 text: byte %d (0x%02x)"
                    + " is not part of a UTF-8 character (was it saved as Latin-1 or another encoding?); save it as"
                    + " UTF-8", what, path, in.position(), bytes[in.position()] & 0xff), null);
        }
        String text = out.flip().toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /**
     * The encoding the first bytes show, in words, when it is a Unicode one other than UTF-8: by its
     * byte-order mark, or by the zero bytes with which UTF-16 and UTF-32 write ASCII (a text file does
     * not otherwise start with one). Null when the file may be UTF-8.
     */
    private static String otherEncoding(byte[] b) {
        if (startsWith(b, 0xFF, 0xFE, 0, 0)) {
            return "UTF-32 (little-endian), by its byte-order mark";
        }
        if (startsWith(b, 0, 0, 0xFE, 0xFF)) {
            return "UTF-32 (big-endian), by its byte-order mark";
        }
        if (startsWith(b, 0xFF, 0xFE)) {
            return "UTF-16 (little-endian), by its byte-order mark";
        }
        if (startsWith(b, 0xFE, 0xFF)) {
            return "UTF-16 (big-endian), by its byte-order mark";
        }
        if (b.length >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] != 0) {
            return "UTF-32 (big-endian), by its zero bytes";
        }
        if (b.length >= 4 && b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0) {
            return "UTF-32 (little-endian), by its zero bytes";
        }
        if (b.length >= 2 && b[0] == 0 && b[1] != 0) {
            return "UTF-16 (big-endian), by its zero bytes";
        }
        if (b.length >= 2 && b[0] != 0 && b[1] == 0) {
            return "UTF-16 (little-endian), by its zero bytes";
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}

package io.cnn4j.limits;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TextFilesTest {
    @TempDir
    Path tmp;

    @Test
    void utf8IsReadAndItsByteOrderMarkSkipped() throws Exception {
        Path plain = Files.writeString(tmp.resolve("plain.json"), "{\"é\": \"ü\"}");
        assertEquals("{\"é\": \"ü\"}", TextFiles.readUtf8(plain, "model description", 1000));
        Path marked = Files.writeString(tmp.resolve("marked.json"), "\uFEFF{}");
        assertEquals("{}", TextFiles.readUtf8(marked, "model description", 1000));
        Path empty = Files.writeString(tmp.resolve("empty.json"), "");
        assertEquals("", TextFiles.readUtf8(empty, "model description", 1000));
    }

    @Test
    void otherUnicodeEncodingsAreNamed() throws Exception {
        Map<String, byte[]> files = Map.of(
                "UTF-16 (big-endian), by its byte-order mark", "{}".getBytes(StandardCharsets.UTF_16),
                "UTF-16 (little-endian), by its byte-order mark", withMark(new byte[] {(byte) 0xFF, (byte) 0xFE},
                        "{}".getBytes(StandardCharsets.UTF_16LE)),
                "UTF-16 (little-endian), by its zero bytes", "{}".getBytes(StandardCharsets.UTF_16LE),
                "UTF-16 (big-endian), by its zero bytes", "{}".getBytes(StandardCharsets.UTF_16BE),
                "UTF-32 (little-endian), by its byte-order mark", withMark(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0},
                        "{}".getBytes(Charset.forName("UTF-32LE"))),
                "UTF-32 (big-endian), by its byte-order mark", withMark(new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF},
                        "{}".getBytes(Charset.forName("UTF-32BE"))),
                "UTF-32 (little-endian), by its zero bytes", "{}".getBytes(Charset.forName("UTF-32LE")),
                "UTF-32 (big-endian), by its zero bytes", "{}".getBytes(Charset.forName("UTF-32BE")));
        for (var e : files.entrySet()) {
            Path file = Files.write(tmp.resolve("encoded.json"), e.getValue());
            InputFileException thrown = assertThrows(InputFileException.class,
                    () -> TextFiles.readUtf8(file, "model description", 1000));
            assertEquals("model description " + file + " is not UTF-8 text: it is " + e.getKey() + "; save it as UTF-8",
                    thrown.getMessage());
        }
    }

    @Test
    void latin1SaysWhichByteIsNotUtf8() throws Exception {
        Path file = Files.write(tmp.resolve("classes.txt"), "cat\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        InputFileException e = assertThrows(InputFileException.class,
                () -> TextFiles.readUtf8(file, "class names file", 1000));
        assertEquals("class names file " + file + " is not UTF-8 text: byte 7 (0xe9) is not part of a UTF-8 character"
                + " (was it saved as Latin-1 or another encoding?); save it as UTF-8", e.getMessage());
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        Path file = tmp.resolve("huge.json");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(3_000_000_000L);
        }
        InputFileException e = assertThrows(InputFileException.class,
                () -> TextFiles.readUtf8(file, "model description", 16_000_000));
        assertEquals("model description " + file + " is 3.0 GB, more than the 16.0 MB such a file may have",
                e.getMessage());
    }

    @Test
    void aMissingFileIsTheNoSuchFileExceptionOfJavaNio() {
        Path file = tmp.resolve("missing.json");
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> TextFiles.readUtf8(file, "model description", 1000));
        assertEquals(file.toString(), e.getFile());
    }

    private static byte[] withMark(byte[] mark, byte[] text) {
        byte[] out = new byte[mark.length + text.length];
        System.arraycopy(mark, 0, out, 0, mark.length);
        System.arraycopy(text, 0, out, mark.length, text.length);
        return out;
    }
}

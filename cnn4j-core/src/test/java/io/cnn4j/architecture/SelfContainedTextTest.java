package io.cnn4j.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repository stands on its own: no file sends its reader to the development folder that sat beside
 * the checkout where cnn4j was written, or to the tracker's issue numbers, since a clone has neither.
 * Every text file of the repository is read, outside Git's own folder, build outputs and benchmark runs.
 */
class SelfContainedTextTest {
    private static final Pattern OUTSIDE_REFERENCE = Pattern.compile(
            "\\.\\./shared|shared[/]reference|\\bissues?\\s+#?\\d+", Pattern.CASE_INSENSITIVE);
    private static final Set<String> SKIPPED_FOLDERS = Set.of(".git", "target", "runs");

    @Test
    void noFileReferencesTheSharedFolderOrAnIssueNumber() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(root.resolve("run-tests")), "expected the repository root at " + root);
        List<String> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> noSkippedFolder(root.relativize(p))).filter(Files::isRegularFile).toList();
        }
        assertTrue(files.size() > 100, "expected the repository's files under " + root + ", found " + files.size());
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            if (isBinary(bytes)) {
                continue;
            }
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = OUTSIDE_REFERENCE.matcher(lines[i]);
                if (m.find()) {
                    found.add(root.relativize(file) + ":" + (i + 1) + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), found);
    }

    private static boolean noSkippedFolder(Path relative) {
        for (Path part : relative) {
            if (SKIPPED_FOLDERS.contains(part.toString())) {
                return false;
            }
        }
        return true;
    }

    /** A NUL byte in the first 8 KB: compressed data, a jar, weights, an image. */
    private static boolean isBinary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }
}

package io.cnn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class OutputFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingFolderIsCreatedAndNothingIsLeftBehind() throws Exception {
        Path target = tmp.resolve("runs/today/model.safetensors");
        OutputFiles.check(target, 1000, "--save");
        assertTrue(Files.isDirectory(target.getParent()));
        try (var files = Files.list(target.getParent())) {
            assertEquals(0, files.count(), "the check writes nothing that stays");
        }
    }

    @Test
    void aFolderGivenAsTheFileIsRefused() {
        var e = assertThrows(FileSystemException.class, () -> OutputFiles.check(tmp, 1000, "--save"));
        assertEquals(tmp + ": cannot write --save: is a folder; give a file name to write to", e.getMessage());
    }

    @Test
    void aFolderThatCannotBeCreatedIsNamed() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        Path target = file.resolve("model.safetensors");
        var e = assertThrows(FileSystemException.class, () -> OutputFiles.check(target, 1000, "--save"));
        assertTrue(e.getMessage().startsWith(target + ": cannot write --save: its folder " + file
                + " does not exist and cannot be created"), e.getMessage());
    }

    @Test
    void aFolderWhereNothingCanBeCreatedIsFoundBeforeAnyWork() {
        // Root may write anywhere on a disk; sysfs refuses it too.
        Path sys = Path.of("/sys");
        assumeTrue(Files.isDirectory(sys) && !Files.isWritable(sys.resolve("x")));
        var e = assertThrows(FileSystemException.class,
                () -> OutputFiles.check(sys.resolve("m.safetensors"), 1000, "--save"));
        assertEquals(sys.resolve("m.safetensors") + ": cannot write --save: no file can be created in " + sys
                + " (permission denied)", e.getMessage());
    }

    @Test
    void aReadOnlyFolderIsFoundBeforeAnyWork() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root writes into read-only folders");
        Path dir = Files.createDirectory(tmp.resolve("ro"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            var e = assertThrows(FileSystemException.class,
                    () -> OutputFiles.check(dir.resolve("m.safetensors"), 1000, "--checkpoint"));
            assertEquals(dir.resolve("m.safetensors") + ": cannot write --checkpoint: no file can be created in " + dir
                    + " (permission denied)", e.getMessage());
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void moreThanTheDiskHoldsIsRefusedWithBothSizes() {
        Path target = tmp.resolve("huge.safetensors");
        var e = assertThrows(FileSystemException.class, () -> OutputFiles.check(target, Long.MAX_VALUE, "--save"));
        assertTrue(e.getMessage().startsWith(target + ": cannot write --save: it needs about 9.2 EB but "), e.getMessage());
        assertFalse(Files.exists(target));
    }
}

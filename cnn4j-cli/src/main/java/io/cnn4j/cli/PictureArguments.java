package io.cnn4j.cli;

import io.cnn4j.data.DataFileException;
import io.cnn4j.data.ImageFolder;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The pictures a command line names: a file as it is, a folder's pictures (recursively, in sorted path order,
 * hidden files left out, links followed), and a glob such as {@code photos/*.jpg} that the shell left as it
 * was (quoted, or matching nothing there), expanded in the same way.
 */
final class PictureArguments {
    private static final String GLOB_CHARACTERS = "*?[{";

    private PictureArguments() {
    }

    /** The pictures all {@code arguments} name, in order, and how many arguments could not be expanded. */
    record Expanded(List<String> pictures, int failed) {
    }

    /** {@link #expand} of each argument; one that fails is reported on {@code err} after {@code command}'s name. */
    static Expanded expandAll(List<String> arguments, PrintWriter err, String command) {
        List<String> pictures = new ArrayList<>();
        int failed = 0;
        for (String argument : arguments) {
            try {
                pictures.addAll(expand(argument));
            } catch (IOException e) {
                err.println(command + ": " + e.getMessage());
                failed++;
            }
        }
        return new Expanded(pictures, failed);
    }

    /**
     * The files {@code argument} names, in order; itself when it names no folder and holds no glob (a missing
     * file, or an IDX file's {@code FILE#INDEX}, is for the reader to report).
     *
     * @throws DataFileException naming the argument when a folder holds no pictures or a glob matches none
     */
    static List<String> expand(String argument) throws IOException {
        Path path = Path.of(argument);
        if (Files.isDirectory(path)) {
            List<String> found = walk(path, Integer.MAX_VALUE, file -> isPicture(file));
            if (found.isEmpty()) {
                throw new DataFileException(argument, "folder " + argument + " holds no pictures ("
                        + String.join(", ", ImageFolder.EXTENSIONS) + ")");
            }
            return found;
        }
        if (Files.exists(path) || argument.chars().noneMatch(c -> GLOB_CHARACTERS.indexOf(c) >= 0)) {
            return List.of(argument);
        }
        return glob(argument, path);
    }

    private static List<String> glob(String argument, Path pattern) throws IOException {
        int first = 0;
        while (first < pattern.getNameCount()
                && pattern.getName(first).toString().chars().noneMatch(c -> GLOB_CHARACTERS.indexOf(c) >= 0)) {
            first++;
        }
        Path root = pattern.getRoot();
        Path base = first == 0 ? (root != null ? root : Path.of("")) : (root != null ? root.resolve(pattern.subpath(0, first))
                : pattern.subpath(0, first));
        Path rest = pattern.subpath(first, pattern.getNameCount());
        PathMatcher matcher = base.getFileSystem().getPathMatcher("glob:" + rest);
        int depth = rest.toString().contains("**") ? Integer.MAX_VALUE : rest.getNameCount();
        List<String> found = Files.isDirectory(base) || base.toString().isEmpty()
                ? walk(base, depth, file -> matcher.matches(base.relativize(file))) : List.of();
        if (found.isEmpty()) {
            throw new DataFileException(argument, "no file matches " + argument);
        }
        return found;
    }

    private static boolean isPicture(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && ImageFolder.EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static List<String> walk(Path dir, int depth, java.util.function.Predicate<Path> wanted) throws IOException {
        try (Stream<Path> files = Files.walk(dir, depth, FileVisitOption.FOLLOW_LINKS)) {
            List<String> out = new ArrayList<>();
            files.filter(f -> !f.equals(dir) && !hidden(dir.relativize(f)) && Files.isRegularFile(f) && wanted.test(f))
                    .map(Path::toString).sorted().forEach(out::add);
            return out;
        } catch (UncheckedIOException e) {
            IOException cause = e.getCause();
            String why = cause instanceof FileSystemLoopException ? "its links lead in a circle at " + cause.getMessage()
                    : cause.getMessage();
            throw new DataFileException(dir.toString(), "cannot list the pictures in " + (dir.toString().isEmpty() ? "."
                    : dir) + ": " + why, cause);
        }
    }

    /** Whether a file or any folder on its way down from the listed folder is hidden (named with a leading dot). */
    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}

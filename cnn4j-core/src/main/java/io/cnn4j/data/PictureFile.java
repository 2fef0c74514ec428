package io.cnn4j.data;

import java.nio.file.Path;

/**
 * A picture file of a folder data set: where it is, its path relative to the data set's folder (with
 * {@code /} separators, the same on every system), the label of its class, and its size and modification
 * time in nanoseconds as the folder was listed (-1 and 0 when it could not be read): with the path, what a
 * cache's key is made of.
 */
record PictureFile(Path path, String relative, int label, long size, long modified) {
}

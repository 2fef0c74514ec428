package io.cnn4j.data;

import java.nio.file.Path;

/**
 * A picture file of a folder data set: where it is, its path relative to the data set's folder (with
 * {@code /} separators, the same on every system, for a cache's key), and the label of its class.
 */
record PictureFile(Path path, String relative, int label) {
}

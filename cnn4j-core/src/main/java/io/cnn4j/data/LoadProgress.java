package io.cnn4j.data;

/**
 * Hears how loading a folder of pictures goes, for a progress bar and the notes a command line prints;
 * called from any thread.
 */
@FunctionalInterface
public interface LoadProgress {
    /** {@code done} of {@code total} pictures of {@code what} (the data set's folder) are decoded. */
    void decoded(String what, int done, int total);

    /**
     * {@code file} is not a readable picture, and is left out because {@link DataOptions#skipUnreadable()}
     * says so; {@code reason} is one sentence naming the file. Heard again on every load from the cache.
     */
    default void skipped(String file, String reason) {
    }

    /**
     * One sentence about where the pictures came from or went, e.g. that decoded pictures were read from
     * or written to a cache file, or that the cache folder could not be written and the pictures are held
     * in memory instead.
     */
    default void note(String message) {
    }
}

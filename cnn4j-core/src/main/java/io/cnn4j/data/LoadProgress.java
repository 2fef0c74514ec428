package io.cnn4j.data;

/** Hears how decoding a folder of pictures goes, for a progress bar; called from any thread. */
@FunctionalInterface
public interface LoadProgress {
    /** {@code done} of {@code total} pictures of {@code what} (e.g. "train") are decoded. */
    void decoded(String what, int done, int total);
}

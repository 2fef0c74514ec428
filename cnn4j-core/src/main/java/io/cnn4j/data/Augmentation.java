package io.cnn4j.data;

import io.cnn4j.tensor.Rng;

import java.util.List;

/**
 * The transforms applied to every training image, in order (typically crop, flip, normalise, erase),
 * with their own seeded randomness; to every frame of a clip alike.
 *
 * <p>The random numbers for a batch come from a generator derived from the seed, the epoch and the
 * batch's position in it, not from one stream that runs through the epoch. So a batch is augmented the
 * same way whichever thread assembles it and however far ahead, and a run resumed at batch {@code k}
 * needs no generator state to augment batch {@code k} as the uninterrupted run did. Immutable and
 * thread-safe.
 */
public final class Augmentation {
    private final long seed;
    private final List<ImageTransform> transforms;

    public Augmentation(long seed, List<ImageTransform> transforms) {
        this.seed = seed;
        this.transforms = List.copyOf(transforms);
    }

    public long seed() {
        return seed;
    }

    public List<ImageTransform> transforms() {
        return transforms;
    }

    /** Transforms the images of {@code batch} in place: it is batch {@code position} (from 0) of epoch {@code epoch}. */
    public void apply(Batch batch, int epoch, int position) {
        if (transforms.isEmpty()) {
            return;
        }
        var images = batch.images();
        Rng rng = generator(epoch, position);
        if (images.rank() == 5) {
            applyToClips(images.data(), batch.size(), images.dim(1), images.dim(2), images.dim(3), images.dim(4), rng);
            return;
        }
        int c = images.dim(1);
        int h = images.dim(2);
        int w = images.dim(3);
        int size = c * h * w;
        float[] data = images.data();
        for (int i = 0; i < batch.size(); i++) {
            for (ImageTransform t : transforms) {
                t.apply(data, i * size, c, h, w, rng);
            }
        }
    }

    /**
     * Transforms clips {@code [B, C, T, H, W]} frame by frame, every frame of a clip drawing the same random
     * numbers, so a clip is cropped, flipped or erased alike throughout and its motion is kept. A frame's
     * channels lie T planes apart, so each is gathered into a picture, transformed and put back.
     */
    private void applyToClips(float[] data, int clips, int c, int t, int h, int w, Rng rng) {
        int plane = h * w;
        float[] frame = new float[c * plane];
        for (int i = 0; i < clips; i++) {
            Rng.State start = rng.state();
            for (int f = 0; f < t; f++) {
                rng.restore(start);
                for (int ch = 0; ch < c; ch++) {
                    System.arraycopy(data, ((i * c + ch) * t + f) * plane, frame, ch * plane, plane);
                }
                for (ImageTransform transform : transforms) {
                    transform.apply(frame, 0, c, h, w, rng);
                }
                for (int ch = 0; ch < c; ch++) {
                    System.arraycopy(frame, ch * plane, data, ((i * c + ch) * t + f) * plane, plane);
                }
            }
        }
    }

    /**
     * The generator of one batch: the seed, epoch and position hashed in turn by SplitMix64's output
     * function (which is what a fresh {@link Rng}'s first number is), so nearby batches get unrelated streams.
     */
    Rng generator(int epoch, int position) {
        long h = new Rng(seed).nextLong();
        h = new Rng(h ^ epoch).nextLong();
        h = new Rng(h ^ position).nextLong();
        return new Rng(h);
    }

    @Override
    public String toString() {
        return "Augmentation(seed=" + seed + ", " + transforms + ")";
    }
}

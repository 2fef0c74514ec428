package io.cnn4j.train;

import io.cnn4j.data.Augmentation;
import io.cnn4j.data.BatchFeed;
import io.cnn4j.data.DataLoader;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.HorizontalFlip;
import io.cnn4j.data.Normalize;
import io.cnn4j.data.RandomCrop;
import io.cnn4j.data.RandomErasing;
import io.cnn4j.data.ValidationSplit;
import io.cnn4j.nn.BatchNorm2d;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Dropout;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.MaxPool2d;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.ReLU;
import io.cnn4j.nn.Sequential;
import io.cnn4j.optim.AdamW;
import io.cnn4j.optim.OneCycleLr;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/**
 * A small but complete training run, built the same way every time from a seed: a CNN with batch norm
 * (running statistics are buffers the checkpoint must carry) and dropout,
 * AdamW under a momentum-cycling one-cycle schedule, gradient clipping, label smoothing, augmentation
 * with normalisation, a validation split with best-weight keeping, and prefetching. Everything a
 * checkpoint must capture is in play.
 */
final class TinyRun {
    static final int EPOCHS = 4;
    static final int BATCH = 8;

    final Module model;
    final AdamW optimizer;
    final BatchFeed feed;
    final Trainer trainer;
    final Dataset test;

    TinyRun(long seed) {
        Rng rng = new Rng(seed);
        model = new Sequential(new Conv2d(1, 4, 3), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), new Flatten(), new Dropout(0.3f),
                new Linear(4 * 3 * 3, 3));
        model.initialize(rng);
        optimizer = new AdamW(model.parameters(), 0.01);
        ValidationSplit split = ValidationSplit.carve(images(70, 1), 14, seed);
        Normalize normalize = Normalize.of(split.train());
        Augmentation augmentation = new Augmentation(rng.nextLong(),
                List.of(new RandomCrop(1), new HorizontalFlip(0.5), normalize, RandomErasing.of(0.5)));
        DataLoader loader = new DataLoader(split.train(), BATCH, true, false, rng.split());
        feed = new BatchFeed(loader, augmentation, 2);
        long total = (long) EPOCHS * loader.batchesPerEpoch();
        trainer = new Trainer(model, optimizer)
                .labelSmoothing(0.1f)
                .schedule(new OneCycleLr(0.02, total, 0.3, 25, 1e4, true))
                .clipGradientNorm(1.0)
                .validation(split.validation())
                .normalize(normalize)
                .keepBest(true);
        test = images(20, 2);
    }

    /** {@code n} 8x8 images in three classes, each a blob of its class's brightness on noise. */
    static Dataset images(int n, long seed) {
        Rng rng = new Rng(seed);
        byte[] pixels = new byte[n * 64];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(3);
            for (int p = 0; p < 64; p++) {
                int y = p / 8;
                int x = p % 8;
                boolean blob = Math.abs(y - 2 - labels[i] * 2) <= 1 && x >= 2 && x <= 5;
                pixels[i * 64 + p] = (byte) (rng.nextInt(80) + (blob ? 150 : 0));
            }
        }
        return Dataset.of(pixels, labels, 1, 8, 8, List.of("top", "middle", "bottom"), n + " blob images");
    }

    List<EpochMetrics> fit() {
        return trainer.fit(feed, test, EPOCHS);
    }

    float[][] weights() {
        return model.stateDict().values().stream().map(Tensor::data).map(float[]::clone).toArray(float[][]::new);
    }
}

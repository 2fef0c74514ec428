package io.cnn4j.examples;

import io.cnn4j.data.DataLoader;
import io.cnn4j.data.DataSplit;
import io.cnn4j.data.Datasets;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.optim.Adam;
import io.cnn4j.report.Png;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.train.Reconstruction;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trains the convolutional autoencoder ({@code Models.autoencoder()}: two stride-2 convolutions down to 32
 * maps of 7x7, two stride-2 transposed convolutions back up, a sigmoid) to reconstruct Fashion-MNIST
 * images with the mean squared error, Adam at 0.001 and batches of 128, and prints the test set's
 * reconstruction MSE per pixel (pixels in [0, 1]).
 *
 * <p>Run it with {@code ./examples/run Autoencoder [DATA [EPOCHS [SEED [PNG]]]]}: {@code DATA} as for
 * {@code cnn4j train --data} (default: the embedded subset), 5 epochs and seed 0 by default; given
 * {@code PNG}, it writes the first eight test images above their reconstructions there.
 * {@code scripts/autoencoder_vs_pytorch.py} trains the same network the same way in PyTorch.
 */
public final class Autoencoder {
    private static final int BATCH = 128;
    private static final int SHOWN = 8;

    private Autoencoder() {
    }

    public static void main(String[] args) throws Exception {
        DataSplit data = Datasets.resolve(args.length > 0 ? args[0] : "embedded");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
        System.out.println("data: " + data.description());

        Module model = Models.autoencoder(data.train().imageShape()).initialize(new Rng(seed));
        var optimizer = new Adam(model.parameters(), 1e-3);
        var loader = DataLoader.shuffled(data.train(), BATCH, seed);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            double train = Reconstruction.trainEpoch(model, loader, optimizer);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("epoch %d: train MSE %.5f, test MSE %.5f, %,.0f images/s%n", epoch, train,
                    Reconstruction.meanSquaredError(model, data.test(), 256), data.train().size() / seconds);
        }
        System.out.printf("test reconstruction MSE %.5f%n", Reconstruction.meanSquaredError(model, data.test(), 256));
        if (args.length > 3) {
            Files.write(Path.of(args[3]), originalsAboveReconstructions(model, data.test().batch(0, 1, 2, 3, 4, 5, 6, 7)));
            System.out.println("wrote " + args[3]);
        }
    }

    /** A PNG of {@code images} side by side, their reconstructions in a row below. */
    private static byte[] originalsAboveReconstructions(Module model, Tensor images) {
        model.eval();
        Tensor out;
        try (var ignored = GradMode.noGrad()) {
            out = model.forward(images);
        }
        int h = images.dim(2);
        int w = images.dim(3);
        int[] rgb = new int[2 * h * SHOWN * w];
        for (int row = 0; row < 2; row++) {
            float[] pixels = (row == 0 ? images : out).data();
            for (int i = 0; i < SHOWN; i++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int v = Math.round(255 * Math.clamp(pixels[(i * h + y) * w + x], 0f, 1f));
                        rgb[(row * h + y) * SHOWN * w + i * w + x] = v << 16 | v << 8 | v;
                    }
                }
            }
        }
        return Png.encode(SHOWN * w, 2 * h, rgb);
    }
}

package io.cnn4j.examples;

import io.cnn4j.data.Batch;
import io.cnn4j.data.DataLoader;
import io.cnn4j.data.DataSplit;
import io.cnn4j.data.Datasets;
import io.cnn4j.loss.Losses;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.MaxPool2d;
import io.cnn4j.nn.ReLU;
import io.cnn4j.nn.Sequential;
import io.cnn4j.optim.Adam;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;
import io.cnn4j.train.Evaluator;

/**
 * The classic tutorial CNN, written out by hand: convolution, ReLU, max pooling, flatten, a fully
 * connected layer, cross-entropy on the logits, backpropagation and Adam at 0.001.
 *
 * <p>Run it with {@code ./examples/run TutorialCnn [DATA]} ({@code DATA} as for {@code cnn4j train --data};
 * default: the embedded Fashion-MNIST subset).
 */
public final class TutorialCnn {
    private TutorialCnn() {
    }

    public static void main(String[] args) throws Exception {
        DataSplit data = Datasets.resolve(args.length > 0 ? args[0] : "embedded");
        System.out.println("data: " + data.description());

        var model = new Sequential(
                new Conv2d(1, 32, 5), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(32 * 12 * 12, 10));
        model.initialize(new Rng(0));
        var optimizer = new Adam(model.parameters(), 1e-3);
        var loader = DataLoader.shuffled(data.train(), 64, 0);
        // Lends each step's activations and gradients to the next step, so a step makes no garbage.
        var workspace = new Workspace();

        for (int epoch = 1; epoch <= 2; epoch++) {
            double lossSum = 0;
            int batches = 0;
            long start = System.nanoTime();
            for (Batch batch : loader.nextEpoch()) {
                try (var step = workspace.open()) {
                    optimizer.zeroGrad();
                    Tensor loss = Losses.crossEntropy(model.forward(batch.images()), batch.labels());
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.item();  // inside the step: its tensors are lent only until it ends
                }
                batches++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            var test = Evaluator.evaluate(model, data.test(), 256);
            System.out.printf("epoch %d: train loss %.4f, test accuracy %.4f, %,.0f images/s%n", epoch, lossSum / batches,
                    test.accuracy(), data.train().size() / seconds);
        }
    }
}

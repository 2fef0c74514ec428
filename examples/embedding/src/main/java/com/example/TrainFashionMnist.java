package com.example;

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
 * An application that uses cnn4j as a library: it trains a small CNN on the Fashion-MNIST subset that
 * ships inside cnn4j-core and prints its speed and test accuracy.
 *
 * <p>Run it with {@code mvn compile exec:exec} ({@code -Depochs=N}, default 2), or with
 * {@code java --add-modules jdk.incubator.vector -cp ... com.example.TrainFashionMnist [EPOCHS]}.
 */
public final class TrainFashionMnist {
    private TrainFashionMnist() {
    }

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        DataSplit data = Datasets.embedded();
        System.out.println("data: " + data.description());

        var model = new Sequential(
                new Conv2d(1, 32, 5), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(32 * 12 * 12, 10));
        model.initialize(new Rng(0));
        var optimizer = new Adam(model.parameters(), 1e-3);
        var loader = DataLoader.shuffled(data.train(), 64, 0);

        // Lends each step's activations and gradients to the next step, so a step makes no garbage.
        var workspace = new Workspace();

        double accuracy = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            for (Batch batch : loader.nextEpoch()) {
                try (var step = workspace.open()) {
                    optimizer.zeroGrad();
                    Tensor loss = Losses.crossEntropy(model.forward(batch.images()), batch.labels());
                    loss.backward();
                    optimizer.step();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            accuracy = Evaluator.evaluate(model, data.test(), 256).accuracy();
            System.out.printf("epoch %d: %,.0f images/s, test accuracy %.4f%n",
                    epoch, data.train().size() / seconds, accuracy);
        }
        System.out.printf("test accuracy %.4f%n", accuracy);
    }
}

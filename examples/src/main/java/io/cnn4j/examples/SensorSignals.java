package io.cnn4j.examples;

import io.cnn4j.loss.Losses;
import io.cnn4j.nn.AdaptiveAvgPool1d;
import io.cnn4j.nn.BatchNorm1d;
import io.cnn4j.nn.Conv1d;
import io.cnn4j.nn.ConvNdConfig;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.MaxPool1d;
import io.cnn4j.nn.ReLU;
import io.cnn4j.nn.Sequential;
import io.cnn4j.optim.Adam;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

import java.util.Arrays;
import java.util.List;

/**
 * A 1-D CNN on sensor signals, built and trained with the Java API: three-axis accelerometer recordings of
 * 128 samples (2.56 s at 50 Hz), generated here, of four activities — resting (noise around gravity),
 * walking (a 1.4 to 2.2 Hz sway), running (2.4 to 3.4 Hz, stronger, with a harmonic) and jumping (a few sharp
 * landings). Each recording gets its own amplitude, phase, tempo and noise, so no single sample tells the
 * activities apart: the network must find rhythm and shape along time. Input {@code [N, 3, 128]}:
 * {@code Conv1d} blocks with batch norm and pooling, global average pooling over time, a linear classifier.
 *
 * <p>Run it with {@code ./examples/run SensorSignals [EPOCHS]} (default 4); it prints the test accuracy after
 * each epoch and, last, {@code test accuracy A}.
 */
public final class SensorSignals {
    private static final String[] ACTIVITIES = {"resting", "walking", "running", "jumping"};
    private static final int AXES = 3;
    private static final int LENGTH = 128;
    private static final double HZ = 50;

    private SensorSignals() {
    }

    /** Recordings and their activities. */
    private record Signals(float[] values, int[] labels) {
        int size() {
            return labels.length;
        }

        /** Recordings {@code order[from..to)} as one batch {@code [n, 3, 128]}. */
        Tensor batch(int[] order, int from, int to) {
            float[] out = new float[(to - from) * AXES * LENGTH];
            for (int i = from; i < to; i++) {
                System.arraycopy(values, order[i] * AXES * LENGTH, out, (i - from) * AXES * LENGTH, AXES * LENGTH);
            }
            return Tensor.of(out, to - from, AXES, LENGTH);
        }

        int[] labels(int[] order, int from, int to) {
            return Arrays.stream(order, from, to).map(i -> labels[i]).toArray();
        }
    }

    public static void main(String[] args) {
        double accuracy = train(args.length > 0 ? Integer.parseInt(args[0]) : 4);
        System.out.printf("test accuracy %.4f%n", accuracy);
    }

    /** Generates the recordings, trains the network for {@code epochs} epochs, printing its progress; returns the test accuracy. */
    static double train(int epochs) {
        Signals train = generate(3000, new Rng(1));
        Signals test = generate(1000, new Rng(2));
        System.out.println("data: " + train.size() + " training and " + test.size() + " test recordings of "
                + String.join(", ", ACTIVITIES) + " (" + AXES + " axes x " + LENGTH + " samples)");

        var model = new Sequential(
                new Conv1d(ConvNdConfig.conv1d(AXES, 16, 7).padding(3)), new BatchNorm1d(16), new ReLU(), new MaxPool1d(2),
                new Conv1d(ConvNdConfig.conv1d(16, 32, 5).padding(2)), new BatchNorm1d(32), new ReLU(), new MaxPool1d(2),
                new Conv1d(ConvNdConfig.conv1d(32, 32, 3).samePadding().dilation(2)), new ReLU(),
                new AdaptiveAvgPool1d(1), new Flatten(), new Linear(32, ACTIVITIES.length));
        model.initialize(new Rng(0));
        System.out.println(model);
        var optimizer = new Adam(model.parameters(), 3e-3);
        var workspace = new Workspace();
        Rng shuffle = new Rng(3);
        int batchSize = 32;

        double accuracy = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            model.train(true);
            int[] order = shuffle.permutation(train.size());
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from < train.size(); from += batchSize) {
                int to = Math.min(train.size(), from + batchSize);
                try (var step = workspace.open()) {
                    optimizer.zeroGrad();
                    Tensor loss = Losses.crossEntropy(model.forward(train.batch(order, from, to)), train.labels(order, from, to));
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.item();
                }
                batches++;
            }
            accuracy = accuracy(model, test);
            System.out.printf("epoch %d: train loss %.4f, test accuracy %.4f%n", epoch, lossSum / batches, accuracy);
        }
        return accuracy;
    }

    /** The share of {@code data} whose highest logit is its activity, in evaluation mode. */
    private static double accuracy(Sequential model, Signals data) {
        model.eval();
        int[] all = java.util.stream.IntStream.range(0, data.size()).toArray();
        int right = 0;
        try (var ignored = GradMode.noGrad()) {
            for (int from = 0; from < data.size(); from += 250) {
                int to = Math.min(data.size(), from + 250);
                float[] logits = model.forward(data.batch(all, from, to)).data();
                for (int i = from; i < to; i++) {
                    int best = 0;
                    for (int c = 1; c < ACTIVITIES.length; c++) {
                        if (logits[(i - from) * ACTIVITIES.length + c] > logits[(i - from) * ACTIVITIES.length + best]) {
                            best = c;
                        }
                    }
                    right += best == data.labels()[i] ? 1 : 0;
                }
            }
        }
        return (double) right / data.size();
    }

    /** {@code n} recordings, the activities in turn. */
    private static Signals generate(int n, Rng rng) {
        float[] values = new float[n * AXES * LENGTH];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % ACTIVITIES.length;
            record(labels[i], rng, values, i * AXES * LENGTH);
        }
        return new Signals(values, labels);
    }

    /** One recording of {@code activity} into {@code out} from {@code off}: axis by axis, gravity on the last. */
    private static void record(int activity, Rng rng, float[] out, int off) {
        double tempo = switch (activity) {
            case 1 -> 1.4 + 0.8 * rng.nextDouble();
            case 2 -> 2.4 + rng.nextDouble();
            default -> 0;
        };
        double strength = 0.6 + 0.8 * rng.nextDouble() + (activity == 2 ? 0.4 : 0);
        double noise = 0.15 + 0.25 * rng.nextDouble();
        List<Integer> landings = new java.util.ArrayList<>();
        if (activity == 3) {
            for (int j = 1 + rng.nextInt(3); j > 0; j--) {
                landings.add(rng.nextInt(LENGTH));
            }
        }
        for (int axis = 0; axis < AXES; axis++) {
            double phase = 2 * Math.PI * rng.nextDouble();
            double share = axis == AXES - 1 ? 1 : 0.3 + 0.5 * rng.nextDouble();
            for (int t = 0; t < LENGTH; t++) {
                double v = axis == AXES - 1 ? 1 : 0;
                double angle = 2 * Math.PI * tempo * t / HZ + phase;
                v += share * strength * (Math.sin(angle) + (activity == 2 ? 0.4 * Math.sin(2 * angle) : 0));
                for (int at : landings) {
                    v += share * 3 * strength * Math.exp(-Math.abs(t - at) / 1.5);
                }
                out[off + axis * LENGTH + t] = (float) (v + noise * rng.nextGaussian());
            }
        }
    }
}

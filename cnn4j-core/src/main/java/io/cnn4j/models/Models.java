package io.cnn4j.models;

import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Conv2dConfig;
import io.cnn4j.nn.Dropout;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.MaxPool2d;
import io.cnn4j.nn.ReLU;
import io.cnn4j.nn.Sequential;

import java.util.List;

/**
 * The built-in networks for 28x28 single-channel images, by name. Each is the {@code nn.Sequential}
 * of the same name in PyTorch ({@code ../shared/reference/pytorch_bench.py}), so parameter names and
 * layouts match and weights move both ways.
 */
public final class Models {
    private static final List<String> NAMES = List.of("seed", "lenet5", "small");

    private Models() {
    }

    public static List<String> names() {
        return NAMES;
    }

    /** Builds the named model with fresh weights drawn from {@link io.cnn4j.tensor.Rng#global()}. */
    public static Sequential create(String name) {
        return switch (name) {
            case "seed" -> seed();
            case "lenet5" -> lenet5();
            case "small" -> small();
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; built-in models: " + NAMES);
        };
    }

    /** The tutorial's network: Conv2d(1,32,5), ReLU, MaxPool2d(2), Flatten, Linear(4608,10). */
    public static Sequential seed() {
        return new Sequential(
                new Conv2d(1, 32, 5), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(32 * 12 * 12, 10));
    }

    /** LeNet-5 with ReLU and max pooling, padded so 28x28 inputs work. */
    public static Sequential lenet5() {
        return new Sequential(
                new Conv2d(Conv2dConfig.of(1, 6, 5).padding(2)), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(400, 120), new ReLU(),
                new Linear(120, 84), new ReLU(),
                new Linear(84, 10));
    }

    /** Two 3x3 convolution blocks and a dropout-regularised classifier. */
    public static Sequential small() {
        return new Sequential(
                new Conv2d(Conv2dConfig.of(1, 32, 3).padding(1)), new ReLU(), new MaxPool2d(2),
                new Conv2d(Conv2dConfig.of(32, 64, 3).padding(1)), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(64 * 7 * 7, 128), new ReLU(), new Dropout(0.25f),
                new Linear(128, 10));
    }
}

package io.cnn4j.models;

import io.cnn4j.nn.AdaptiveAvgPool2d;
import io.cnn4j.nn.BatchNorm2d;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Conv2dConfig;
import io.cnn4j.nn.Dropout;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Init;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.MaxPool2d;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.ReLU;
import io.cnn4j.nn.Residual;
import io.cnn4j.nn.Sequential;

import io.cnn4j.tensor.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * The built-in networks for 28x28 single-channel images, by name. Each is the {@code nn.Sequential}
 * of the same name that PyTorch's side of the speed comparison builds ({@code pytorch_bench.py}, see
 * docs/BENCHMARKS.md), so parameter names and layouts match and weights move both ways.
 */
public final class Models {
    private static final List<String> NAMES = List.of("seed", "lenet5", "small", "bn", "resnet", "resnet3");
    /** Channels of the residual network's stem and its two stages. */
    private static final int RESNET_STEM = 32;
    private static final int RESNET_STAGE1 = 64;
    private static final int RESNET_STAGE2 = 128;

    private Models() {
    }

    public static List<String> names() {
        return NAMES;
    }

    /**
     * Builds the named model with its initial weights drawn from {@code rng} (PyTorch's scheme). The
     * residual networks draw their blocks' weights before the stem's and the classifier's, the order in
     * which earlier versions built them, so that a seed gives the weights it always gave (the recipes'
     * published results depend on them).
     */
    public static Sequential create(String name, Rng rng) {
        return create(name, Init.PYTORCH, rng);
    }

    /** Builds the named model with its initial weights drawn from {@code rng} by {@code init}, as {@link #create(String, Rng)}. */
    public static Sequential create(String name, Init init, Rng rng) {
        Sequential model = create(name);
        if (name.startsWith("resnet")) {
            model.children().values().stream().filter(Residual.class::isInstance).forEach(block -> block.initialize(init, rng));
            model.children().values().stream().filter(m -> !(m instanceof Residual)).forEach(m -> m.initialize(init, rng));
        } else {
            model.initialize(init, rng);
        }
        return model;
    }

    /** Builds the named model without weights: initialise it or load weights into it. */
    public static Sequential create(String name) {
        return switch (name) {
            case "seed" -> seed();
            case "lenet5" -> lenet5();
            case "small" -> small();
            case "bn" -> bn();
            case "resnet" -> resnet();
            case "resnet3" -> resnet3();
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

    /** {@link #small} with batch normalisation after each convolution (the convolutions keep their bias, as there). */
    public static Sequential bn() {
        return new Sequential(
                new Conv2d(Conv2dConfig.of(1, 32, 3).padding(1)), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Conv2d(Conv2dConfig.of(32, 64, 3).padding(1)), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(64 * 7 * 7, 128), new ReLU(), new Dropout(0.25f),
                new Linear(128, 10));
    }

    /**
     * A small residual network for 28x28x1 images: a 3x3 stem convolution at full resolution, two basic blocks
     * that each halve the resolution (stride 2) and double the channels, {@value #RESNET_STEM} to
     * {@value #RESNET_STAGE1} to {@value #RESNET_STAGE2}, with 1x1 convolution and batch norm projecting the
     * shortcut, global average pooling and a linear classifier: 289,514 parameters and 22.7 million
     * multiply-adds per image forward (about 5 times {@link #small}), sized for a few hundred thousand
     * training images per CPU-core-hour. Convolutions before a batch norm have no bias, which the norm would
     * cancel.
     *
     * <pre>
     * 0  Conv2d(1, 32, 3, padding=1, bias=False)                 28x28
     * 1  BatchNorm2d(32), 2 ReLU
     * 3  Residual(basic block 32 -> 64, stride 2, projection)    14x14
     * 4  ReLU
     * 5  Residual(basic block 64 -> 128, stride 2, projection)   7x7
     * 6  ReLU
     * 7  AdaptiveAvgPool2d(1), 8 Flatten, 9 Linear(128, 10)
     * </pre>
     *
     * A basic block's body is {@code Sequential(conv3x3, BatchNorm2d, ReLU, conv3x3, BatchNorm2d)}, its
     * shortcut {@code Sequential(conv1x1, BatchNorm2d)}; parameters are named as PyTorch names the same
     * modules ({@code 3.body.0.weight}, {@code 5.shortcut.1.running_var}; see {@link Residual}). A deeper
     * variant with another 32-channel block at 28x28 is {@link #resnet3}.
     */
    public static Sequential resnet() {
        return residualNetwork(basicBlock(RESNET_STEM, RESNET_STAGE1, 2), basicBlock(RESNET_STAGE1, RESNET_STAGE2, 2));
    }

    /**
     * {@link #resnet} with a third basic block, 32 channels at 28x28, before the other two: 37 million
     * multiply-adds per image forward, about 1.6 times {@code resnet}'s. It is the model of the fashion94
     * recipe: in PyTorch it reached 94.18, 94.10, 94.02 and 94.11% in four seeds of that recipe, where
     * {@code resnet} stops at 93.7% (docs/RECIPES.md). Parameters are named as in PyTorch
     * ({@code 3.body.0.weight} is the new block's first convolution, {@code 5.} and {@code 7.} the others).
     */
    public static Sequential resnet3() {
        return residualNetwork(basicBlock(RESNET_STEM, RESNET_STEM, 1), basicBlock(RESNET_STEM, RESNET_STAGE1, 2),
                basicBlock(RESNET_STAGE1, RESNET_STAGE2, 2));
    }

    /** The stem, the blocks each followed by a ReLU, global average pooling and the classifier. */
    private static Sequential residualNetwork(Residual... blocks) {
        List<Module> layers = new ArrayList<>(List.of(
                new Conv2d(Conv2dConfig.of(1, RESNET_STEM, 3).padding(1).bias(false)), new BatchNorm2d(RESNET_STEM),
                new ReLU()));
        for (Residual block : blocks) {
            layers.add(block);
            layers.add(new ReLU());
        }
        layers.addAll(List.of(new AdaptiveAvgPool2d(1), new Flatten(), new Linear(RESNET_STAGE2, 10)));
        return new Sequential(layers);
    }

    /** Two 3x3 convolutions with batch norm, plus the input; projected when the shape changes. */
    private static Residual basicBlock(int in, int out, int stride) {
        Sequential body = new Sequential(
                new Conv2d(Conv2dConfig.of(in, out, 3).stride(stride).padding(1).bias(false)), new BatchNorm2d(out), new ReLU(),
                new Conv2d(Conv2dConfig.of(out, out, 3).padding(1).bias(false)), new BatchNorm2d(out));
        if (in == out && stride == 1) {
            return new Residual(body);
        }
        return new Residual(body, new Sequential(
                new Conv2d(Conv2dConfig.of(in, out, 1).stride(stride).bias(false)), new BatchNorm2d(out)));
    }
}

package io.cnn4j.models;

import io.cnn4j.nn.AdaptiveAvgPool2d;
import io.cnn4j.nn.AdaptiveAvgPool3d;
import io.cnn4j.nn.BatchNorm1d;
import io.cnn4j.nn.BatchNorm2d;
import io.cnn4j.nn.Conv1d;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Conv2dConfig;
import io.cnn4j.nn.ConvTranspose2d;
import io.cnn4j.nn.ConvTranspose2dConfig;
import io.cnn4j.nn.Conv3d;
import io.cnn4j.nn.ConvNdConfig;
import io.cnn4j.nn.Dropout;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Init;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.MaxPool1d;
import io.cnn4j.nn.MaxPool2d;
import io.cnn4j.nn.MaxPool3d;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.ReLU;
import io.cnn4j.nn.Residual;
import io.cnn4j.nn.Sequential;
import io.cnn4j.nn.Sigmoid;

import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The built-in networks, by name, each built for the images it is given: {@code C x H x W} (gray or colour,
 * any size its layers can reduce) and any number of classes. For 28x28 single-channel images and ten classes
 * each is the {@code nn.Sequential} of the same name that PyTorch's side of the speed comparison builds
 * ({@code pytorch_bench.py}, see docs/BENCHMARKS.md), so parameter names and layouts match and weights move
 * both ways; for other shapes the first convolution takes C channels and the classifier's sizes follow from
 * the layer arithmetic.
 */
public final class Models {
    private static final List<String> NAMES = List.of("seed", "lenet5", "small", "bn", "resnet", "resnet3", "seq1d");
    /** The built-in networks for clips {@code [C, T, H, W]}. */
    private static final List<String> CLIP_NAMES = List.of("video3d");
    /** Every built-in network's name, for lookups and messages. */
    private static final List<String> ALL_NAMES = Stream.concat(NAMES.stream(), CLIP_NAMES.stream()).toList();
    /** The clips the overloads without a shape build {@code video3d} for: eight frames of 32x32, one channel. */
    public static final Shape MOVING_FASHION_CLIP = Shape.of(1, 8, 32, 32);
    /** The classes of those overloads' {@code video3d}: the eight directions of the moving-picture task. */
    private static final int DIRECTIONS = 8;
    /** Channels of video3d's three convolutions. */
    private static final int[] VIDEO3D_WIDTHS = {16, 32, 64};
    /** The convolutional autoencoder's name; it reconstructs images rather than classifying them, so {@link #names} leaves it out. */
    public static final String AUTOENCODER = "autoencoder";
    /** Fashion-MNIST's images, which the overloads without a shape build for. */
    public static final Shape FASHION_MNIST_IMAGE = Shape.of(1, 28, 28);
    /** Fashion-MNIST's classes. */
    public static final int FASHION_MNIST_CLASSES = 10;
    /** Channels of the residual network's stem and its two stages. */
    private static final int RESNET_STEM = 32;
    private static final int RESNET_STAGE1 = 64;
    private static final int RESNET_STAGE2 = 128;

    private Models() {
    }

    /** The built-in networks for pictures {@code [C, H, W]}. */
    public static List<String> names() {
        return NAMES;
    }

    /** The built-in networks for clips {@code [C, T, H, W]}: {@link #video3d()}. */
    public static List<String> clipNames() {
        return CLIP_NAMES;
    }

    /** Every built-in network: {@link #names()}, then {@link #clipNames()}. */
    public static List<String> allNames() {
        return ALL_NAMES;
    }

    /**
     * Builds the named model for 1x28x28 images and ten classes with its initial weights drawn from
     * {@code rng} (PyTorch's scheme). The residual networks draw their blocks' weights before the stem's and
     * the classifier's, the order in which earlier versions built them, so that a seed gives the weights it
     * always gave (the recipes' published results depend on them).
     */
    public static Sequential create(String name, Rng rng) {
        return create(name, Init.PYTORCH, rng);
    }

    /** Builds the named model with its initial weights drawn from {@code rng} by {@code init}, as {@link #create(String, Rng)}. */
    public static Sequential create(String name, Init init, Rng rng) {
        return create(name, defaultInput(name), defaultClasses(name), init, rng);
    }

    /** Builds the named model for 1x28x28 images and ten classes without weights: initialise it or load weights into it. */
    public static Sequential create(String name) {
        return create(name, defaultInput(name), defaultClasses(name));
    }

    /** What the overloads without a shape build the named model for: 1x28x28, or {@link #MOVING_FASHION_CLIP} for a clip model. */
    public static Shape defaultInput(String name) {
        return CLIP_NAMES.contains(name) ? MOVING_FASHION_CLIP : FASHION_MNIST_IMAGE;
    }

    /** The classes the overloads without a shape build the named model for: ten, or eight for a clip model. */
    public static int defaultClasses(String name) {
        return CLIP_NAMES.contains(name) ? DIRECTIONS : FASHION_MNIST_CLASSES;
    }

    /** Builds the named model for {@code input} and {@code classes} with its initial weights drawn from {@code rng} (PyTorch's scheme). */
    public static Sequential create(String name, Shape input, int classes, Rng rng) {
        return create(name, input, classes, Init.PYTORCH, rng);
    }

    /**
     * Builds the named model for {@code input} and {@code classes} with its initial weights drawn from
     * {@code rng} by {@code init}, in the order {@link #create(String, Rng)} describes.
     */
    public static Sequential create(String name, Shape input, int classes, Init init, Rng rng) {
        Sequential model = create(name, input, classes);
        if (name.startsWith("resnet")) {
            model.children().values().stream().filter(Residual.class::isInstance).forEach(block -> block.initialize(init, rng));
            model.children().values().stream().filter(m -> !(m instanceof Residual)).forEach(m -> m.initialize(init, rng));
        } else {
            model.initialize(init, rng);
        }
        return model;
    }

    /**
     * Builds the named model without weights for images of shape {@code input}, {@code [C, H, W]}, and
     * {@code classes} classes (at least two). An image smaller than the model's layers can reduce is refused,
     * naming the smallest size the model takes.
     */
    public static Sequential create(String name, Shape input, int classes) {
        if (name.equals(AUTOENCODER)) {
            throw new IllegalArgumentException("model '" + AUTOENCODER + "' reconstructs images rather than classifying them:"
                    + " build it with Models.autoencoder(shape)");
        }
        if (!ALL_NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown model '" + name + "'; built-in models: " + ALL_NAMES);
        }
        if (CLIP_NAMES.contains(name)) {
            return video3d(input, classes);
        }
        if (input.rank() != 3) {
            throw new IllegalArgumentException("model '" + name + "' is built for one image's shape [C, H, W], got " + input);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("model '" + name + "' needs at least 2 classes to tell apart, got " + classes);
        }
        int c = input.dim(0);
        int h = input.dim(1);
        int w = input.dim(2);
        int smallest = smallestSide(name);
        if (h < smallest || w < smallest) {
            throw new IllegalArgumentException("model '" + name + "' takes images of at least " + smallest + "x" + smallest
                    + " pixels, got " + h + "x" + w + " (" + c + "x" + h + "x" + w + ")");
        }
        return switch (name) {
            case "seed" -> seed(c, h, w, classes);
            case "lenet5" -> lenet5(c, h, w, classes);
            case "small" -> small(c, h, w, classes);
            case "bn" -> bn(c, h, w, classes);
            case "resnet" -> resnet(c, classes);
            case "seq1d" -> seq1d(c, h, w, classes);
            default -> resnet3(c, classes);
        };
    }

    /**
     * The smallest height and width the named model takes: the side its convolutions and poolings reduce to
     * one pixel (or, for the residual networks, which pool globally, any side).
     */
    public static int smallestSide(String name) {
        return switch (name) {
            case "seed" -> 6;      // 5x5 convolution, then 2x2 pooling: (6 - 4) / 2 = 1
            case "lenet5" -> 12;   // padded 5x5, pool, 5x5, pool: (12 / 2 - 4) / 2 = 1
            case "small", "bn" -> 4; // padded 3x3 convolutions, two 2x2 poolings: 4 / 2 / 2 = 1
            case "resnet", "resnet3" -> 1;
            case "seq1d" -> 4;     // the sequence's length (the width) halved twice
            case "video3d" -> 4;   // padded 3x3x3 convolutions, two poolings of 2x2 frames: 4 / 2 / 2 = 1
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; built-in models: " + ALL_NAMES);
        };
    }

    /** The tutorial's network for 1x28x28 and ten classes: Conv2d(1,32,5), ReLU, MaxPool2d(2), Flatten, Linear(4608,10). */
    public static Sequential seed() {
        return create("seed");
    }

    /** LeNet-5 with ReLU and max pooling, padded so 28x28 inputs work, for ten classes. */
    public static Sequential lenet5() {
        return create("lenet5");
    }

    /** Two 3x3 convolution blocks and a dropout-regularised classifier, for 1x28x28 and ten classes. */
    public static Sequential small() {
        return create("small");
    }

    /** {@link #small} with batch normalisation after each convolution (the convolutions keep their bias, as there). */
    public static Sequential bn() {
        return create("bn");
    }

    /**
     * A small 3-D CNN for clips, here for 1x8x32x32 clips and the eight directions of the moving-picture task:
     * three padded 3x3x3 convolutions (16, 32 and 64 channels) with ReLU, the first two each
     * followed by a max pooling of 2x2 within every frame (never across frames, so any number of frames
     * works, one included), then average pooling over frames and space and a linear classifier. Each
     * convolution sees three frames, so together they see motion over seven.
     *
     * <pre>
     * 0  Conv3d(C, 16, 3, padding=1), 1 ReLU, 2 MaxPool3d((1, 2, 2))    T x 16 x 16
     * 3  Conv3d(16, 32, 3, padding=1), 4 ReLU, 5 MaxPool3d((1, 2, 2))   T x 8 x 8
     * 6  Conv3d(32, 64, 3, padding=1), 7 ReLU
     * 8  AdaptiveAvgPool3d(1), 9 Flatten, 10 Linear(64, classes)
     * </pre>
     */
    public static Sequential video3d() {
        return create("video3d");
    }

    private static Sequential video3d(Shape input, int classes) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException("model 'video3d' is built for one clip's shape [C, T, H, W], got " + input);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("model 'video3d' needs at least 2 classes to tell apart, got " + classes);
        }
        int smallest = smallestSide("video3d");
        if (input.dim(2) < smallest || input.dim(3) < smallest) {
            throw new IllegalArgumentException("model 'video3d' takes frames of at least " + smallest + "x" + smallest
                    + " pixels, got " + input.dim(2) + "x" + input.dim(3) + " (" + input.dim(0) + "x" + input.dim(1)
                    + "x" + input.dim(2) + "x" + input.dim(3) + ")");
        }
        int[] frameWise = {1, 2, 2};
        int[] w = VIDEO3D_WIDTHS;
        return new Sequential(
                new Conv3d(ConvNdConfig.conv3d(input.dim(0), w[0], 3).padding(1)), new ReLU(),
                new MaxPool3d(frameWise, null, new int[] {0}, new int[] {1}, false),
                new Conv3d(ConvNdConfig.conv3d(w[0], w[1], 3).padding(1)), new ReLU(),
                new MaxPool3d(frameWise, null, new int[] {0}, new int[] {1}, false),
                new Conv3d(ConvNdConfig.conv3d(w[1], w[2], 3).padding(1)), new ReLU(),
                new AdaptiveAvgPool3d(1), new Flatten(), new Linear(w[2], classes));
    }

    private static Sequential seed(int c, int h, int w, int classes) {
        return new Sequential(
                new Conv2d(c, 32, 5), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(features("seed", 32, (h - 4) / 2, (w - 4) / 2), classes));
    }

    private static Sequential lenet5(int c, int h, int w, int classes) {
        return new Sequential(
                new Conv2d(Conv2dConfig.of(c, 6, 5).padding(2)), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(features("lenet5", 16, (h / 2 - 4) / 2, (w / 2 - 4) / 2), 120), new ReLU(),
                new Linear(120, 84), new ReLU(),
                new Linear(84, classes));
    }

    private static Sequential small(int c, int h, int w, int classes) {
        return new Sequential(
                new Conv2d(Conv2dConfig.of(c, 32, 3).padding(1)), new ReLU(), new MaxPool2d(2),
                new Conv2d(Conv2dConfig.of(32, 64, 3).padding(1)), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(features("small", 64, h / 4, w / 4), 128), new ReLU(), new Dropout(0.25f),
                new Linear(128, classes));
    }

    private static Sequential bn(int c, int h, int w, int classes) {
        return new Sequential(
                new Conv2d(Conv2dConfig.of(c, 32, 3).padding(1)), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Conv2d(Conv2dConfig.of(32, 64, 3).padding(1)), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(features("bn", 64, h / 4, w / 4), 128), new ReLU(), new Dropout(0.25f),
                new Linear(128, classes));
    }

    /**
     * A convolutional autoencoder for 1x28x28 images, without weights: {@link #autoencoder(Shape)}.
     */
    public static Sequential autoencoder() {
        return autoencoder(FASHION_MNIST_IMAGE);
    }

    /**
     * A convolutional autoencoder for images of shape {@code [C, H, W]}, without weights (initialise it or
     * load weights into it): two stride-2 convolutions encode the image into 32 maps of a quarter of its
     * height and width, two stride-2 transposed convolutions decode them back to its shape, and a sigmoid
     * gives pixels in [0, 1], to compare with the input by {@code Losses.mse}. For 1x28x28, 9,569 parameters:
     *
     * <pre>
     * 0 Conv2d(1, 16, 3, stride=2, padding=1), 1 ReLU                                 14x14
     * 2 Conv2d(16, 32, 3, stride=2, padding=1), 3 ReLU                                 7x7
     * 4 ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1), 5 ReLU     14x14
     * 6 ConvTranspose2d(16, 1, 3, stride=2, padding=1, output_padding=1), 7 Sigmoid   28x28
     * </pre>
     *
     * The height and width must be multiples of 4, so that halving each twice and doubling back gives them again.
     */
    public static Sequential autoencoder(Shape image) {
        if (image.rank() != 3 || image.dim(1) % 4 != 0 || image.dim(2) % 4 != 0) {
            throw new IllegalArgumentException("model '" + AUTOENCODER + "' is built for an image [C, H, W] with H and W"
                    + " multiples of 4 (it halves them twice and doubles them back), got " + image);
        }
        int c = image.dim(0);
        return new Sequential(
                new Conv2d(Conv2dConfig.of(c, 16, 3).stride(2).padding(1)), new ReLU(),
                new Conv2d(Conv2dConfig.of(16, 32, 3).stride(2).padding(1)), new ReLU(),
                new ConvTranspose2d(ConvTranspose2dConfig.of(32, 16, 3).stride(2).padding(1).outputPadding(1)), new ReLU(),
                new ConvTranspose2d(ConvTranspose2dConfig.of(16, c, 3).stride(2).padding(1).outputPadding(1)), new Sigmoid());
    }

    /**
     * A 1-D CNN for sequences, here for images read as sequences: {@code Flatten(1, 2)} turns {@code [N, C, H, W]}
     * into {@code [N, C*H, W]}, a sequence along the columns of {@code C*H} channels (Fashion-MNIST: 28 rows, 28
     * steps), then three {@code Conv1d} blocks with batch norm (64, 64 and 128 channels, kernel 3, the second and
     * third halving the length) and a linear classifier on what they leave: 51,722 parameters and 0.85 million
     * multiply-adds per 28x28 image. (Global average pooling over the length instead of the flattening loses
     * where along the sequence a feature was: 88.1% instead of 89.2% after five epochs on Fashion-MNIST.)
     *
     * <pre>
     * 0  Flatten(start_dim=1, end_dim=2)                          [N, 28, 28]
     * 1  Conv1d(28, 64, kernel_size=3, padding=1, bias=False), 2 BatchNorm1d(64), 3 ReLU
     * 4  Conv1d(64, 64, kernel_size=3, padding=1, bias=False), 5 BatchNorm1d(64), 6 ReLU, 7 MaxPool1d(2)   [N, 64, 14]
     * 8  Conv1d(64, 128, kernel_size=3, padding=1, bias=False), 9 BatchNorm1d(128), 10 ReLU, 11 MaxPool1d(2) [N, 128, 7]
     * 12 Flatten, 13 Linear(896, 10)
     * </pre>
     */
    public static Sequential seq1d() {
        return create("seq1d");
    }

    private static Sequential seq1d(int c, int h, int w, int classes) {
        return new Sequential(
                new Flatten(1, 2),
                new Conv1d(ConvNdConfig.conv1d(c * h, 64, 3).padding(1).bias(false)), new BatchNorm1d(64), new ReLU(),
                new Conv1d(ConvNdConfig.conv1d(64, 64, 3).padding(1).bias(false)), new BatchNorm1d(64), new ReLU(),
                new MaxPool1d(2),
                new Conv1d(ConvNdConfig.conv1d(64, 128, 3).padding(1).bias(false)), new BatchNorm1d(128), new ReLU(),
                new MaxPool1d(2),
                new Flatten(), new Linear(features("seq1d", 128, 1, w / 4), classes));
    }

    /** The features a classifier takes from {@code channels} maps of {@code h x w}, refused when more than an int holds. */
    private static int features(String name, int channels, int h, int w) {
        long n = (long) channels * h * w;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "model '%s' would pass %,d features to its"
                    + " classifier (%d maps of %dx%d), more than a layer holds: give it smaller images", name, n, channels, h, w));
        }
        return (int) n;
    }

    /**
     * A small residual network, here for 1x28x28 images and ten classes: a 3x3 stem convolution at full resolution, two basic blocks
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
        return create("resnet");
    }

    private static Sequential resnet(int channels, int classes) {
        return residualNetwork(channels, classes, basicBlock(RESNET_STEM, RESNET_STAGE1, 2),
                basicBlock(RESNET_STAGE1, RESNET_STAGE2, 2));
    }

    /**
     * {@link #resnet} with a third basic block, 32 channels at 28x28, before the other two: 37 million
     * multiply-adds per image forward, about 1.6 times {@code resnet}'s. It is the model of the fashion94
     * recipe: in PyTorch it reached 94.18, 94.10, 94.02 and 94.11% in four seeds of that recipe, where
     * {@code resnet} stops at 93.7% (docs/RECIPES.md). Parameters are named as in PyTorch
     * ({@code 3.body.0.weight} is the new block's first convolution, {@code 5.} and {@code 7.} the others).
     */
    public static Sequential resnet3() {
        return create("resnet3");
    }

    private static Sequential resnet3(int channels, int classes) {
        return residualNetwork(channels, classes, basicBlock(RESNET_STEM, RESNET_STEM, 1),
                basicBlock(RESNET_STEM, RESNET_STAGE1, 2), basicBlock(RESNET_STAGE1, RESNET_STAGE2, 2));
    }

    /** The stem, the blocks each followed by a ReLU, global average pooling and the classifier. */
    private static Sequential residualNetwork(int channels, int classes, Residual... blocks) {
        List<Module> layers = new ArrayList<>(List.of(
                new Conv2d(Conv2dConfig.of(channels, RESNET_STEM, 3).padding(1).bias(false)), new BatchNorm2d(RESNET_STEM),
                new ReLU()));
        for (Residual block : blocks) {
            layers.add(block);
            layers.add(new ReLU());
        }
        layers.addAll(List.of(new AdaptiveAvgPool2d(1), new Flatten(), new Linear(RESNET_STAGE2, classes)));
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

package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static io.cnn4j.nn.LayerType.Kind.BOOLEAN;
import static io.cnn4j.nn.LayerType.Kind.NUMBER;
import static io.cnn4j.nn.LayerType.Kind.WHOLE;

/**
 * Batch normalisation of the channels (dimension 1), the part {@link BatchNorm1d} and {@link BatchNorm2d}
 * share; they differ only in the inputs they accept. Per channel
 * {@code y = (x - mean) / sqrt(var + eps) * weight + bias}, with the batch's mean and biased variance
 * while training (which also moves the running statistics towards them, the variance unbiased) and
 * the running statistics in evaluation mode; see {@link BatchNormConfig}.
 *
 * <p>State, under PyTorch's names: parameters {@code weight} {@code [C]} (ones) and {@code bias}
 * {@code [C]} (zeros) when affine; buffers {@code running_mean} (zeros), {@code running_var} (ones) and
 * {@code num_batches_tracked} (a scalar count of training batches, saved as int64) when tracking running
 * statistics.
 */
public abstract sealed class BatchNorm extends Module implements ReluFusable permits BatchNorm1d, BatchNorm2d {
    private final String type;
    private final BatchNormConfig config;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    BatchNorm(String type, BatchNormConfig config) {
        this.type = type;
        this.config = config;
        int c = config.numFeatures();
        weight = config.affine() ? registerParameter("weight", Tensor.zeros(c)) : null;
        bias = config.affine() ? registerParameter("bias", Tensor.zeros(c)) : null;
        runningMean = config.trackRunningStats() ? registerBuffer("running_mean", Tensor.zeros(c)) : null;
        runningVar = config.trackRunningStats() ? registerBuffer("running_var", Tensor.zeros(c)) : null;
        numBatchesTracked = config.trackRunningStats() ? registerCountBuffer("num_batches_tracked", Tensor.scalar(0f)) : null;
        reset();
    }

    public BatchNormConfig settings() {
        return config;
    }

    /** The per-channel scale, or null without {@code affine}. */
    public Tensor weight() {
        return weight;
    }

    /** The per-channel shift, or null without {@code affine}. */
    public Tensor bias() {
        return bias;
    }

    /** The running mean, or null without {@code trackRunningStats}. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance, or null without {@code trackRunningStats}. */
    public Tensor runningVar() {
        return runningVar;
    }

    /** Training batches seen so far (0 without {@code trackRunningStats}). */
    public long numBatchesTracked() {
        return numBatchesTracked == null ? 0 : (long) numBatchesTracked.item();
    }

    @Override
    protected Tensor compute(Tensor input) {
        return normalize(input, false);
    }

    @Override
    public Tensor computeWithRelu(Tensor input) {
        return normalize(input, true);
    }

    /**
     * Whether a convolution of {@code channels} output channels before this layer may take it in for an
     * inference ({@link Conv2d#computeFolding}): in evaluation mode, by running statistics of as many
     * channels, with no hook to see its own output.
     */
    boolean foldsAfter(int channels) {
        return !isTraining() && runningMean != null && config.numFeatures() == channels && !hasForwardHooks();
    }

    /** The weight and bias of a convolution ({@code convWeight}, {@code convBias} or null) followed by this layer in evaluation mode. */
    Tensor[] fold(Tensor convWeight, Tensor convBias) {
        return Functional.foldBatchNorm(convWeight, convBias, runningMean, runningVar, weight, bias, config.eps());
    }

    private Tensor normalize(Tensor input, boolean relu) {
        outputShape(input.shape());
        boolean training = isTraining();
        // PyTorch counts the batch before it weighs it: the first batch's statistics replace the initial ones.
        double momentum = config.momentum().orElse(1.0 / (numBatchesTracked() + 1));
        Tensor y = relu
                ? Functional.batchNormRelu(input, runningMean, runningVar, weight, bias, training, momentum, config.eps())
                : Functional.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, config.eps());
        if (training && numBatchesTracked != null) {
            numBatchesTracked.data()[0]++;
        }
        return y;
    }

    @Override
    public Shape outputShape(Shape input) {
        checkInput(input);
        // Batch statistics need two values per channel; in evaluation mode the running statistics serve any batch.
        if ((isTraining() || runningMean == null) && (long) input.dim(0) * input.sizeFrom(2) < 2) {
            throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when training, got input "
                    + input + "; use a batch of 2 or more, or eval() mode");
        }
        return input;
    }

    /** Throws IllegalArgumentException, naming this layer, when {@code input} is not of a shape it takes. */
    abstract void checkInput(Shape input);

    /**
     * BatchNormalization in its inference form, by the running statistics. ONNX's momentum is the weight of
     * the running value (PyTorch's is the new batch's); ONNX has no cumulative average, so a layer with
     * {@code momentum=None} gives none (inference does not read it, and import takes ONNX's default).
     * Without affine, its scale and bias are constants.
     */
    private String toOnnx(OnnxScope onnx, String x) {
        if (runningMean == null) {
            throw onnx.unsupported("without running statistics (track_running_stats=False) it normalises by each"
                    + " batch's own, which ONNX's inference-form BatchNormalization cannot express");
        }
        int c = config.numFeatures();
        onnx.counter("num_batches_tracked", numBatchesTracked());
        String scale = weight != null ? onnx.parameter("weight", weight) : onnx.constant("scale", Tensor.full(1f, c));
        String shift = bias != null ? onnx.parameter("bias", bias) : onnx.constant("shift", Tensor.zeros(c));
        List<String> inputs = List.of(x, scale, shift, onnx.parameter("running_mean", runningMean),
                onnx.parameter("running_var", runningVar));
        OnnxAttribute epsilon = OnnxAttribute.of("epsilon", (float) config.eps());
        return config.momentum().isPresent()
                ? onnx.node("BatchNormalization", inputs, epsilon, OnnxAttribute.of("momentum", (float) (1 - config.momentum().getAsDouble())))
                : onnx.node("BatchNormalization", inputs, epsilon);
    }

    /** BatchNorm1d's or BatchNorm2d's type. */
    abstract LayerType layerType();

    /** Whether {@code input} is {@code [N, C, ...]} with {@code features} channels and the given rank. */
    static boolean fits(int features, Shape input, int rank) {
        return input.rank() == rank && input.dim(1) == features;
    }

    /** Weight one and bias zero whatever the scheme (as PyTorch), and fresh running statistics. */
    @Override
    protected void resetParameters(Init init, Rng rng) {
        reset();
    }

    /** Nothing random: a batch norm starts as the identity with fresh statistics, as PyTorch's does. */
    private void reset() {
        AffineNorm.startAffine(weight, bias);
        if (runningMean != null) {
            Arrays.fill(runningMean.data(), 0f);
            Arrays.fill(runningVar.data(), 1f);
            numBatchesTracked.data()[0] = 0f;
        }
    }

    @Override
    public LayerConfig config() {
        return layerType().config("num_features", config.numFeatures(), "eps", config.eps(), "momentum",
                config.momentum().isPresent() ? (Object) config.momentum().getAsDouble() : null,
                "affine", config.affine(), "track_running_stats", config.trackRunningStats());
    }

    /** Throws IllegalArgumentException, naming {@code layer}, when {@code input} is not of a shape it takes. */
    interface InputCheck {
        void check(String layer, int features, Shape input);
    }

    /**
     * The type of a batch norm called {@code name} that {@code constructor} builds and that takes the inputs
     * {@code check} accepts: PyTorch's arguments, sized without building the layer.
     */
    static LayerType type(String name, Function<BatchNormConfig, BatchNorm> constructor, InputCheck check) {
        return LayerType.of(name, c -> constructor.apply(settings(c)))
                .require("num_features", WHOLE).optional("eps", NUMBER, 1e-5).optionalOrNull("momentum", NUMBER, 0.1)
                .optional("affine", BOOLEAN, true).optional("track_running_stats", BOOLEAN, true)
                .sizedBy(c -> sizes(c, check))
                .exportsTo(BatchNorm.class, BatchNorm::toOnnx);
    }

    private static BatchNormConfig settings(LayerConfig c) {
        return new BatchNormConfig(c.intArg("num_features"), c.doubleArg("eps"),
                c.arg("momentum") == null ? OptionalDouble.empty() : OptionalDouble.of(c.doubleArg("momentum")),
                c.boolArg("affine"), c.boolArg("track_running_stats"));
    }

    /**
     * The sizes of the layer a description gives: a weight and a bias per channel when affine; a running
     * mean and variance per channel and one batch count when tracking statistics. Its output shapes are
     * those of evaluation mode, where any batch will do.
     */
    private static LayerSizes sizes(LayerConfig c, InputCheck check) {
        BatchNormConfig settings = settings(c);
        String layer = describe(c.type(), settings);
        int features = settings.numFeatures();
        UnaryOperator<Shape> shape = input -> {
            check.check(layer, features, input);
            return input;
        };
        return new LayerSizes(layer, settings.affine() ? 2L * features : 0,
                settings.trackRunningStats() ? 2L * features + 1 : 0, shape);
    }

    /** PyTorch's repr, with only the arguments that differ from the defaults: {@code BatchNorm2d(32)}. */
    @Override
    public String toString() {
        return describe(type, config);
    }

    private static String describe(String type, BatchNormConfig config) {
        StringBuilder sb = new StringBuilder(type).append('(').append(config.numFeatures());
        if (config.eps() != 1e-5) {
            sb.append(", eps=").append(config.eps());
        }
        if (config.momentum().isEmpty()) {
            sb.append(", momentum=None");
        } else if (config.momentum().getAsDouble() != 0.1) {
            sb.append(", momentum=").append(config.momentum().getAsDouble());
        }
        if (!config.affine()) {
            sb.append(", affine=False");
        }
        if (!config.trackRunningStats()) {
            sb.append(", track_running_stats=False");
        }
        return sb.append(')').toString();
    }
}

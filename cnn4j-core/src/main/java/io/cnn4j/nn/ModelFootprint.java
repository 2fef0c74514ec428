package io.cnn4j.nn;

import io.cnn4j.limits.Counts;
import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The sizes of a model at an input image shape, worked out from its description before any tensor
 * exists: its parameters and buffers, the output shape of every layer and the activations one image
 * makes, and from them the memory a training step or an inference pass will need. Nothing is built or
 * run, so a description of a model far too large for memory is measured in microseconds, and an image
 * the model cannot take is reported as the forward pass would report it
 * ({@code "layer 4: Linear(4608, 10) expects input [N, 4608], got [1, 6272] ..."}).
 *
 * <p>The memory estimates count float32 values (4 bytes) and are meant to be on the safe side:
 * <ul>
 * <li>a training step at batch {@code N} needs {@code 4 x parameters} (the weights, their gradients and
 *     an optimizer's two moments, as Adam keeps; SGD keeps fewer) plus the buffers, plus
 *     {@code 3 x N x (input + activations per image)}: each layer's output, what its backward pass saves
 *     of it, and its gradient;</li>
 * <li>an inference pass at batch {@code N} needs the parameters and buffers plus
 *     {@code N x (input + 2 x the largest layer output)}: without gradients only a layer's input and
 *     output are alive at a time.</li>
 * </ul>
 * Shapes are those of evaluation mode; in training mode a batch norm also needs two or more values per
 * channel in the batch.
 */
public final class ModelFootprint {
    /** Values a training step keeps per parameter: the weight, its gradient and two optimizer moments. */
    private static final int TRAINING_COPIES_PER_PARAMETER = 4;
    /** Values a training step keeps per activation: the output, what the backward pass saves, the gradient. */
    private static final int TRAINING_COPIES_PER_ACTIVATION = 3;

    /**
     * A leaf layer of the model (one that holds no other layers): its dotted name, the same as its
     * parameters' ({@code 3.body.0}), the layer as code would construct it, the shape of its output for
     * one image, and its parameter count.
     */
    public record Layer(String name, String layer, Shape output, long parameters) {
    }

    private final Shape image;
    private final Shape output;
    private final long parameters;
    private final long buffers;
    private final List<Layer> layers;
    private final long activations;
    private final long largestOutput;

    private ModelFootprint(Shape image, Shape output, long parameters, long buffers, Trace trace) {
        this.image = image;
        this.output = output;
        this.parameters = parameters;
        this.buffers = buffers;
        this.layers = List.copyOf(trace.layers);
        this.activations = trace.activations;
        this.largestOutput = trace.largest;
    }

    /**
     * The footprint of the described model, made of cnn4j's layers, for images of shape {@code image}
     * (without the batch: {@code [C, H, W]}, or {@code [features]} for a model that starts with a Linear).
     * Throws IllegalArgumentException for a description {@link LayerRegistry#build} would refuse, or an
     * image the model cannot take, naming the layer.
     */
    public static ModelFootprint of(LayerConfig model, Shape image) {
        return of(model, image, LayerRegistry.builtIn());
    }

    /** Like {@link #of(LayerConfig, Shape)}, for a model that may use the layer types of {@code layers}. */
    public static ModelFootprint of(LayerConfig model, Shape image, LayerRegistry layers) {
        for (int d : image.dims()) {
            if (d < 1) {
                throw new IllegalArgumentException("an image shape needs dimensions of at least 1, got " + image);
            }
        }
        long parameters = layers.parameterCount(model);
        long buffers = layers.bufferCount(model);
        int[] one = new int[image.rank() + 1];
        one[0] = 1;
        System.arraycopy(image.dims(), 0, one, 1, image.rank());
        Trace trace = new Trace(layers);
        Shape output = trace.shape(model, "", Shape.of(one));
        return new ModelFootprint(image, output, parameters, buffers, trace);
    }

    /** The footprint of {@code model}, a model made of cnn4j's layers, from its {@link Module#config()}. */
    public static ModelFootprint of(Module model, Shape image) {
        return of(model.config(), image);
    }

    /** Like {@link #of(Module, Shape)}, for a model that may hold layers of the types of {@code layers}. */
    public static ModelFootprint of(Module model, Shape image, LayerRegistry layers) {
        return of(model.config(), image, layers);
    }

    /** Follows an image through the description, noting each leaf layer's output. */
    private static final class Trace {
        final LayerRegistry registry;
        final List<Layer> layers = new ArrayList<>();
        long activations;
        long largest;

        Trace(LayerRegistry registry) {
            this.registry = registry;
        }

        Shape shape(LayerConfig c, String name, Shape input) {
            LayerType type = registry.type(c);
            if (!type.isContainer()) {
                LayerSizes sizes = type.sizes(c);
                Shape output = sizes.shape().apply(input);
                layers.add(new Layer(name.isEmpty() ? "-" : name, sizes.layer(), output, sizes.parameters()));
                return note(output);
            }
            LayerType.Composition composition = type.composition();
            List<UnaryOperator<Shape>> children = new ArrayList<>();
            for (int i = 0; i < c.children().size(); i++) {
                LayerConfig child = c.children().get(i);
                String childName = (name.isEmpty() ? "" : name + ".") + composition.childName().apply(i);
                children.add(in -> shape(child, childName, in));
            }
            Shape output = composition.outputShape().apply(children, input);
            return composition.newOutput() ? note(output) : output;
        }

        private Shape note(Shape output) {
            activations += output.size();
            largest = Math.max(largest, output.size());
            return output;
        }
    }

    /** The shape of one image, without the batch. */
    public Shape image() {
        return image;
    }

    public long parameters() {
        return parameters;
    }

    /** Buffer values: running statistics and counts, saved with the model but not trained. */
    public long buffers() {
        return buffers;
    }

    /** The leaf layers in the order an image passes them, with their output shapes for a batch of one. */
    public List<Layer> layers() {
        return layers;
    }

    /** The model's output for one image, such as {@code [1, 10]}. */
    public Shape output() {
        return output;
    }

    /** Values one image makes on its way through the model: the outputs of all its layers, sums and concatenations. */
    public long activationsPerImage() {
        return activations;
    }

    /** Estimated bytes of a training step at batch {@code batch}, by the rule in the class description. */
    public long trainingBytes(int batch) {
        long perImage = Counts.sum(image.size(), activations);
        long values = Counts.sum(Counts.sum(Counts.product(TRAINING_COPIES_PER_PARAMETER, parameters), buffers),
                Counts.product(TRAINING_COPIES_PER_ACTIVATION, requireBatch(batch), perImage));
        return MemoryBudget.floats(values);
    }

    /** Estimated bytes of an inference pass at batch {@code batch}, by the rule in the class description. */
    public long inferenceBytes(int batch) {
        long perImage = Counts.sum(image.size(), Counts.product(2, largestOutput));
        return MemoryBudget.floats(Counts.sum(Counts.sum(parameters, buffers), Counts.product(requireBatch(batch), perImage)));
    }

    /**
     * The largest batch, at most {@code max} and at least 1, whose inference pass fits in {@code bytes}: the
     * evaluation batch for a heap that must also hold a training step's buffers. For large images a fixed
     * evaluation batch can need more memory than the training step itself.
     */
    public int inferenceBatchWithin(long bytes, int max) {
        requireBatch(max);
        long perImage = MemoryBudget.floats(Counts.sum(image.size(), Counts.product(2, largestOutput)));
        long room = bytes - MemoryBudget.floats(Counts.sum(parameters, buffers));
        return (int) Math.clamp(room / Math.max(perImage, 1), 1, max);
    }

    /**
     * Returns when a training step at batch {@code batch} seems to fit in the heap; otherwise throws a
     * {@link io.cnn4j.limits.TooLargeException} that gives the estimate, the model's sizes and the free memory.
     */
    public void requireTrainingFits(int batch) {
        MemoryBudget.require(trainingBytes(batch), String.format(Locale.ROOT,
                "training at batch %d (%,d parameters, %,d activation values per image of %s)",
                batch, parameters, activations, image));
    }

    private static int requireBatch(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("a batch holds at least one image, got " + batch);
        }
        return batch;
    }
}

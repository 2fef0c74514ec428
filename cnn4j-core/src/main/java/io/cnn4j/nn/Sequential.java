package io.cnn4j.nn;

import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Layers applied one after another, named {@code "0"}, {@code "1"}, ... as in PyTorch's
 * {@code nn.Sequential}, so parameter names match ({@code "0.weight"}).
 *
 * {@snippet :
 * var model = new Sequential(
 *         new Conv2d(1, 32, 5), new ReLU(), new MaxPool2d(2),
 *         new Flatten(), new Linear(32 * 12 * 12, 10));
 * }
 *
 * <p>A convolution, linear, batch norm or residual layer followed by a ReLU runs as one fused operation
 * unless a forward hook watches either of them; the result is the same. In an inference without gradients
 * a convolution followed by a batch norm in evaluation mode runs as one convolution with the normalisation
 * folded into its weights, as inference engines do: equal in exact arithmetic, not to the last bit.
 */
public final class Sequential extends Module {
    /** Layers applied in order; the output is the last one's. */
    public static final LayerType TYPE = LayerType.container("Sequential",
            new LayerType.Composition(0, Integer.MAX_VALUE, "any number of layers, applied in order", Integer::toString,
                    Sequential::outputShape, false),
            (c, children) -> new Sequential(children))
            .exportsTo(Sequential.class, (layer, onnx, x) -> onnx.chain(new ArrayList<>(layer.children().keySet()), layer.layers, x));

    private final List<Module> layers;

    public Sequential(Module... layers) {
        this(List.of(layers));
    }

    public Sequential(List<Module> layers) {
        this.layers = List.copyOf(layers);
        for (int i = 0; i < this.layers.size(); i++) {
            registerChild(Integer.toString(i), this.layers.get(i));
        }
    }

    public Module get(int index) {
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }

    public List<Module> layers() {
        return layers;
    }

    @Override
    protected Tensor compute(Tensor input) {
        Tensor x = input;
        for (int i = 0; i < layers.size(); i++) {
            Module layer = layers.get(i);
            Tensor in = x;
            int folded = foldsNormalization(i);
            if (folded > 0) {
                Conv2d conv = (Conv2d) layer;
                BatchNorm2d norm = (BatchNorm2d) layers.get(i + 1);
                conv.requireWeights();
                norm.requireWeights();
                x = LayerInputException.within(Integer.toString(i), () -> conv.computeFolding(norm, in, folded == 3));
                i += folded - 1;
            } else if (poolsBeforeRelu(i)) {
                Module relu = layers.get(i + 1);
                Module pool = layers.get(i + 2);
                Tensor unpooled = LayerInputException.within(Integer.toString(i), () -> layer.forward(in));
                Tensor pooled = LayerInputException.within(Integer.toString(i + 2), () -> pool.forward(unpooled));
                x = relu.forward(pooled);
                i += 2;
            } else if (fusesWithNext(i)) {
                layer.requireWeights();
                x = LayerInputException.within(Integer.toString(i), () -> ((ReluFusable) layer).computeWithRelu(in));
                i++;
            } else {
                x = LayerInputException.within(Integer.toString(i), () -> layer.forward(in));
            }
        }
        return x;
    }

    @Override
    public Shape outputShape(Shape input) {
        return outputShape(outputShapes(layers), input);
    }

    /** The shape after layers with these output shapes, one after another; an error names the layer's index. */
    static Shape outputShape(List<UnaryOperator<Shape>> layers, Shape input) {
        Shape x = input;
        for (int i = 0; i < layers.size(); i++) {
            Shape in = x;
            UnaryOperator<Shape> layer = layers.get(i);
            x = LayerInputException.within(Integer.toString(i), () -> layer.apply(in));
        }
        return x;
    }

    /**
     * How many layers from {@code i} run as one convolution in an inference without gradients: 2 for a
     * convolution and a batch norm in evaluation mode, 3 with a ReLU after them, 0 where they do not (training,
     * gradients recorded, hooks on any of them).
     */
    private int foldsNormalization(int i) {
        if (GradMode.isEnabled() || i + 1 >= layers.size() || !(layers.get(i) instanceof Conv2d conv)
                || !(layers.get(i + 1) instanceof BatchNorm2d norm) || conv.hasForwardHooks()
                || !norm.foldsAfter(conv.settings().outChannels())) {
            return 0;
        }
        return i + 2 < layers.size() && layers.get(i + 2) instanceof ReLU relu && !relu.hasForwardHooks() ? 3 : 2;
    }

    /**
     * Whether a convolution, ReLU and max pooling from {@code i} run as convolution, pooling, ReLU while
     * gradients are recorded: the two commute (the largest of rectified values is the rectified largest), the
     * output and the gradients are the same bits, and the ReLU's backward pass then masks the pooled gradient,
     * a quarter of the elements, where in the convolution it masks the whole output (2-5% of a training step of
     * {@code small}). Not without gradients, where the convolution applies the ReLU for nothing, and not after
     * a batch norm, whose backward pass masks as it goes. Hooks on the ReLU or the pooling turn it off.
     */
    private boolean poolsBeforeRelu(int i) {
        return GradMode.isEnabled() && i + 2 < layers.size() && layers.get(i) instanceof Conv2d
                && layers.get(i + 1) instanceof ReLU relu && layers.get(i + 2) instanceof MaxPool2d pool
                && !relu.hasForwardHooks() && !pool.hasForwardHooks();
    }

    private boolean fusesWithNext(int i) {
        if (i + 1 >= layers.size()) {
            return false;
        }
        Module layer = layers.get(i);
        Module next = layers.get(i + 1);
        return layer instanceof ReluFusable && next instanceof ReLU && !layer.hasForwardHooks() && !next.hasForwardHooks();
    }

    @Override
    public LayerConfig config() {
        List<LayerConfig> children = new ArrayList<>();
        layers.forEach(l -> children.add(l.config()));
        return TYPE.config(children);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sequential(");
        for (int i = 0; i < layers.size(); i++) {
            String inner = layers.get(i).toString().replace("\n", "\n  ");
            sb.append("\n  (").append(i).append("): ").append(inner);
        }
        return sb.append(layers.isEmpty() ? ")" : "\n)").toString();
    }
}

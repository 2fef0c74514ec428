package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A skip connection: {@code body(x) + shortcut(x)}, the shortcut the identity unless one is given (a
 * 1x1 convolution and batch norm where the body changes the shape). Follow it with a {@link ReLU} for
 * the usual residual block; in a {@link Sequential} the sum and the ReLU then run as one pass.
 *
 * {@snippet :
 * var block = new Sequential(
 *         new Residual(new Sequential(
 *                 new Conv2d(Conv2dConfig.of(32, 64, 3).stride(2).padding(1).bias(false)), new BatchNorm2d(64), new ReLU(),
 *                 new Conv2d(Conv2dConfig.of(64, 64, 3).padding(1).bias(false)), new BatchNorm2d(64)),
 *             new Sequential(new Conv2d(Conv2dConfig.of(32, 64, 1).stride(2).bias(false)), new BatchNorm2d(64))),
 *         new ReLU());
 * }
 *
 * <p>The children are named {@code body} and {@code shortcut}, so parameters are called
 * {@code body.0.weight}, {@code shortcut.1.running_mean}, ...: the names PyTorch gives this module,
 *
 * <pre>
 * class Residual(nn.Module):
 *     def __init__(self, body, shortcut=None):
 *         super().__init__()
 *         self.body = body
 *         if shortcut is not None:
 *             self.shortcut = shortcut
 *     def forward(self, x):
 *         return self.body(x) + (self.shortcut(x) if hasattr(self, "shortcut") else x)
 * </pre>
 */
public final class Residual extends Module implements ReluFusable {
    /** {@code body(x) + shortcut(x)}: a new tensor, beyond its branches' outputs. */
    public static final LayerType TYPE = LayerType.container("Residual",
            new LayerType.Composition(1, 2, "1 or 2 layers: the body, then an optional shortcut (the identity without one)",
                    i -> i == 0 ? "body" : "shortcut",
                    (children, input) -> outputShape(children.get(0), children.size() > 1 ? children.get(1) : null, input),
                    true),
            (c, children) -> new Residual(children.get(0), children.size() > 1 ? children.get(1) : null))
            .exportsTo(Residual.class, (layer, onnx, x) -> onnx.node("Add", List.of(onnx.child("body", layer.body, x),
                    layer.shortcut == null ? x : onnx.child("shortcut", layer.shortcut, x))));

    private final Module body;
    private final Module shortcut;

    /** {@code body(x) + x}. */
    public Residual(Module body) {
        this(body, null);
    }

    /** {@code body(x) + shortcut(x)}; a null shortcut is the identity. */
    public Residual(Module body, Module shortcut) {
        this.body = registerChild("body", body);
        this.shortcut = shortcut == null ? null : registerChild("shortcut", shortcut);
    }

    public Module body() {
        return body;
    }

    /** The shortcut, or null for the identity. */
    public Module shortcut() {
        return shortcut;
    }

    @Override
    protected Tensor compute(Tensor input) {
        return sum(input, false);
    }

    @Override
    public Tensor computeWithRelu(Tensor input) {
        return sum(input, true);
    }

    private Tensor sum(Tensor input, boolean relu) {
        Tensor main = forwardChild("body", body, input);
        Tensor skip = shortcut == null ? input : forwardChild("shortcut", shortcut, input);
        checkSum(main.shape(), skip.shape(), shortcut == null);
        return relu ? Functional.addRelu(main, skip) : Functional.add(main, skip);
    }

    @Override
    public Shape outputShape(Shape input) {
        return outputShape(body::outputShape, shortcut == null ? null : shortcut::outputShape, input);
    }

    /** The shape of {@code body(x) + shortcut(x)} from theirs, a null shortcut the identity; an error names the branch. */
    static Shape outputShape(UnaryOperator<Shape> body, UnaryOperator<Shape> shortcut, Shape input) {
        Shape main = LayerInputException.within("body", () -> body.apply(input));
        Shape skip = shortcut == null ? input : LayerInputException.within("shortcut", () -> shortcut.apply(input));
        checkSum(main, skip, shortcut == null);
        return main;
    }

    private static void checkSum(Shape main, Shape skip, boolean identity) {
        if (!main.equals(skip)) {
            throw new IllegalArgumentException("Residual: the body gives " + main + " but the "
                    + (identity ? "identity shortcut passes the input, " : "shortcut gives ") + skip
                    + "; they must match to be added"
                    + (identity ? " (give a shortcut, e.g. a 1x1 Conv2d with the body's stride and channels)" : ""));
        }
    }

    @Override
    public LayerConfig config() {
        List<LayerConfig> children = new ArrayList<>();
        children.add(body.config());
        if (shortcut != null) {
            children.add(shortcut.config());
        }
        return TYPE.config(children);
    }

    @Override
    public String toString() {
        String text = "Residual(\n  (body): " + body.toString().replace("\n", "\n  ");
        if (shortcut != null) {
            text += "\n  (shortcut): " + shortcut.toString().replace("\n", "\n  ");
        }
        return text + "\n)";
    }
}

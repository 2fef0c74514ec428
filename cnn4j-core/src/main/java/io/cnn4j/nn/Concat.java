package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs several branches on the same input and concatenates their outputs along the channels
 * (dimension 1), as an Inception block does; with an {@link Identity} branch it keeps the input beside
 * the new features, as a DenseNet layer does. The branches must agree in every dimension but the
 * channels.
 *
 * {@snippet :
 * var inception = new Concat(
 *         new Conv2d(Conv2dConfig.of(32, 16, 1)),
 *         new Sequential(new Conv2d(Conv2dConfig.of(32, 16, 3).padding(1)), new ReLU()));
 * }
 *
 * <p>The branches are named {@code 0}, {@code 1}, ... (parameters {@code 0.weight}, {@code 1.0.bias}):
 * the names PyTorch gives this module,
 *
 * <pre>
 * class Concat(nn.ModuleList):
 *     def forward(self, x):
 *         return torch.cat([branch(x) for branch in self], dim=1)
 * </pre>
 */
public final class Concat extends Module {
    /** The branches' outputs side by side: a new tensor, beyond theirs. */
    public static final LayerType TYPE = LayerType.container("Concat",
            new LayerType.Composition(1, Integer.MAX_VALUE, "one layer or more: the branches whose outputs are concatenated",
                    Integer::toString, Concat::outputShape, true),
            (c, children) -> new Concat(children))
            .exportsTo(Concat.class, Concat::toOnnx);

    private final List<Module> branches;

    public Concat(Module... branches) {
        this(List.of(branches));
    }

    public Concat(List<Module> branches) {
        if (branches.isEmpty()) {
            throw new IllegalArgumentException("Concat needs at least one branch");
        }
        this.branches = List.copyOf(branches);
        for (int i = 0; i < this.branches.size(); i++) {
            registerChild(Integer.toString(i), this.branches.get(i));
        }
    }

    public List<Module> branches() {
        return branches;
    }

    @Override
    protected Tensor compute(Tensor input) {
        List<Tensor> outputs = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            outputs.add(forwardChild(Integer.toString(i), branches.get(i), input));
        }
        concatenated(outputs.stream().map(Tensor::shape).toList());
        return Functional.concat(outputs);
    }

    private String toOnnx(OnnxScope onnx, String x) {
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            outputs.add(onnx.child(Integer.toString(i), branches.get(i), x));
        }
        return onnx.node("Concat", outputs, OnnxAttribute.of("axis", 1L));
    }

    @Override
    public Shape outputShape(Shape input) {
        return outputShape(outputShapes(branches), input);
    }

    /** The shape of the branches' outputs, with these output shapes, side by side; an error names the branch. */
    static Shape outputShape(List<UnaryOperator<Shape>> branches, Shape input) {
        List<Shape> outputs = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            UnaryOperator<Shape> branch = branches.get(i);
            outputs.add(LayerInputException.within(Integer.toString(i), () -> branch.apply(input)));
        }
        return concatenated(outputs);
    }

    /** The shape of {@code outputs} concatenated along the channels; throws when they differ in another dimension. */
    private static Shape concatenated(List<Shape> outputs) {
        int[] dims = outputs.getFirst().dims();
        long channels = 0;
        for (Shape output : outputs) {
            int[] d = output.dims();
            if (dims.length < 2 || d.length != dims.length) {
                throw mismatch(outputs);
            }
            dims[1] = d[1];
            if (!Arrays.equals(dims, d)) {
                throw mismatch(outputs);
            }
            channels += d[1];
        }
        if (channels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Concat: the branches give " + list(outputs) + ", more than "
                    + Integer.MAX_VALUE + " channels together");
        }
        dims[1] = (int) channels;
        return Shape.of(dims);
    }

    private static IllegalArgumentException mismatch(List<Shape> outputs) {
        return new IllegalArgumentException("Concat: the branches give " + list(outputs)
                + ", which differ in more than the channels (dimension 1)");
    }

    private static String list(List<Shape> shapes) {
        return String.join(", ", shapes.stream().map(Shape::toString).toList());
    }

    @Override
    public LayerConfig config() {
        List<LayerConfig> children = new ArrayList<>();
        branches.forEach(b -> children.add(b.config()));
        return TYPE.config(children);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Concat(");
        for (int i = 0; i < branches.size(); i++) {
            sb.append("\n  (").append(i).append("): ").append(branches.get(i).toString().replace("\n", "\n  "));
        }
        return sb.append("\n)").toString();
    }
}

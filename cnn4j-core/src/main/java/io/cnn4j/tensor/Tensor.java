package io.cnn4j.tensor;

import io.cnn4j.kernel.Kernels;
import io.cnn4j.limits.MemoryBudget;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dense float32 tensor in row-major (C) order; images are NCHW.
 *
 * <p>A tensor is also a node of the autograd graph: a leaf created with {@link #requiresGrad(boolean)}
 * collects gradients in {@link #grad()}, and a tensor computed by a recorded operation remembers that
 * operation ({@link #gradFn()}) until {@link #backward()} has run through it. The differentiable
 * operations themselves live in {@code io.cnn4j.autograd}.
 *
 * <p>The backing array is exposed through {@link #data()} for kernels and operations: it is always
 * exactly {@link #size()} long and not shared with another tensor unless one is a {@link #view} or a
 * {@link #detach()} of the other.
 */
public final class Tensor {
    /** Stands in for an operation whose graph an earlier backward pass already consumed. */
    private static final Node RELEASED = new Node() {
        @Override
        public String name() {
            return "released";
        }

        @Override
        public List<Tensor> inputs() {
            return List.of();
        }

        @Override
        public Tensor[] backward(Tensor gradOutput) {
            throw new IllegalStateException("backward() through a graph a second time: the first backward() freed it."
                    + " Compute the forward pass again for a second backward().");
        }

        @Override
        public void release() {
        }
    };

    /** Above this many elements an allocation is checked against the free heap first (64 MB and up). */
    private static final int LARGE = 1 << 24;

    private final Shape shape;
    private final float[] data;
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private boolean retainsGrad;

    private Tensor(Shape shape, float[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("tensor of shape " + shape + " needs " + shape.size()
                    + " values, got " + data.length);
        }
        this.shape = shape;
        this.data = data;
    }

    /** Wraps {@code data} (not copied) as a tensor of the given dimensions. */
    public static Tensor of(float[] data, int... dims) {
        return new Tensor(Shape.of(dims), data);
    }

    /** Wraps {@code data} (not copied) as a tensor of the given shape. */
    public static Tensor of(float[] data, Shape shape) {
        return new Tensor(shape, data);
    }

    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    public static Tensor zeros(Shape shape) {
        if (shape.size() > LARGE) {
            MemoryBudget.require(MemoryBudget.floats(shape.size()), "a tensor of shape " + shape);
        }
        return new Tensor(shape, new float[shape.size()]);
    }

    /**
     * A zero tensor for an intermediate result: its array comes from the {@link Workspace} open on this
     * thread, if any, and is then valid only until that workspace closes.
     */
    public static Tensor temporary(Shape shape) {
        return new Tensor(shape, Workspace.floats(shape.size()));
    }

    public static Tensor temporary(int... dims) {
        return temporary(Shape.of(dims));
    }

    /**
     * As {@link #temporary}, for a result whose every element the caller writes before reading any (a
     * kernel's output): from a workspace, the array is not zeroed first ({@link Workspace#emptyFloats}).
     */
    public static Tensor empty(Shape shape) {
        return new Tensor(shape, Workspace.emptyFloats(shape.size()));
    }

    public static Tensor empty(int... dims) {
        return empty(Shape.of(dims));
    }

    public static Tensor full(float value, int... dims) {
        Tensor t = zeros(dims);
        Arrays.fill(t.data, value);
        return t;
    }

    public static Tensor scalar(float value) {
        return new Tensor(Shape.of(), new float[] {value});
    }

    public Shape shape() {
        return shape;
    }

    public int[] dims() {
        return shape.dims();
    }

    public int dim(int i) {
        return shape.dim(i);
    }

    public int rank() {
        return shape.rank();
    }

    public int size() {
        return shape.size();
    }

    /** The live backing array, row-major, exactly {@link #size()} long. */
    public float[] data() {
        return data;
    }

    /** The single value of a one-element tensor, such as a loss. */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() needs a tensor with one element, this one has shape " + shape);
        }
        return data[0];
    }

    /** The element at the given index, one coordinate per dimension. */
    public float get(int... index) {
        return data[offset(index)];
    }

    public void set(float value, int... index) {
        data[offset(index)] = value;
    }

    private int offset(int[] index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates, tensor of shape " + shape + " needs " + shape.rank());
        }
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i);
            if (index[i] < 0 || index[i] >= d) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of bounds for shape " + shape);
            }
            off = off * d + index[i];
        }
        return off;
    }

    /** A copy of the values. */
    public float[] toArray() {
        return data.clone();
    }

    /** A new tensor with the same shape and a copy of the values, outside any graph. */
    public Tensor copy() {
        return new Tensor(shape, data.clone());
    }

    /** The same values (shared, not copied) under another shape of equal size, outside any graph. */
    public Tensor view(int... dims) {
        return view(Shape.of(dims));
    }

    public Tensor view(Shape newShape) {
        if (newShape.size() != shape.size()) {
            throw new IllegalArgumentException("view: cannot view shape " + shape + " (" + shape.size()
                    + " elements) as " + newShape + " (" + newShape.size() + " elements)");
        }
        return new Tensor(newShape, data);
    }

    /** The same values (shared) cut loose from the graph: it neither requires nor records gradients. */
    public Tensor detach() {
        return new Tensor(shape, data);
    }

    // ---- autograd -----------------------------------------------------------------------------------

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor (a parameter or an input) as one whose gradient {@link #backward()} fills. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) {
            throw new IllegalStateException("requiresGrad(false) on the result of " + gradFn.name()
                    + ": only leaf tensors can change it; use detach()");
        }
        this.requiresGrad = value;
        return this;
    }

    /** Accumulated gradient of the last {@link #backward()} calls, or null before the first. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient (null clears it); its shape must match. */
    public void setGrad(Tensor g) {
        if (g != null && !g.shape.equals(shape)) {
            throw new IllegalArgumentException("setGrad: gradient of shape " + g.shape + " for a tensor of shape " + shape);
        }
        this.grad = g;
    }

    /** Sets the gradient to zero in place, keeping its buffer for the next step. */
    public void zeroGrad() {
        if (grad != null) {
            Arrays.fill(grad.data, 0f);
        }
    }

    /**
     * Keeps the gradient that {@link #backward()} passes through this computed tensor in its {@link #grad()},
     * as a leaf's is kept (PyTorch's {@code retain_grad}): for what a layer's output contributed, as
     * Grad-CAM needs. A leaf keeps its gradient anyway.
     */
    public Tensor retainGrad() {
        retainsGrad = true;
        return this;
    }

    /** The operation that produced this tensor, or null for a leaf. */
    public Node gradFn() {
        return gradFn;
    }

    public boolean isLeaf() {
        return gradFn == null;
    }

    /**
     * Records that {@code node} produced this tensor, which then requires a gradient. Called by the
     * differentiable operations right after they compute a result.
     */
    public Tensor recordedBy(Node node) {
        if (gradFn != null) {
            throw new IllegalStateException("tensor already recorded by " + gradFn.name());
        }
        this.gradFn = node;
        this.requiresGrad = true;
        return this;
    }

    /** Backpropagates from a one-element tensor (a loss): dLoss/dLoss = 1. */
    public void backward() {
        if (size() != 1) {
            throw new IllegalStateException("backward() without a gradient needs a one-element tensor (a loss),"
                    + " this one has shape " + shape + "; pass the gradient with backward(Tensor)");
        }
        backward(full(1f, shape.dims()));
    }

    /**
     * Reverse-mode differentiation: pushes {@code gradient} (dLoss/dThis) back through every recorded
     * operation and adds the result to the {@link #grad()} of each leaf that requires a gradient. The
     * graph is released as it goes; a second call through the same graph fails.
     */
    public void backward(Tensor gradient) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward() on a tensor that does not require a gradient: no parameter"
                    + " contributed to it, or it was computed under GradMode.noGrad()");
        }
        if (!gradient.shape.equals(shape)) {
            throw new IllegalArgumentException("backward: gradient of shape " + gradient.shape
                    + " for a tensor of shape " + shape);
        }
        if (gradFn == null) {
            accumulateGrad(gradient, Execution.kernels());
            return;
        }
        Map<Tensor, Tensor> pending = new IdentityHashMap<>();
        pending.put(this, gradient);
        List<Tensor> order = topologicalOrder(this);
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            Tensor g = pending.remove(t);
            Node node = t.gradFn;
            t.gradFn = RELEASED;
            if (g != null && t.retainsGrad) {
                t.accumulateGrad(g, node.kernels());
            }
            if (g == null) {
                node.release();
                continue;
            }
            Tensor[] inputGrads = node.backward(g);
            List<Tensor> inputs = node.inputs();
            node.release();
            for (int k = 0; k < inputs.size(); k++) {
                Tensor in = inputs.get(k);
                Tensor gi = inputGrads[k];
                if (gi == null || !in.requiresGrad) {
                    continue;
                }
                if (!gi.shape.equals(in.shape)) {
                    throw new IllegalStateException(node.name() + ".backward returned a gradient of shape " + gi.shape
                            + " for input " + k + " of shape " + in.shape);
                }
                if (in.gradFn == null) {
                    in.accumulateGrad(gi, node.kernels());
                } else {
                    Tensor prev = pending.get(in);
                    pending.put(in, prev == null ? gi : sum(prev, gi, node.kernels()));
                }
            }
        }
    }

    /** Adds {@code g} to this leaf's gradient, on the kernels of the operation that computed {@code g}. */
    private void accumulateGrad(Tensor g, Kernels kernels) {
        if (grad == null) {
            grad = zeros(shape);
        }
        kernels.add(grad.data, g.data, false, grad.data, grad.data.length);
    }

    /** Two gradients of one tensor (a residual block's input feeds both branches): megabytes, so on the kernels. */
    private static Tensor sum(Tensor a, Tensor b, Kernels kernels) {
        float[] out = Workspace.emptyFloats(a.data.length);
        kernels.add(a.data, b.data, false, out, out.length);
        return new Tensor(a.shape, out);
    }

    /** Non-leaf tensors reachable from {@code root}, each after all tensors it was computed from. */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        // Iterative post-order DFS: deep networks must not overflow the Java stack.
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        seen.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            List<Tensor> inputs = t.gradFn.inputs();
            if (next < inputs.size()) {
                frame[1] = next + 1;
                Tensor in = inputs.get(next);
                if (in != null && in.gradFn != null && in.requiresGrad && seen.put(in, Boolean.TRUE) == null) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shape);
        if (gradFn != null) {
            sb.append(" gradFn=").append(gradFn.name());
        } else if (requiresGrad) {
            sb.append(" requiresGrad");
        }
        int n = Math.min(data.length, 8);
        sb.append(" [");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(data[i]);
        }
        return sb.append(data.length > n ? ", ...]" : "]").toString();
    }
}

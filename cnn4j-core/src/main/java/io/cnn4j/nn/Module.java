package io.cnn4j.nn;

import io.cnn4j.kernel.Kernels;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A layer or a network of layers: holds parameters (tensors trained by the optimizer), buffers
 * (state such as running statistics, saved but not trained) and child modules, each by name.
 *
 * <p>Names compose with dots the way PyTorch's do ({@code "0.weight"}, {@code "block.1.bias"}), so a
 * model's {@link #stateDict()} lines up with the same network's {@code state_dict()} in PyTorch.
 *
 * <p>A layer of one's own extends Module, implements {@link #compute}, {@link #toString} and
 * {@link #config()}, and declares a {@link LayerType}; registered in a {@link LayerRegistry}, it saves,
 * loads and describes itself as cnn4j's layers do, and {@link ModuleGradCheck} checks its gradients.
 *
 * <p><b>Importing it.</b> {@code java.lang} has a {@code Module} too (the Java platform's modules), and
 * every Java file imports {@code java.lang.*}; so after {@code import io.cnn4j.nn.*;} the simple name
 * {@code Module} is ambiguous and does not compile. Import it by name, which takes precedence over both
 * on-demand imports:
 *
 * {@snippet :
 * import io.cnn4j.nn.*;
 * import io.cnn4j.nn.Module;
 * }
 *
 * The name stays because it is PyTorch's ({@code torch.nn.Module}), which cnn4j follows in its layer
 * names, arguments and parameter names so that a PyTorch model, its weights and what is known of it carry
 * over; the other names in use mean something else here ({@code Layer} would not fit a whole
 * {@link Sequential} network, {@code Model} not a single layer, {@code Block} neither), and the
 * collision costs one import line, only in files that import the package whole and name the class.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Set<String> countBuffers = new HashSet<>();
    private final List<ForwardHook> hooks = new ArrayList<>();
    private boolean training = true;
    private Kernels kernels;
    /** Set by a layer whose weights are drawn at random, until {@link #initialize} draws them or loading sets them. */
    private boolean awaitingWeights;

    /**
     * Runs the layer on {@code input}, then the forward hooks: on the kernels given to {@link #to}, if
     * any, else on those of the computation that calls it ({@link Execution#kernels()}).
     */
    public final Tensor forward(Tensor input) {
        if (kernels != null) {
            return Execution.call(kernels, () -> computeAndHook(input));
        }
        return computeAndHook(input);
    }

    private Tensor computeAndHook(Tensor input) {
        requireWeights();
        Tensor output = compute(input);
        for (ForwardHook hook : hooks) {
            hook.onForward(this, input, output);
        }
        return output;
    }

    /**
     * Runs a child of a container on {@code input}; an input the child rejects is reported with the
     * child's name in the layer path ({@code "layer 3.body.0: ..."}).
     */
    protected static Tensor forwardChild(String name, Module child, Tensor input) {
        return LayerInputException.within(name, () -> child.forward(input));
    }

    /**
     * The shape of this layer's output for an input of shape {@code input} ({@code [N, C, H, W]} or
     * {@code [N, features]}), found without computing the output: an input the layer would reject throws
     * the IllegalArgumentException that {@link #forward} would throw, with the same message. What a model
     * makes of an image can so be known, and checked, before any activation exists.
     *
     * <p>cnn4j's layers work it out from their settings. This default, for layers written elsewhere, runs
     * {@link #compute} once on zeros of batch 1 in evaluation mode with gradients off (so that no running
     * statistics move and no random numbers are drawn; the modes are put back afterwards), then gives the
     * result the input's batch, taking the output's first dimension to be the batch (the children's
     * forward hooks see that pass). Override it where the pass is costly or that assumption is wrong.
     */
    public Shape outputShape(Shape input) {
        int[] dims = input.dims();
        if (dims.length > 0) {
            dims[0] = 1;
        }
        Map<Module, Boolean> modes = new IdentityHashMap<>();
        collectModes(modes);
        eval();
        int[] out;
        try (var ignored = GradMode.noGrad()) {
            out = compute(Tensor.zeros(dims)).dims();
        } finally {
            modes.forEach((m, on) -> m.training = on);
        }
        if (out.length > 0 && dims.length > 0) {
            out[0] = input.dim(0);
        }
        return Shape.of(out);
    }

    /** The output shape functions of {@code modules}, for a container's shape rule. */
    static List<UnaryOperator<Shape>> outputShapes(List<Module> modules) {
        List<UnaryOperator<Shape>> shapes = new ArrayList<>();
        modules.forEach(m -> shapes.add(m::outputShape));
        return shapes;
    }

    private void collectModes(Map<Module, Boolean> modes) {
        modes.put(this, training);
        children.values().forEach(c -> c.collectModes(modes));
    }

    /** What the layer computes; {@link #forward} adds the hooks around it. */
    protected abstract Tensor compute(Tensor input);

    /** The layer as code would construct it, e.g. {@code Conv2d(1, 32, kernel_size=5)}. */
    @Override
    public abstract String toString();

    /**
     * The layer's type and constructor arguments, enough for {@link LayerRegistry#build} to build it again
     * (without its weights): its {@link LayerType}'s name and arguments, made with {@link LayerType#config}.
     * Containers list their children.
     */
    public abstract LayerConfig config();

    /** Registers a trainable parameter; it becomes a leaf that requires a gradient. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        parameters.put(name, value.requiresGrad(true));
        return value;
    }

    /** Registers state that is saved with the model but not trained. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /**
     * Registers a buffer that holds a whole number, such as batch norm's {@code num_batches_tracked}: a
     * float32 tensor here like every other (exact up to 2^24), but saved as int64, the type PyTorch
     * keeps it in; see {@link #countBufferNames()}.
     */
    protected final Tensor registerCountBuffer(String name, Tensor value) {
        registerBuffer(name, value);
        countBuffers.add(name);
        return value;
    }

    protected final <M extends Module> M registerChild(String name, M child) {
        checkName(name);
        children.put(name, Objects.requireNonNull(child, "child module " + name));
        return child;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module member name must be non-empty and without dots: '" + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("module member '" + name + "' registered twice in " + getClass().getSimpleName());
        }
    }

    /** This module's direct children, by name, in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Every parameter of this module and its descendants, by dotted name, in registration order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false);
        return out;
    }

    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters and buffers by dotted name: what a model file holds. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true);
        return out;
    }

    /** The dotted names of the {@link #stateDict()} entries that hold whole numbers (counters), for saving as int64. */
    public final Set<String> countBufferNames() {
        Set<String> out = new LinkedHashSet<>();
        collectCountBuffers("", out);
        return out;
    }

    private void collectCountBuffers(String prefix, Set<String> out) {
        buffers.keySet().stream().filter(countBuffers::contains).forEach(name -> out.add(prefix + name));
        children.forEach((name, child) -> child.collectCountBuffers(prefix + name + ".", out));
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean withBuffers) {
        parameters.forEach((name, t) -> out.put(prefix + name, t));
        if (withBuffers) {
            buffers.forEach((name, t) -> out.put(prefix + name, t));
        }
        children.forEach((name, child) -> child.collect(prefix + name + ".", out, withBuffers));
    }

    /**
     * Copies values into this model's parameters and buffers by name. Every tensor of the model must be
     * present with the same shape and no extra tensor may be given: a mismatch names the tensor and both
     * shapes.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> mine = stateDict();
        List<String> missing = new ArrayList<>();
        for (String name : mine.keySet()) {
            if (!state.containsKey(name)) {
                missing.add(name);
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : state.keySet()) {
            if (!mine.containsKey(name)) {
                unexpected.add(name);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("weights do not fit the model: "
                    + (missing.isEmpty() ? "" : "missing " + missing + (unexpected.isEmpty() ? "" : "; "))
                    + (unexpected.isEmpty() ? "" : "unexpected " + unexpected)
                    + " (the model has " + mine.keySet() + ")");
        }
        for (var e : mine.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (!src.shape().equals(e.getValue().shape())) {
                throw new IllegalArgumentException("weights do not fit the model: tensor '" + e.getKey() + "' has shape "
                        + src.shape() + " in the file but " + e.getValue().shape() + " in the model");
            }
        }
        for (var e : mine.entrySet()) {
            System.arraycopy(state.get(e.getKey()).data(), 0, e.getValue().data(), 0, e.getValue().size());
        }
        weightsSet();
    }

    private void weightsSet() {
        awaitingWeights = false;
        children.values().forEach(Module::weightsSet);
    }

    /**
     * Makes this module compute on {@code kernels} from now on, whoever calls it: its forward passes, and
     * through them its backward passes (each operation remembers the kernels of its forward pass). Give
     * the model, not each layer: the layers inside compute where the model does.
     */
    public final Module to(Kernels kernels) {
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        return this;
    }

    /** The kernels this module computes on: those given to {@link #to}, else those of the computation running now. */
    public final Kernels kernels() {
        return kernels != null ? kernels : Execution.kernels();
    }

    /** Training mode (dropout active, statistics updated) or evaluation mode, for this module and below. */
    public final Module train(boolean on) {
        this.training = on;
        children.values().forEach(c -> c.train(on));
        return this;
    }

    public final Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Observes every output of this module; returns a handle that removes the hook. */
    public final Runnable addForwardHook(ForwardHook hook) {
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** Whether any forward hook watches this module (fused execution must then keep every output visible). */
    public final boolean hasForwardHooks() {
        return !hooks.isEmpty();
    }

    /** The number of trainable values: every element of every parameter. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : namedParameters().values()) {
            n += p.size();
        }
        return n;
    }

    /** Sets the gradient of every parameter to zero. */
    public final void zeroGrad() {
        parameters().forEach(Tensor::zeroGrad);
    }

    /**
     * Draws the initial weights of this module and every module below it from {@code rng}, by {@code init},
     * in the order the layers are registered (a container's children in order): a model built from layers
     * and initialised with {@code new Rng(seed)} gets the same weights every time. Layers with random
     * state of their own (dropout) split their generators off {@code rng} here too. Building a layer draws
     * nothing, so a model built to load weights into needs no generator at all.
     */
    public final Module initialize(Init init, Rng rng) {
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(rng, "rng");
        resetParameters(init, rng);
        awaitingWeights = false;
        children.values().forEach(c -> c.initialize(init, rng));
        return this;
    }

    /** {@link #initialize(Init, Rng)} by PyTorch's default scheme, {@link Init#PYTORCH}. */
    public final Module initialize(Rng rng) {
        return initialize(Init.PYTORCH, rng);
    }

    /** Refuses to compute with weights that were never drawn nor loaded (the zeros a layer is built with). */
    final void requireWeights() {
        if (awaitingWeights) {
            throw new IllegalStateException(this + " has no weights yet: draw them with model.initialize(new Rng(seed))"
                    + " (or initialize(Init, Rng)), or load them with loadStateDict or ModelFile");
        }
    }

    /**
     * Marks this layer as one whose weights are drawn at random: until {@link #initialize} or loading sets
     * them, its forward pass refuses to run rather than compute with the zeros it was built with.
     */
    protected final void requireInitialization() {
        awaitingWeights = true;
    }

    /** Layers with weights draw them anew here; layers with generators split theirs off {@code rng}. */
    protected void resetParameters(Init init, Rng rng) {
    }
}

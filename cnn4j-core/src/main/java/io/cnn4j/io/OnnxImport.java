package io.cnn4j.io;

import io.cnn4j.data.InputSpec;
import io.cnn4j.limits.Counts;
import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.nn.Concat;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Identity;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.Residual;
import io.cnn4j.nn.Sequential;
import io.cnn4j.nn.Unflatten;
import io.cnn4j.onnx.OnnxFile;
import io.cnn4j.onnx.OnnxFormatException;
import io.cnn4j.onnx.OnnxGraph;
import io.cnn4j.onnx.OnnxModel;
import io.cnn4j.onnx.OnnxNode;
import io.cnn4j.onnx.OnnxTensor;
import io.cnn4j.onnx.TensorType;
import io.cnn4j.onnx.ValueInfo;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Turns an ONNX model of a CNN, as {@code torch.onnx.export} or cnn4j writes it, into cnn4j layers that can
 * be run, trained further and saved: a {@link Sequential} of cnn4j's layers, an {@code Add} of two branches
 * becoming a {@link Residual} and a {@code Concat} of branches a {@link Concat}.
 *
 * <p>The structure comes from the graph alone: its order is checked (every value made before it is used, no
 * cycle), not trusted. Layers are placed and named after the module paths the file records (its initializers'
 * names, such as {@code 3.body.0.weight}, else its node names, such as {@code /3/body/body.0/Conv}), so that
 * a PyTorch {@code nn.Sequential} comes back with its own parameter names; a layer the export dropped
 * (a batch norm folded into its convolution, a dropout PyTorch leaves out in eval mode) leaves an
 * {@link Identity} in its place. Without
 * such names the layers are numbered in order.
 *
 * <p>What is read: opsets {@value #MIN_OPSET} to {@value #MAX_OPSET}; one float input {@code [N, C, H, W]}
 * (or clips {@code [N, C, T, H, W]}) with the image's size fixed and the batch free; the layers of
 * {@link OnnxLayers} (and any added with {@link #with}); and around them what the exporters write: Identity,
 * Constant, MatMul followed by Add of a bias (a Linear), a Reshape with the Shape, Gather, Unsqueeze, Squeeze
 * and Concat that compute its shape (a Flatten when it merges neighbouring dimensions, an Unflatten when it
 * splits one), and the leading {@code Sub} and {@code Div} by constants of dims {@code [1, C, 1, 1]}
 * ({@code [1, C, 1, 1, 1]} for clips) with which cnn4j's export folds in the input's normalisation,
 * returned as the model's normalisation rather than as layers. Anything else is refused in one sentence
 * naming the node, its op type and what is supported.
 *
 * <p>The result's metadata carries the keys a cnn4j model file records for its input: the image shape
 * (from the graph's input), the class names (from the file's metadata_props, else {@code "0"},
 * {@code "1"}, ...), the preprocessing and the normalisation.
 *
 * {@snippet :
 * SavedModel imported = OnnxImport.read(Path.of("model.onnx"));
 * ModelFile.save(Path.of("model.safetensors"), imported.model(), imported.metadata());
 * }
 */
public final class OnnxImport {
    public static final long MIN_OPSET = 13;
    public static final long MAX_OPSET = 17;
    /** What the importer itself reads, beside the layers' op types. */
    private static final List<String> STRUCTURE = List.of("Identity", "Constant", "MatMul", "Add", "Concat",
            "Reshape", "Shape", "Gather", "Unsqueeze", "Squeeze", "Sub", "Div");
    /** A batch dimension inside a computed shape, whose size is known only when the model runs. */
    private static final long BATCH = Long.MIN_VALUE;
    /** Residuals and concatenations inside each other beyond any real network's. */
    private static final int MAX_DEPTH = 100;

    private static final OnnxImport BUILT_IN = new OnnxImport(OnnxLayers.BUILT_IN);

    private final Map<String, OnnxLayerImporter> layers;

    private OnnxImport(Map<String, OnnxLayerImporter> layers) {
        this.layers = Map.copyOf(layers);
    }

    /** The importer of cnn4j's own layers. */
    public static OnnxImport builtIn() {
        return BUILT_IN;
    }

    /** An importer that also turns nodes of {@code opType} (ONNX's own domain) into layers by {@code importer}. */
    public OnnxImport with(String opType, OnnxLayerImporter importer) {
        if (layers.containsKey(opType) || STRUCTURE.contains(opType)) {
            throw new IllegalArgumentException("'" + opType + "' is already imported; give a new op type");
        }
        Map<String, OnnxLayerImporter> more = new HashMap<>(layers);
        more.put(opType, importer);
        return new OnnxImport(more);
    }

    /** Reads the ONNX model {@code file} (and any external data beside it) into cnn4j's built-in layers. */
    public static SavedModel read(Path file) throws IOException {
        return builtIn().load(file);
    }

    /** Reads the ONNX model {@code file} (and any external data beside it) into this importer's layers. */
    public SavedModel load(Path file) throws IOException {
        return convert(OnnxFile.read(file), file.toString());
    }

    /**
     * The cnn4j model {@code model} describes, in training mode as a new model is; {@code what} names it in
     * messages (its file).
     *
     * @throws OnnxFormatException naming the node, its op type and what is supported, for a graph cnn4j
     *                             cannot express
     */
    public SavedModel convert(OnnxModel model, String what) throws OnnxFormatException {
        long opset = model.opsetVersion();
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new OnnxFormatException(what + " uses ONNX opset " + opset + "; cnn4j imports opsets " + MIN_OPSET + " to "
                    + MAX_OPSET + " (torch.onnx.export(..., opset_version=17)).");
        }
        return new Conversion(what, model.graph()).run(model.metadata());
    }

    /** How messages list what is imported. */
    private String supported() {
        return String.join(", ", new TreeSet<>(layers.keySet())) + ", and around them " + String.join(", ", STRUCTURE);
    }

    /** A step of the way from the input to the output: a layer, or a block of branches joined by Add or Concat. */
    private sealed interface Plan permits Leaf, Block {
        /** The module path the file records for it ({@code [3, body, 0]}), or null. */
        OnnxModulePath path();
    }

    /** One layer, made of one node or of a MatMul and the Add of its bias. */
    private record Leaf(List<OnnxNode> nodes, OnnxModulePath path) implements Plan {
    }

    /** Branches from one value joined by {@code join}: a residual's body and shortcut (empty: the identity), or concatenated ones. */
    private record Block(OnnxNode join, List<List<Plan>> branches, OnnxModulePath path) implements Plan {
        boolean residual() {
            return join.opType().equals("Add");
        }
    }

    private record Built(Module module, Shape output) {
    }

    /** One model's conversion and the state it needs: values by kind, producers, the shapes seen so far. */
    private final class Conversion {
        private final String what;
        private final OnnxGraph graph;
        private final Map<String, OnnxTensor> constants = new HashMap<>();
        /** Shapes computed from the graph's values: long[] once the shapes they read are known. */
        private final Map<String, Function<Conversion, long[]>> computedShapes = new HashMap<>();
        private final Set<String> data = new HashSet<>();
        private Map<String, OnnxNode> producer;
        private Map<String, List<OnnxNode>> consumers;
        private final Map<String, Shape> shapes = new HashMap<>();
        private final Map<String, String> previous = new HashMap<>();
        private final Set<OnnxNode> used = Collections.newSetFromMap(new IdentityHashMap<>());
        private String input;
        private String start;
        private float[] mean;
        private float[] std;
        private int nodeCount;
        /** Blocks inside blocks on the way being planned. */
        private int depth;

        Conversion(String what, OnnxGraph graph) {
            this.what = what;
            this.graph = graph;
        }

        SavedModel run(Map<String, String> fileMetadata) throws OnnxFormatException {
            graph.initializers().forEach(t -> constants.put(t.name(), t));
            Shape image = input();
            String output = output();
            Set<String> given = new HashSet<>(constants.keySet());
            given.add(input);
            OnnxGraphOrder order = OnnxGraphOrder.of(graph, given, what);
            producer = order.producer();
            consumers = order.consumers();
            List<OnnxNode> ordered = order.nodes();
            nodeCount = ordered.size();
            for (OnnxNode node : ordered) {
                classify(node);
            }
            findNormalization();
            for (OnnxNode node : ordered) {
                // In graph order each step's input is known before it is needed: no recursion along the graph.
                String first = node.outputs().isEmpty() ? "" : node.outputs().getFirst();
                if (data.contains(first) && !first.equals(start) && !used.contains(node)) {
                    previous(first);
                }
            }
            if (!data.contains(output)) {
                throw fail("its output '" + output + "' does not depend on its input '" + input + "'");
            }
            long weights = 0;
            for (OnnxTensor t : constants.values()) {
                weights = Counts.sum(weights, t.elementCount());
            }
            MemoryBudget.require(MemoryBudget.floats(weights), "building the layers of " + what);
            int[] batchOfOne = new int[image.rank() + 1];
            batchOfOne[0] = 1;
            System.arraycopy(image.dims(), 0, batchOfOne, 1, image.rank());
            Shape in = Shape.of(batchOfOne);
            shapes.put(input, in);
            shapes.put(start, in);
            List<Plan> plans = chain(start, output);
            for (OnnxNode node : ordered) {
                if (!used.contains(node) && node.outputs().stream().anyMatch(data::contains)) {
                    if (!layers.containsKey(node.opType()) && !STRUCTURE.contains(node.opType())) {
                        throw unsupported(node);
                    }
                    throw fail(node, "does not lie on the way from the input to the output as a layer, a residual or a"
                            + " concatenation of branches; cnn4j imports graphs built of these");
                }
            }
            Built built = sequence(plans, OnnxModulePath.ROOT, in);
            Module model = built.module();
            countersFromInitializers(model);
            model.loadStateDict(model.stateDict()); // the weights are the file's: nothing is left to draw
            return new SavedModel(model, metadata(fileMetadata, image, built.output()));
        }

        /**
         * Sets batch norm's counters from initializers of their names where the file has them (no node reads
         * them: ONNX has no such input, but an exporter may keep them so that a round trip loses nothing).
         */
        private void countersFromInitializers(Module model) {
            Map<String, Tensor> state = model.stateDict();
            for (String name : model.countBufferNames()) {
                OnnxTensor t = graph.initializer(name);
                if (t != null && t.elementCount() == 1 && t.type() != TensorType.FLOAT && t.type() != TensorType.DOUBLE
                        && t.type() != TensorType.FLOAT16 && t.type() != TensorType.BFLOAT16) {
                    state.get(name).data()[0] = t.longs()[0];
                }
            }
        }

        private Shape input() throws OnnxFormatException {
            List<ValueInfo> fed = graph.inputs().stream().filter(v -> !constants.containsKey(v.name())).toList();
            if (fed.size() != 1) {
                throw new OnnxFormatException(what + " has " + fed.size() + " inputs (" + names(fed) + "); cnn4j imports a"
                        + " model of one input, a batch of images [N, C, H, W].");
            }
            ValueInfo v = fed.getFirst();
            input = v.name();
            int rank = v.hasShape() ? v.dims().size() : 0;
            if (v.elementType() != TensorType.FLOAT.code() || rank != 4 && rank != 5
                    || v.dims().subList(1, rank).stream().anyMatch(d -> !d.isKnown() || d.size() < 1)) {
                throw new OnnxFormatException(what + ": its input '" + input + "' is " + TensorType.describe(v.elementType())
                        + " of dims " + describe(v) + "; cnn4j imports a model of FLOAT images [N, C, H, W] of a fixed C, H"
                        + " and W (or clips [N, C, T, H, W]).");
            }
            long[] sizes = v.dims().subList(1, rank).stream().mapToLong(ValueInfo.Dim::size).toArray();
            String claimed = Arrays.stream(sizes).mapToObj(Long::toString).collect(Collectors.joining("x"));
            long values = Counts.product(sizes);
            if (values > Integer.MAX_VALUE - 8) {
                throw new OnnxFormatException(String.format(Locale.ROOT, "%s: its input '%s' claims %s of %s, %,d"
                        + " values each, more than a cnn4j tensor holds.", what, input, rank == 4 ? "images" : "clips",
                        claimed, values));
            }
            MemoryBudget.require(MemoryBudget.floats(values), (rank == 4 ? "an image of " : "a clip of ") + claimed
                    + ", the input of " + what);
            return Shape.of(Arrays.stream(sizes).mapToInt(d -> (int) d).toArray());
        }

        private String output() throws OnnxFormatException {
            if (graph.outputs().size() != 1) {
                throw new OnnxFormatException(what + " has " + graph.outputs().size() + " outputs (" + names(graph.outputs())
                        + "); cnn4j imports a model of one output, the scores of each class.");
            }
            return graph.outputs().getFirst().name();
        }

        /** Records what {@code node} makes: a constant, a computed shape, or data from the input. */
        private void classify(OnnxNode node) throws OnnxFormatException {
            if (!node.domain().isEmpty() && !node.domain().equals("ai.onnx")) {
                throw unsupported(node);
            }
            List<String> inputs = node.inputs().stream().filter(s -> !s.isEmpty()).toList();
            String first = node.outputs().isEmpty() ? null : node.outputs().getFirst();
            if (inputs.stream().anyMatch(s -> s.equals(input) || data.contains(s))) {
                if (node.opType().equals("Shape")) {
                    if (!node.attributes().isEmpty()) {
                        throw fail(node, "takes part of a shape (start or end); cnn4j imports a Shape of all dimensions");
                    }
                    String of = inputs.getFirst();
                    computedShapes.put(first, c -> c.batchShape(of));
                } else {
                    node.outputs().stream().filter(s -> !s.isEmpty()).forEach(data::add);
                }
                return;
            }
            switch (node.opType()) {
                case "Constant" -> constants.put(first, constantValue(node));
                case "Identity" -> {
                    String from = inputs.getFirst();
                    if (constants.containsKey(from)) {
                        constants.put(first, constants.get(from));
                    } else {
                        computedShapes.put(first, computedShapes.get(from));
                    }
                }
                case "Gather" -> {
                    if (node.intAttribute("axis", 0) != 0) {
                        throw fail(node, "gathers along axis " + node.intAttribute("axis", 0) + " of a shape; cnn4j computes"
                                + " shapes with axis 0");
                    }
                    Function<Conversion, long[]> of = longs(node, inputs.get(0));
                    Function<Conversion, long[]> at = longs(node, inputs.get(1));
                    computedShapes.put(first, c -> gather(of.apply(c), at.apply(c)));
                }
                case "Unsqueeze", "Squeeze" -> computedShapes.put(first, longs(node, inputs.getFirst()));
                case "Concat" -> {
                    List<Function<Conversion, long[]>> parts = new ArrayList<>();
                    for (String in : inputs) {
                        parts.add(longs(node, in));
                    }
                    computedShapes.put(first, c -> {
                        List<Long> all = new ArrayList<>();
                        parts.forEach(p -> Arrays.stream(p.apply(c)).forEach(all::add));
                        return all.stream().mapToLong(Long::longValue).toArray();
                    });
                }
                default -> throw fail(node, "computes on constants alone, which cnn4j does not evaluate (it computes"
                        + " Identity, Constant, Shape, Gather, Unsqueeze, Squeeze and Concat, for a Reshape's target)");
            }
        }

        private OnnxTensor constantValue(OnnxNode node) throws OnnxFormatException {
            if (node.attributes().size() == 1) {
                var a = node.attributes().getFirst();
                switch (a.name()) {
                    case "value" -> {
                        return a.tensorValue();
                    }
                    case "value_float" -> {
                        return OnnxTensor.ofFloats(node.outputs().getFirst(), new float[]{a.floatValue()});
                    }
                    case "value_floats" -> {
                        return OnnxTensor.ofFloats(node.outputs().getFirst(), a.floats(), a.floats().length);
                    }
                    case "value_int" -> {
                        return OnnxTensor.ofLongs(node.outputs().getFirst(), new long[]{a.intValue()});
                    }
                    case "value_ints" -> {
                        return OnnxTensor.ofLongs(node.outputs().getFirst(), a.ints(), a.ints().length);
                    }
                    default -> {
                    }
                }
            }
            throw fail(node, "gives its constant as " + node.attributes() + "; cnn4j reads value, value_float(s) and value_int(s)");
        }

        /** The whole numbers of {@code value}, a constant or a computed shape, as {@code node} reads them. */
        private Function<Conversion, long[]> longs(OnnxNode node, String value) throws OnnxFormatException {
            OnnxTensor t = constants.get(value);
            if (t != null) {
                if (t.type() == TensorType.FLOAT || t.type() == TensorType.DOUBLE || t.type() == TensorType.FLOAT16
                        || t.type() == TensorType.BFLOAT16 || t.elementCount() > 16) {
                    throw fail(node, "reads '" + value + "' (" + t.type() + " of dims " + Arrays.toString(t.dims())
                            + ") as a shape; cnn4j computes shapes of a few whole numbers");
                }
                long[] v = t.longs();
                return c -> v;
            }
            Function<Conversion, long[]> f = computedShapes.get(value);
            if (f == null) {
                throw fail(node, "reads '" + value + "' as a shape, but it is not one");
            }
            return f;
        }

        private static long[] gather(long[] of, long[] at) {
            long[] out = new long[at.length];
            for (int i = 0; i < at.length; i++) {
                long j = at[i] < 0 ? at[i] + of.length : at[i];
                if (j < 0 || j >= of.length) {
                    throw new IllegalArgumentException("it gathers element " + at[i] + " of a shape of " + of.length);
                }
                out[i] = of[(int) j];
            }
            return out;
        }

        /** The dims of {@code value}'s shape with the batch dimension marked as known only when the model runs. */
        private long[] batchShape(String value) {
            String v = value;
            while (!shapes.containsKey(v) && producer.containsKey(v) && passesThrough(producer.get(v))) {
                v = producer.get(v).inputs().getFirst();
            }
            Shape s = shapes.get(v);
            if (s == null) {
                throw new IllegalArgumentException("it reads the shape of '" + value + "', which is not made before it");
            }
            long[] dims = Arrays.stream(s.dims()).asLongStream().toArray();
            dims[0] = BATCH;
            return dims;
        }

        /** Takes the leading Sub and Div of cnn4j's export as the input's normalisation. */
        private void findNormalization() {
            start = input;
            OnnxNode sub = only(consumers.get(input));
            if (sub == null || !sub.opType().equals("Sub") || !sub.inputs().getFirst().equals(input) || sub.outputs().size() != 1) {
                return;
            }
            OnnxNode div = only(consumers.get(sub.outputs().getFirst()));
            if (div == null || !div.opType().equals("Div") || !div.inputs().getFirst().equals(sub.outputs().getFirst())) {
                return;
            }
            float[] m = perChannel(sub.inputs().get(1));
            float[] s = perChannel(div.inputs().get(1));
            if (m == null || s == null || m.length != s.length) {
                return;
            }
            mean = m;
            std = s;
            used.add(sub);
            used.add(div);
            start = div.outputs().getFirst();
        }

        private static OnnxNode only(List<OnnxNode> nodes) {
            return nodes != null && nodes.size() == 1 ? nodes.getFirst() : null;
        }

        /** The values of a constant of dims [1, C, 1, 1] ([1, C, 1, 1, 1] for clips), or null. */
        private float[] perChannel(String name) {
            OnnxTensor t = constants.get(name);
            if (t == null || t.type() != TensorType.FLOAT) {
                return null;
            }
            long[] d = t.dims();
            boolean perChannel = (d.length == 4 || d.length == 5) && d[0] == 1;
            for (int i = 2; i < d.length; i++) {
                perChannel &= d[i] == 1;
            }
            return perChannel ? t.floats() : null;
        }

        // ---- the way from the input to the output, as layers and blocks

        /** The steps that turn {@code from} into {@code to}, first to last. */
        private List<Plan> chain(String from, String to) throws OnnxFormatException {
            List<Plan> steps = new ArrayList<>();
            String v = to;
            while (!v.equals(from)) {
                OnnxNode node = producer.get(v);
                if (node == null || v.equals(start)) {
                    throw new OnnxFormatException(what + ": '" + to + "' does not come from '" + from + "' through layers,"
                            + " residuals and concatenations; cnn4j imports graphs built of these.");
                }
                if (!v.equals(node.outputs().getFirst())) {
                    throw fail(node, "gives its output '" + v + "' to later nodes; cnn4j uses only a node's first output");
                }
                use(node);
                Plan step = plan(node);
                if (step != null) {
                    steps.add(step);
                }
                v = previous(v);
            }
            Collections.reverse(steps);
            return steps;
        }

        private void use(OnnxNode node) throws OnnxFormatException {
            if (!used.add(node)) {
                throw fail(node, "feeds branches that are not nested residuals or concatenations; cnn4j imports graphs"
                        + " whose branches join before they part again");
            }
        }

        /** The step {@code node} makes, or null for one that passes its input through. */
        private Plan plan(OnnxNode node) throws OnnxFormatException {
            if (passesThrough(node)) {
                return null;
            }
            List<String> in = dataInputs(node);
            if (in.size() > 1) {
                String fork = previous(node.outputs().getFirst());
                if (++depth > MAX_DEPTH) {
                    throw fail(node, "lies inside more than " + MAX_DEPTH + " nested residuals or concatenations; cnn4j"
                            + " imports networks nested less deeply");
                }
                List<List<Plan>> branches = new ArrayList<>();
                for (String branch : in) {
                    branches.add(chain(fork, branch));
                }
                depth--;
                if (node.opType().equals("Add") && branches.stream().allMatch(List::isEmpty)) {
                    throw fail(node, "adds a value to itself; cnn4j's Residual adds a body's output to its input");
                }
                return new Block(node, branches, OnnxModulePath.ofName(node));
            }
            if (node.opType().equals("Add")) {
                OnnxNode matMul = biasedMatMul(node);
                if (matMul == null) {
                    throw fail(node, "adds a constant other than the bias of a MatMul; cnn4j imports an Add of two branches"
                            + " (a residual) or of a MatMul's bias (a Linear)");
                }
                use(matMul);
                return new Leaf(List.of(matMul, node), OnnxModulePath.of(matMul, graph));
            }
            return new Leaf(List.of(node), OnnxModulePath.of(node, graph));
        }

        private boolean passesThrough(OnnxNode node) {
            return node.opType().equals("Identity");
        }

        /** The MatMul whose output {@code add} adds a constant to, alone, or null. */
        private OnnxNode biasedMatMul(OnnxNode add) {
            String x = dataInputs(add).getFirst();
            OnnxNode m = producer.get(x);
            return m != null && m.opType().equals("MatMul") && consumers.get(x).size() == 1 ? m : null;
        }

        private List<String> dataInputs(OnnxNode node) {
            return node.inputs().stream().filter(s -> data.contains(s) || s.equals(start)).toList();
        }

        /** The value a step's input is: its data input, or for a join, the value its branches start from. */
        private String previous(String v) throws OnnxFormatException {
            String known = previous.get(v);
            if (known != null) {
                return known;
            }
            OnnxNode node = producer.get(v);
            List<String> in = dataInputs(node);
            String result;
            if (in.size() > 1) {
                if (!node.opType().equals("Add") && !(node.opType().equals("Concat") && node.intAttribute("axis", 0) == 1)) {
                    throw node.opType().equals("Concat") ? fail(node, "concatenates along axis " + node.intAttribute("axis", 0)
                            + "; cnn4j's Concat joins branches along the channels (axis 1)") : unsupported(node);
                }
                result = fork(node, in);
            } else if (node.opType().equals("Add") && biasedMatMul(node) != null) {
                result = dataInputs(biasedMatMul(node)).getFirst();
            } else {
                result = in.getFirst();
            }
            previous.put(v, result);
            return result;
        }

        /** The last value that every one of {@code branches} comes from. */
        private String fork(OnnxNode join, List<String> branches) throws OnnxFormatException {
            String fork = branches.getFirst();
            for (String branch : branches.subList(1, branches.size())) {
                fork = fork(join, fork, branch);
            }
            return fork;
        }

        /**
         * Where the ways back from {@code a} and {@code b} meet, walking both in turn: the first value one walk
         * reaches that the other has passed is where they join, and the cost is the branches' length, not the graph's.
         */
        private String fork(OnnxNode join, String a, String b) throws OnnxFormatException {
            Set<String> fromA = new HashSet<>(List.of(a));
            Set<String> fromB = new HashSet<>(List.of(b));
            String x = a;
            String y = b;
            while (true) {
                if (fromB.contains(x)) {
                    return x;
                }
                if (fromA.contains(y)) {
                    return y;
                }
                if (x.equals(start) && y.equals(start)) {
                    throw fail(join, "joins branches that do not start from one value");
                }
                x = x.equals(start) ? x : previous(x);
                y = y.equals(start) ? y : previous(y);
                fromA.add(x);
                fromB.add(y);
            }
        }

        // ---- building the layers, placed and named by the paths the file records

        private Built sequence(List<Plan> steps, OnnxModulePath prefix, Shape in) throws OnnxFormatException {
            List<Integer> indices = new ArrayList<>();
            List<List<Plan>> groups = group(steps, prefix, indices);
            List<Module> modules = new ArrayList<>();
            Shape x = in;
            for (int g = 0; g < groups.size(); g++) {
                while (modules.size() < indices.get(g)) {
                    modules.add(new Identity());
                }
                List<Plan> group = groups.get(g);
                OnnxModulePath at = prefix.child(Integer.toString(indices.get(g)));
                Plan single = group.getFirst();
                Built b = group.size() == 1 && (single.path() == null || single.path().length() <= at.length())
                        ? step(single, at, x) : sequence(group, at, x);
                modules.add(b.module());
                x = b.output();
            }
            return new Built(new Sequential(modules), x);
        }

        /**
         * The steps grouped by the index the file's paths give them under {@code prefix} (a step without one
         * takes the next), each group's index in {@code indices}; one step a group, numbered in order, when
         * the paths do not fit a sequence.
         */
        private List<List<Plan>> group(List<Plan> steps, OnnxModulePath prefix, List<Integer> indices) {
            List<List<Plan>> groups = new ArrayList<>();
            int last = -1;
            boolean lastExact = true;
            for (Plan step : steps) {
                int index = step.path() == null ? -1 : step.path().indexAfter(prefix);
                boolean exact = index < 0 || step.path().length() == prefix.length() + 1;
                if (index < 0) {
                    index = last + 1;
                }
                if (index == last && !exact && !lastExact) {
                    groups.getLast().add(step);
                } else if (index > last && index <= last + 1 + nodeCount) {
                    groups.add(new ArrayList<>(List.of(step)));
                    indices.add(index);
                } else {
                    return numbered(steps, indices);
                }
                last = index;
                lastExact = exact;
            }
            return groups;
        }

        private static List<List<Plan>> numbered(List<Plan> steps, List<Integer> indices) {
            indices.clear();
            List<List<Plan>> groups = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                groups.add(new ArrayList<>(List.of(steps.get(i))));
                indices.add(i);
            }
            return groups;
        }

        /** A branch of a block at {@code prefix}: the layer itself when it is one layer at that path, else a sequence. */
        private Built branch(List<Plan> steps, OnnxModulePath prefix, Shape in) throws OnnxFormatException {
            if (steps.isEmpty()) {
                return new Built(new Identity(), in);
            }
            Plan single = steps.getFirst();
            if (steps.size() == 1 && (single.path() == null || single.path().equals(prefix))) {
                return step(single, prefix, in);
            }
            return sequence(steps, prefix, in);
        }

        private Built step(Plan step, OnnxModulePath at, Shape in) throws OnnxFormatException {
            Built b = switch (step) {
                case Leaf leaf -> layer(leaf, in);
                case Block block -> block.residual() ? residual(block, at, in) : concat(block, at, in);
            };
            OnnxNode last = step instanceof Leaf leaf ? leaf.nodes().getLast() : ((Block) step).join();
            shapes.put(last.outputs().getFirst(), b.output());
            MemoryBudget.require(MemoryBudget.floats(b.output().size()), "the output of " + last.describe() + " in " + what);
            return b;
        }

        private Built residual(Block block, OnnxModulePath at, Shape in) throws OnnxFormatException {
            List<Plan> body = block.branches().get(0);
            List<Plan> shortcut = block.branches().get(1);
            if (body.isEmpty() || !shortcut.isEmpty() && body.getFirst().path() != null && "shortcut".equals(body.getFirst().path().segmentAfter(at))) {
                List<Plan> swap = body;
                body = shortcut;
                shortcut = swap;
            }
            Built b = branch(body, at.child("body"), in);
            Module s = shortcut.isEmpty() ? null : branch(shortcut, at.child("shortcut"), in).module();
            return built(block.join(), new Residual(b.module(), s), in);
        }

        private Built concat(Block block, OnnxModulePath at, Shape in) throws OnnxFormatException {
            List<Module> branches = new ArrayList<>();
            for (int i = 0; i < block.branches().size(); i++) {
                branches.add(branch(block.branches().get(i), at.child(Integer.toString(i)), in).module());
            }
            return built(block.join(), new Concat(branches), in);
        }

        private Built layer(Leaf leaf, Shape in) throws OnnxFormatException {
            OnnxNode node = leaf.nodes().getFirst();
            try {
                Module layer = switch (node.opType()) {
                    case "MatMul" -> OnnxLayers.linear(in, constantInput(node, 1), false,
                            leaf.nodes().size() > 1 ? constantInput(leaf.nodes().get(1), 1 - dataIndex(leaf.nodes().get(1))) : null);
                    case "Reshape" -> reshape(node, in);
                    default -> {
                        OnnxLayerImporter importer = layers.get(node.opType());
                        if (importer == null) {
                            throw unsupported(node);
                        }
                        List<OnnxTensor> weights = new ArrayList<>();
                        for (int i = 1; i < node.inputs().size(); i++) {
                            weights.add(node.inputs().get(i).isEmpty() ? null : constantInput(node, i));
                        }
                        yield importer.build(node, weights, in);
                    }
                };
                return built(leaf.nodes().getLast(), layer, in);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw fail(node, "cannot be imported: " + e.getMessage());
            }
        }

        private Built built(OnnxNode node, Module module, Shape in) throws OnnxFormatException {
            try {
                return new Built(module, module.outputShape(in));
            } catch (IllegalArgumentException e) {
                throw fail(node, "cannot take its input of shape " + in + ": " + e.getMessage());
            }
        }

        private int dataIndex(OnnxNode node) {
            return data.contains(node.inputs().getFirst()) ? 0 : 1;
        }

        private OnnxTensor constantInput(OnnxNode node, int index) {
            String name = node.inputs().get(index);
            OnnxTensor t = constants.get(name);
            if (t == null) {
                throw new IllegalArgumentException("its input '" + name + "' is computed from the model's input; cnn4j's"
                        + " layers hold their weights as constants (initializers)");
            }
            return t;
        }

        /**
         * A Reshape to {@code [batch, -1]} (or its equivalents) as a Flatten; one that keeps the batch and merges
         * neighbouring dimensions as {@code Flatten(start, end)}, or splits one as an Unflatten (as cnn4j writes
         * them); any other is refused.
         */
        private Module reshape(OnnxNode node, Shape in) {
            if (node.intAttribute("allowzero", 0) != 0 || node.inputs().size() != 2) {
                throw new IllegalArgumentException("cnn4j imports a Reshape of two inputs without allowzero, as a flatten");
            }
            long[] target;
            try {
                target = longs(node, node.inputs().get(1)).apply(this);
            } catch (OnnxFormatException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            long features = in.sizeFrom(1);
            boolean batchFirst = target.length == 2 && (target[0] == BATCH || target[0] == 0 || target[0] == -1 && target[1] == features);
            if (batchFirst && (target[1] == -1 || target[1] == features)) {
                return new Flatten();
            }
            int[] out = keptBatch(target, in);
            if (out != null && out.length < in.rank()) {
                int start = 1;
                while (start < out.length - 1 && out[start] == in.dim(start)) {
                    start++;
                }
                int end = start + in.rank() - out.length;
                if (Arrays.equals(Arrays.copyOfRange(out, start + 1, out.length),
                        Arrays.copyOfRange(in.dims(), end + 1, in.rank()))) {
                    return new Flatten(start, end == in.rank() - 1 ? -1 : end);
                }
            } else if (out != null && out.length > in.rank()) {
                int dim = 1;
                while (dim < in.rank() - 1 && out[dim] == in.dim(dim)) {
                    dim++;
                }
                int last = dim + out.length - in.rank();
                if (Arrays.equals(Arrays.copyOfRange(out, last + 1, out.length),
                        Arrays.copyOfRange(in.dims(), dim + 1, in.rank()))) {
                    return new Unflatten(dim, Arrays.copyOfRange(out, dim, last + 1));
                }
            }
            throw new IllegalArgumentException("its target shape " + Arrays.stream(target).mapToObj(d -> d == BATCH ? "batch"
                    : Long.toString(d)).toList() + " of an input of shape " + in + " is neither a flatten to [batch, "
                    + features + "], a merge of neighbouring dimensions nor a split of one; cnn4j imports a Reshape as"
                    + " Flatten or Unflatten");
        }

        /**
         * The shape {@code target} gives an input of shape {@code in} when it keeps the batch (0 or the batch's size
         * first) and spells every other size out but at most one -1, their product the input's; null otherwise.
         */
        private static int[] keptBatch(long[] target, Shape in) {
            if (target.length < 2 || target[0] != 0 && target[0] != BATCH) {
                return null;
            }
            int[] out = new int[target.length];
            out[0] = in.dim(0);
            int inferred = -1;
            long product = 1;
            for (int i = 1; i < target.length; i++) {
                if (target[i] == -1 && inferred < 0) {
                    inferred = i;
                    continue;
                }
                if (target[i] < 1 || target[i] > in.sizeFrom(1)) {
                    return null;
                }
                out[i] = (int) target[i];
                product *= target[i];
                if (product > in.sizeFrom(1)) {
                    return null;
                }
            }
            if (inferred > 0 && in.sizeFrom(1) % product == 0) {
                out[inferred] = (int) (in.sizeFrom(1) / product);
                product = in.sizeFrom(1);
            }
            return product == in.sizeFrom(1) ? out : null;
        }

        // ---- metadata and messages

        private Map<String, String> metadata(Map<String, String> file, Shape image, Shape output) {
            Map<String, String> out = new LinkedHashMap<>();
            String modelName = file.get(ModelFile.MODEL_NAME_KEY);
            if (modelName != null) {
                out.put(ModelFile.MODEL_NAME_KEY, modelName);
            }
            int channels = image.dim(0);
            int h = image.dim(image.rank() - 2);
            int w = image.dim(image.rank() - 1);
            if (channels == 1 || channels == 3) {
                out.put(InputSpec.SHAPE_KEY, InputSpec.format(image));
                String classes = file.get(InputSpec.CLASSES_KEY);
                if (classes == null && output.rank() == 2 && output.dim(1) >= 2) {
                    classes = IntStream.range(0, output.dim(1)).mapToObj(i -> "\"" + i + "\"")
                            .collect(Collectors.joining(",", "[", "]"));
                }
                if (classes != null) {
                    out.put(InputSpec.CLASSES_KEY, classes);
                }
                out.put(InputSpec.PREPROCESSING_KEY, file.getOrDefault(InputSpec.PREPROCESSING_KEY, "color=" + (channels == 1 ? "gray" : "rgb")
                        + " size=" + h + "x" + w + " resize=stretch"));
            }
            String normalize = mean != null ? spec(mean) + ":" + spec(std) : file.get(InputSpec.NORMALIZE_KEY);
            if (normalize != null) {
                out.put(InputSpec.NORMALIZE_KEY, normalize);
            }
            return out;
        }

        private static String spec(float[] values) {
            List<String> parts = new ArrayList<>();
            for (float v : values) {
                parts.add(Float.toString(v));
            }
            return String.join(",", parts);
        }

        private OnnxFormatException fail(OnnxNode node, String problem) {
            return new OnnxFormatException(what + ": " + node.describe() + " " + problem + ".");
        }

        private OnnxFormatException fail(String problem) {
            return new OnnxFormatException(what + ": " + problem + ".");
        }

        private OnnxFormatException unsupported(OnnxNode node) {
            return fail(node, "is an operation cnn4j does not import; it imports " + supported());
        }
    }

    private static String names(List<ValueInfo> values) {
        return values.stream().map(v -> "'" + v.name() + "'").collect(Collectors.joining(", "));
    }

    private static String describe(ValueInfo v) {
        return v.hasShape() ? v.dims().stream().map(d -> d.isKnown() ? Long.toString(d.size()) : d.param() == null ? "?"
                : d.param()).toList().toString() : "(none given)";
    }
}

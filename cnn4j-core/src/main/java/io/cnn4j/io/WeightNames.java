package io.cnn4j.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which tensor of a weights file is which of a model's. A cnn4j model's names are those of the same
 * {@code nn.Sequential} in PyTorch ({@code 3.weight}); a PyTorch model written as a class names the same
 * layers after its attributes ({@code features.3.weight}, {@code classifier.1.weight}, or everything under
 * {@code module.} when it was wrapped for data parallelism). Such a file still fits when its layers, taken
 * in order, hold the model's tensors in order with the same shapes: numbered children in their numeric
 * order, named ones in whichever order makes them fit. A file whose names are the model's is matched by
 * name alone.
 *
 * <p>When no order fits, the refusal names the first tensor that does not, in the order that keeps the
 * file's own (numbers ascending, names as first listed), with both shapes.
 */
final class WeightNames {
    /** The most orders of named layers tried; beyond, only the file's own order is. */
    private static final int MOST_ORDERS = 5040;
    /** The most named children of one layer whose orders are tried (7! = {@value #MOST_ORDERS} orders). */
    private static final int MOST_NAMED = 7;
    /** The most dotted parts of a name taken apart. */
    private static final int MOST_DEPTH = 64;
    /** The most names one message lists, and the most characters of each. */
    private static final int MOST_LISTED = 8;
    private static final int MOST_CHARS = 80;

    private WeightNames() {
    }

    /**
     * For each of the model's tensors, in the model's order, the name of the file's tensor that holds it: the
     * same name, or with {@code byOrder} the tensor in the same place of a layer that fits in order.
     *
     * @param modelShapes the model's tensors and shapes, in its order ({@code stateDict()})
     * @param fileShapes the file's tensors and shapes, in the file's order
     * @throws IllegalArgumentException naming the first tensor that does not fit, with both shapes
     */
    static Map<String, String> match(Map<String, List<Long>> modelShapes, Map<String, List<Long>> fileShapes,
                                     boolean byOrder) {
        if (modelShapes.keySet().equals(fileShapes.keySet())) {
            Map<String, String> same = new LinkedHashMap<>();
            modelShapes.forEach((name, shape) -> {
                if (!fileShapes.get(name).equals(shape)) {
                    throw new IllegalArgumentException("tensor '" + name + "' has shape " + fileShapes.get(name)
                            + " in the file but " + shape + " in the model");
                }
                same.put(name, name);
            });
            return same;
        }
        List<Layer> model = layers(modelShapes);
        Node root = new Node("");
        fileShapes.forEach(root::add);
        List<List<Layer>> orders = byOrder ? root.orders() : List.of(root.fileOrder());
        List<Layer> fitting = null;
        List<Layer> closest = orders.getFirst();
        for (List<Layer> order : orders) {
            int fit = fitted(model, order);
            if (fit == model.size() && order.size() == model.size()) {
                if (fitting != null) {
                    throw new IllegalArgumentException("its tensors fit the model in more than one order (its layers "
                            + names(fitting) + " or " + names(order) + " for the model's " + names(model)
                            + "): save them under the model's names, " + listed(List.copyOf(modelShapes.keySet())));
                }
                fitting = order;
            } else if (fit > fitted(model, closest)) {
                closest = order;
            }
        }
        if (fitting == null || !byOrder) {
            throw new IllegalArgumentException(mismatch(model, fitting == null ? closest : fitting, modelShapes.size(),
                    fileShapes.size(), byOrder));
        }
        Map<String, String> names = new LinkedHashMap<>();
        for (int i = 0; i < model.size(); i++) {
            Layer mine = model.get(i);
            Layer held = fitting.get(i);
            mine.shapes.keySet().forEach(leaf -> names.put(mine.tensor(leaf), held.tensor(leaf)));
        }
        return names;
    }

    /** How many of the model's layers, from the first, the file's hold in {@code file}'s order. */
    private static int fitted(List<Layer> model, List<Layer> file) {
        int i = 0;
        while (i < Math.min(model.size(), file.size()) && model.get(i).shapes.equals(file.get(i).shapes)) {
            i++;
        }
        return i;
    }

    /** Why the file's layers, in {@code file}'s order, do not hold the model's: the first tensor that differs. */
    private static String mismatch(List<Layer> model, List<Layer> file, int modelTensors, int fileTensors,
                                   boolean byOrder) {
        for (int i = 0; i < Math.min(model.size(), file.size()); i++) {
            Layer mine = model.get(i);
            Layer held = file.get(i);
            if (!byOrder && !held.path.equals(mine.path)) {
                return "the model's layer '" + mine.path + "' (" + mine.names() + ") is not in the file, whose layer in"
                        + " its place is '" + shortened(held.path) + "' (" + held.names() + ")";
            }
            for (var e : mine.shapes.entrySet()) {
                List<Long> there = held.shapes.get(e.getKey());
                String name = mine.tensor(e.getKey());
                if (there == null) {
                    return "the model's tensor '" + name + "' (shape " + e.getValue() + ") is not in the file, whose"
                            + " layer in its place, '" + shortened(held.path) + "', holds " + held.names();
                }
                if (!there.equals(e.getValue())) {
                    String heldName = held.tensor(e.getKey());
                    return "tensor '" + shortened(heldName) + "' has shape " + there + " in the file but " + (heldName.equals(name)
                            ? "" : "the model's tensor in its place, '" + name + "', has ") + e.getValue()
                            + (heldName.equals(name) ? " in the model" : "");
                }
            }
            for (var e : held.shapes.entrySet()) {
                if (!mine.shapes.containsKey(e.getKey())) {
                    return "tensor '" + shortened(held.tensor(e.getKey())) + "' (shape " + e.getValue() + ") in the file"
                            + " has no place in the model, whose layer there, '" + mine.path + "', holds " + mine.names();
                }
            }
        }
        if (model.size() > file.size()) {
            Map.Entry<String, List<Long>> first = model.get(file.size()).shapes.entrySet().iterator().next();
            return "the model's tensor '" + model.get(file.size()).tensor(first.getKey()) + "' (shape " + first.getValue()
                    + ") is not in the file, which holds " + fileTensors + " tensors for the model's " + modelTensors;
        }
        Map.Entry<String, List<Long>> first = file.get(model.size()).shapes.entrySet().iterator().next();
        return "tensor '" + shortened(file.get(model.size()).tensor(first.getKey())) + "' (shape " + first.getValue() + ") in the"
                + " file has no place in the model, which holds " + modelTensors + " tensors for the file's " + fileTensors;
    }

    private static String names(List<Layer> layers) {
        return listed(layers.stream().map(l -> l.path).toList());
    }

    /** At most {@value #MOST_LISTED} names, each at most {@value #MOST_CHARS} characters: a file's names may be anything. */
    private static String listed(List<String> names) {
        List<String> out = new ArrayList<>(names.stream().limit(MOST_LISTED).map(WeightNames::shortened).toList());
        if (names.size() > MOST_LISTED) {
            out.add("... " + (names.size() - MOST_LISTED) + " more");
        }
        return out.toString();
    }

    private static String shortened(String name) {
        return name.length() > MOST_CHARS ? name.substring(0, MOST_CHARS) + "..." : name;
    }

    /** The model's layers in its order: its tensors grouped by the path before their last dot. */
    private static List<Layer> layers(Map<String, List<Long>> shapes) {
        Map<String, Layer> layers = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            int dot = name.lastIndexOf('.');
            layers.computeIfAbsent(dot < 0 ? "" : name.substring(0, dot), Layer::new).add(name.substring(dot + 1), name, shape);
        });
        return List.copyOf(layers.values());
    }

    /** One layer's tensors, by their last name part ({@code weight}, {@code running_mean}), and their full names. */
    private static final class Layer {
        final String path;
        final Map<String, List<Long>> shapes = new LinkedHashMap<>();
        private final Map<String, String> names = new LinkedHashMap<>();

        Layer(String path) {
            this.path = path;
        }

        void add(String leaf, String name, List<Long> shape) {
            shapes.put(leaf, shape);
            names.put(leaf, name);
        }

        String names() {
            return listed(List.copyOf(names.values()));
        }

        String tensor(String leaf) {
            return names.getOrDefault(leaf, path.isEmpty() ? leaf : path + "." + leaf);
        }
    }

    /** The file's names as a tree of their dotted parts, each node a layer when tensors end there. */
    private static final class Node {
        private final Layer layer;
        private final Map<String, Node> children = new LinkedHashMap<>();

        Node(String path) {
            this.layer = new Layer(path);
        }

        void add(String name, List<Long> shape) {
            Node node = this;
            // Deeper than any model nests, the rest of a name is one part: the tree stays shallow for any file.
            String[] parts = name.split("\\.", MOST_DEPTH);
            int end = 0;
            for (int i = 0; i < parts.length - 1; i++) {
                end += parts[i].length() + (i == 0 ? 0 : 1);
                String path = name.substring(0, end);
                node = node.children.computeIfAbsent(parts[i], part -> new Node(path));
            }
            node.layer.add(parts[parts.length - 1], name, shape);
        }

        /** The file's layers in its own order: numbered children ascending, then named ones as first listed. */
        List<Layer> fileOrder() {
            List<Layer> out = new ArrayList<>();
            if (!layer.shapes.isEmpty()) {
                out.add(layer);
            }
            concat(numbered(), named()).forEach(child -> out.addAll(child.fileOrder()));
            return out;
        }

        /**
         * Every order of the layers under this node, the file's own first: numbered children in their numeric
         * order, named ones in each of their orders; only the file's own when there would be more than
         * {@link #MOST_ORDERS}.
         */
        List<List<Layer>> orders() {
            List<List<Layer>> out = new ArrayList<>();
            for (List<Node> permutation : permutations(named())) {
                List<List<Layer>> ways = List.of(layer.shapes.isEmpty() ? List.of() : List.of(layer));
                for (Node child : concat(numbered(), permutation)) {
                    List<List<Layer>> tails = child.orders();
                    if ((long) ways.size() * tails.size() > MOST_ORDERS) {
                        return List.of(fileOrder());
                    }
                    ways = product(ways, tails);
                }
                out.addAll(ways);
                if (out.size() > MOST_ORDERS) {
                    return List.of(fileOrder());
                }
            }
            return out;
        }

        private List<Node> numbered() {
            return children.entrySet().stream().filter(e -> isNumber(e.getKey()))
                    .sorted((a, b) -> Integer.compare(Integer.parseInt(a.getKey()), Integer.parseInt(b.getKey())))
                    .map(Map.Entry::getValue).toList();
        }

        private List<Node> named() {
            return children.entrySet().stream().filter(e -> !isNumber(e.getKey())).map(Map.Entry::getValue).toList();
        }

        private static List<Node> concat(List<Node> first, List<Node> then) {
            List<Node> all = new ArrayList<>(first);
            all.addAll(then);
            return all;
        }

        private static List<List<Layer>> product(List<List<Layer>> heads, List<List<Layer>> tails) {
            List<List<Layer>> out = new ArrayList<>();
            for (List<Layer> head : heads) {
                for (List<Layer> tail : tails) {
                    List<Layer> both = new ArrayList<>(head);
                    both.addAll(tail);
                    out.add(both);
                }
            }
            return out;
        }

        /** Every order of {@code nodes}, the given one first; only that one when there would be too many. */
        private static List<List<Node>> permutations(List<Node> nodes) {
            if (nodes.size() > MOST_NAMED) {
                return List.of(nodes);
            }
            List<List<Node>> out = new ArrayList<>();
            permute(new ArrayList<>(nodes), 0, out);
            return out;
        }

        private static void permute(List<Node> nodes, int from, List<List<Node>> out) {
            if (from == nodes.size()) {
                out.add(List.copyOf(nodes));
                return;
            }
            for (int i = from; i < nodes.size(); i++) {
                Collections.swap(nodes, from, i);
                permute(nodes, from + 1, out);
                Collections.swap(nodes, from, i);
            }
        }
    }

    private static boolean isNumber(String part) {
        return !part.isEmpty() && part.length() < 10 && part.chars().allMatch(Character::isDigit);
    }
}

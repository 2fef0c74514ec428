package io.cnn4j.io;

import io.cnn4j.onnx.OnnxFormatException;
import io.cnn4j.onnx.OnnxGraph;
import io.cnn4j.onnx.OnnxNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph's nodes in an order where every value is made before it is read, with the node that makes each
 * value and the nodes that read it. ONNX requires the file to list its nodes so; the order is worked out
 * here rather than trusted, and a value written twice, a value nothing gives, and a cycle are refused.
 */
record OnnxGraphOrder(List<OnnxNode> nodes, Map<String, OnnxNode> producer, Map<String, List<OnnxNode>> consumers) {

    /**
     * The order of {@code graph}'s nodes, {@code given} the values that no node makes (its input and its
     * initializers); {@code what} names the file in messages.
     */
    static OnnxGraphOrder of(OnnxGraph graph, Set<String> given, String what) throws OnnxFormatException {
        Map<String, OnnxNode> producer = new HashMap<>();
        for (OnnxNode node : graph.nodes()) {
            for (String out : node.outputs()) {
                if (out.isEmpty()) {
                    continue;
                }
                if (given.contains(out) || producer.containsKey(out)) {
                    throw new OnnxFormatException(what + ": " + node.describe() + " writes '" + out + "', which "
                            + (producer.containsKey(out) ? producer.get(out).describe() + " writes too" : "is an input or an"
                            + " initializer") + "; in ONNX each value is written once.");
                }
                producer.put(out, node);
            }
        }
        Map<String, List<OnnxNode>> consumers = new HashMap<>();
        Map<OnnxNode, Integer> waiting = new IdentityHashMap<>();
        List<OnnxNode> ready = new ArrayList<>();
        for (OnnxNode node : graph.nodes()) {
            int pending = 0;
            for (String in : node.inputs()) {
                if (in.isEmpty()) {
                    continue;
                }
                if (!given.contains(in) && !producer.containsKey(in)) {
                    throw new OnnxFormatException(what + ": " + node.describe() + " reads '" + in + "', which no node,"
                            + " initializer or graph input gives.");
                }
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(node);
                pending += given.contains(in) ? 0 : 1;
            }
            waiting.put(node, pending);
            if (pending == 0) {
                ready.add(node);
            }
        }
        for (int i = 0; i < ready.size(); i++) {
            for (String out : ready.get(i).outputs()) {
                for (OnnxNode next : consumers.getOrDefault(out, List.of())) {
                    if (waiting.merge(next, -1, Integer::sum) == 0) {
                        ready.add(next);
                    }
                }
            }
        }
        if (ready.size() < graph.nodes().size()) {
            List<String> cycle = graph.nodes().stream().filter(n -> waiting.get(n) > 0).limit(4).map(OnnxNode::describe).toList();
            throw new OnnxFormatException(what + ": its nodes " + String.join(", ", cycle) + (graph.nodes().size()
                    - ready.size() > 4 ? " and more" : "") + " wait on each other in a cycle; an ONNX graph is acyclic.");
        }
        return new OnnxGraphOrder(List.copyOf(ready), Map.copyOf(producer), Map.copyOf(consumers));
    }

    /** The nodes that read {@code value} (once per time they read it). */
    List<OnnxNode> consumersOf(String value) {
        return consumers.getOrDefault(value, List.of());
    }
}

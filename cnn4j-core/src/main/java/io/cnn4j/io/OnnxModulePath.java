package io.cnn4j.io;

import io.cnn4j.onnx.OnnxGraph;
import io.cnn4j.onnx.OnnxNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a node's layer sat in the exported module tree, as the file records it: {@code [3, body, 0]} from
 * initializer names such as {@code 3.body.0.weight}, or from node names such as torch's
 * {@code /3/body/body.0/Conv} (whose scopes repeat their parent's name, or not: {@code /2/2.0/2.0.0/Conv}).
 * {@link OnnxImport} places and names layers by it.
 */
record OnnxModulePath(List<String> segments) {
    static final OnnxModulePath ROOT = new OnnxModulePath(List.of());
    /** Segments beyond any real network's: a longer path is ignored, so that no name can make the placement recurse deeply. */
    static final int MAX_SEGMENTS = 100;
    private static final Pattern PARAMETER = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*\\.(weight|bias|running_mean|running_var)");

    OnnxModulePath {
        segments = List.copyOf(segments);
    }

    /** The path of {@code node}'s layer: from its parameters' names where they are PyTorch's, else from its name; or null. */
    static OnnxModulePath of(OnnxNode node, OnnxGraph graph) {
        for (String in : node.inputs().subList(Math.min(1, node.inputs().size()), node.inputs().size())) {
            if (graph.initializer(in) != null && PARAMETER.matcher(in).matches()) {
                List<String> parts = List.of(in.split("\\."));
                return parts.size() > MAX_SEGMENTS ? null : new OnnxModulePath(parts.subList(0, parts.size() - 1));
            }
        }
        return ofName(node);
    }

    /** The path in {@code node}'s name ({@code /3/body/body.0/Conv}: {@code [3, body, 0]}), or null. */
    static OnnxModulePath ofName(OnnxNode node) {
        String name = node.name();
        if (!name.startsWith("/")) {
            return null;
        }
        String[] scopes = name.substring(1).split("/");
        if (scopes.length < 2 || scopes.length > MAX_SEGMENTS) {
            return null;
        }
        String full = "";
        String parent = null;
        for (int i = 0; i < scopes.length - 1; i++) {
            String s = scopes[i];
            if (s.isEmpty()) {
                return null;
            }
            full = parent == null ? s : s.startsWith(parent + ".") ? full + s.substring(parent.length()) : full + "." + s;
            parent = s;
        }
        List<String> path = List.of(full.split("\\."));
        return path.size() > MAX_SEGMENTS ? null : new OnnxModulePath(path);
    }

    int length() {
        return segments.size();
    }

    OnnxModulePath child(String segment) {
        List<String> out = new ArrayList<>(segments);
        out.add(segment);
        return new OnnxModulePath(out);
    }

    /** The segment right after {@code prefix} when this path lies below it, else null. */
    String segmentAfter(OnnxModulePath prefix) {
        return length() > prefix.length() && segments.subList(0, prefix.length()).equals(prefix.segments)
                ? segments.get(prefix.length()) : null;
    }

    /** The index in a sequence at {@code prefix}: the number right after it, or -1. */
    int indexAfter(OnnxModulePath prefix) {
        String s = segmentAfter(prefix);
        return s != null && s.matches("\\d{1,6}") ? Integer.parseInt(s) : -1;
    }
}

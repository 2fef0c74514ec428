package io.cnn4j.explain;

import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.Residual;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A model's layers by dotted name ({@code "0"}, {@code "3.body.3"}), as {@code summary} and PyTorch name them. */
public final class NamedLayers {
    private NamedLayers() {
    }

    /** Every module below {@code model}, depth-first in registration order. */
    public static Map<String, Module> of(Module model) {
        Map<String, Module> out = new LinkedHashMap<>();
        collect("", model, out);
        return out;
    }

    private static void collect(String prefix, Module module, Map<String, Module> out) {
        for (Map.Entry<String, Module> child : module.children().entrySet()) {
            String name = prefix + child.getKey();
            out.put(name, child.getValue());
            collect(name + ".", child.getValue(), out);
        }
    }

    /** The names of the convolutions, in order. */
    public static List<String> convolutions(Module model) {
        List<String> names = new ArrayList<>();
        of(model).forEach((name, m) -> {
            if (m instanceof Conv2d) {
                names.add(name);
            }
        });
        return names;
    }

    /**
     * The last convolution on the model's main path: depth-first, skipping residual shortcuts (a projection
     * of a block's input, not the features the block computed). For a residual net that is the last block's
     * last convolution, as torchvision's Grad-CAM examples choose {@code layer4[-1]}. Null when there is none.
     */
    static String lastConvolution(Module model) {
        String last = null;
        for (Map.Entry<String, Module> e : of(model).entrySet()) {
            if (e.getValue() instanceof Conv2d && !onShortcut(model, e.getKey())) {
                last = e.getKey();
            }
        }
        return last;
    }

    private static boolean onShortcut(Module model, String name) {
        Module m = model;
        for (String part : name.split("\\.")) {
            if (m instanceof Residual r && r.shortcut() != null && part.equals("shortcut")) {
                return true;
            }
            m = m.children().get(part);
        }
        return false;
    }
}

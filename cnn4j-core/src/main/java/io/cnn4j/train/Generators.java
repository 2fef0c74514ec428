package io.cnn4j.train;

import io.cnn4j.nn.Module;
import io.cnn4j.nn.Stochastic;
import io.cnn4j.tensor.Rng;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The random generators a training run draws from between steps, by name: each {@link Stochastic}
 * layer's own (dropout masks) under its module path, {@code "model"} for the root and {@code "model.3"},
 * {@code "model.block.1"} below it. The data order and the augmentation are not here: the loader's state
 * and the augmentation's seed cover them.
 *
 * <p>Checkpoints of earlier versions also hold {@code "global"}, the state of a process-wide generator
 * that training never drew from; it is accepted and ignored.
 */
final class Generators {
    static final String GLOBAL = "global";

    private Generators() {
    }

    static Map<String, Rng.State> states(Module model) {
        Map<String, Rng.State> out = new LinkedHashMap<>();
        live(model).forEach((name, rng) -> out.put(name, rng.state()));
        return out;
    }

    /** Sets every generator to its saved state; the saved names must be exactly this model's. */
    static void restore(Module model, Map<String, Rng.State> states) {
        Map<String, Rng> live = live(model);
        var expected = new TreeSet<>(live.keySet());
        var saved = new TreeSet<>(states.keySet());
        saved.remove(GLOBAL);
        if (!expected.equals(saved)) {
            throw new IllegalArgumentException("the checkpoint's random generators " + states.keySet()
                    + " are not this model's " + expected + ": it was written for another architecture");
        }
        live.forEach((name, rng) -> rng.restore(states.get(name)));
    }

    private static Map<String, Rng> live(Module model) {
        Map<String, Rng> out = new LinkedHashMap<>();
        collect("model", model, out);
        return out;
    }

    private static void collect(String path, Module module, Map<String, Rng> out) {
        if (module instanceof Stochastic s) {
            out.put(path, s.generator());
        }
        module.children().forEach((name, child) -> collect(path + "." + name, child, out));
    }
}

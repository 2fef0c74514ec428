package io.cnn4j.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an optimizer has learned while stepping, for a checkpoint: its kind (the class's simple
 * name: {@code "Sgd"}, {@code "Adam"}, {@code "AdamW"}, {@code "RmsProp"}, {@code "Adagrad"}), the current learning rate and momentum (a schedule may have moved
 * them), whole-number counters (Adam's step counts) and float buffers (momentum buffers, Adam's
 * moments), named after PyTorch's {@code state_dict()} entries with the parameter's index:
 * {@code "momentum_buffer.0"}, {@code "exp_avg.3"}, {@code "exp_avg_sq.3"}, {@code "step.3"}. A buffer a
 * parameter has not needed yet (it never had a gradient) is absent. Hyperparameters are not state: the
 * optimizer that restores it is built with them.
 */
public record OptimizerState(String kind, double learningRate, double momentum, Map<String, Long> counters,
                             Map<String, float[]> buffers) {
    public OptimizerState {
        Objects.requireNonNull(kind, "kind");
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        buffers = Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
    }

    /** The counter {@code name}, or an error naming what is missing. */
    public long counter(String name) {
        Long value = counters.get(name);
        if (value == null) {
            throw new IllegalArgumentException(kind + " state has no counter '" + name + "' (it has " + counters.keySet() + ")");
        }
        return value;
    }
}

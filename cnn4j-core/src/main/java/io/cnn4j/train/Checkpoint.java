package io.cnn4j.train;

import io.cnn4j.data.DataLoader;
import io.cnn4j.io.SafeTensors;
import io.cnn4j.io.TensorFile;
import io.cnn4j.optim.OptimizerState;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a training run needs to go on as if it had never stopped: the model's weights and buffers,
 * the optimizer's state, where the data loader stands (epoch, batches served, shuffling generator), every
 * random generator (dropout's), the trainer's counters and running totals, the best
 * weights so far when they are kept, and free-form {@code metadata} (a command line puts its settings
 * there). The learning-rate schedule needs nothing: it is a function of the step.
 *
 * <p>On disk it is one safetensors file: tensors {@code model.<name>}, {@code optimizer.<name>} and
 * {@code best.<name>}, and in the header's metadata {@code format = cnn4j-checkpoint}, the version, and
 * {@code cnn4j.checkpoint}, a JSON object with the rest (doubles as the hex of their bits, so that they
 * come back exactly). {@link #write} replaces the file atomically (a temporary file in the same directory,
 * forced to disk, renamed over it, and the directory forced), so a crash at any moment leaves the previous
 * checkpoint or the new one, never a broken file.
 */
public record Checkpoint(Map<String, Tensor> model, OptimizerState optimizer, DataLoader.State data,
                         Map<String, Rng.State> generators, TrainingProgress progress, Map<String, Tensor> bestWeights,
                         Map<String, String> metadata) {
    public static final String FORMAT_KEY = "format";
    public static final String FORMAT = "cnn4j-checkpoint";
    public static final String VERSION_KEY = "cnn4j.checkpoint_version";
    public static final String VERSION = "1";
    static final String STATE_KEY = "cnn4j.checkpoint";
    private static final List<String> RESERVED = List.of(FORMAT_KEY, VERSION_KEY, STATE_KEY);
    private static final String MODEL = "model.";
    private static final String OPTIMIZER = "optimizer.";
    private static final String BEST = "best.";

    public Checkpoint {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(progress, "progress");
        model = Collections.unmodifiableMap(new LinkedHashMap<>(model));
        generators = Collections.unmodifiableMap(new LinkedHashMap<>(generators));
        bestWeights = Collections.unmodifiableMap(new LinkedHashMap<>(bestWeights));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        for (String key : RESERVED) {
            if (metadata.containsKey(key)) {
                throw new IllegalArgumentException("checkpoint metadata may not set '" + key + "': Checkpoint writes it itself");
            }
        }
    }

    /** Writes the checkpoint to {@code file}, replacing any previous one atomically. */
    public void write(Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.forEach((name, t) -> tensors.put(MODEL + name, t));
        optimizer.buffers().forEach((name, values) -> tensors.put(OPTIMIZER + name, Tensor.of(values, values.length)));
        bestWeights.forEach((name, t) -> tensors.put(BEST + name, t));
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(FORMAT_KEY, FORMAT);
        meta.put(VERSION_KEY, VERSION);
        meta.put(STATE_KEY, CheckpointJson.encode(this));
        SafeTensors.write(file, tensors, meta);
    }

    /** Reads a checkpoint {@link #write} wrote; anything else is a {@link CheckpointException} naming the file. */
    public static Checkpoint read(Path file) throws IOException {
        TensorFile contents = SafeTensors.read(file);
        Map<String, String> meta = new LinkedHashMap<>(contents.metadata());
        if (!FORMAT.equals(meta.get(FORMAT_KEY))) {
            throw new CheckpointException(file, "not a cnn4j training checkpoint (its format is "
                    + (meta.containsKey(FORMAT_KEY) ? "'" + meta.get(FORMAT_KEY) + "'" : "not given")
                    + "); --resume takes a file written by 'cnn4j train --checkpoint'", null);
        }
        if (!VERSION.equals(meta.get(VERSION_KEY))) {
            throw new CheckpointException(file, "checkpoint version " + meta.get(VERSION_KEY) + " cannot be read by this"
                    + " cnn4j, which reads version " + VERSION, null);
        }
        String state = meta.get(STATE_KEY);
        RESERVED.forEach(meta::remove);
        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<String, float[]> buffers = new LinkedHashMap<>();
        Map<String, Tensor> best = new LinkedHashMap<>();
        for (var e : contents.tensors().entrySet()) {
            String name = e.getKey();
            if (name.startsWith(MODEL)) {
                model.put(name.substring(MODEL.length()), e.getValue());
            } else if (name.startsWith(OPTIMIZER)) {
                buffers.put(name.substring(OPTIMIZER.length()), e.getValue().data());
            } else if (name.startsWith(BEST)) {
                best.put(name.substring(BEST.length()), e.getValue());
            } else {
                throw new CheckpointException(file, "unexpected tensor '" + name + "': a checkpoint holds only model.*,"
                        + " optimizer.* and best.* tensors", null);
            }
        }
        try {
            return CheckpointJson.decode(state, model, buffers, best, meta);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CheckpointException(file, "its training state ('" + STATE_KEY + "') is damaged or incomplete: "
                    + e.getMessage(), e);
        }
    }
}

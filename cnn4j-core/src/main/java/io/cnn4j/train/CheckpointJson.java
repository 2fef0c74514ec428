package io.cnn4j.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.cnn4j.data.DataLoader;
import io.cnn4j.optim.OptimizerState;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JSON of a {@link Checkpoint}'s non-tensor state. Whole numbers are JSON numbers (read back exactly
 * as longs); doubles are strings holding the hex of their IEEE bits, since a decimal would not always
 * come back to the same double, and NaN has no JSON form at all.
 */
final class CheckpointJson {
    /** What a 64-bit whole number looks like in JSON; longer digit strings, fractions and exponents are refused. */
    private static final Pattern WHOLE = Pattern.compile("-?[0-9]{1,19}");

    private CheckpointJson() {
    }

    static String encode(Checkpoint c) {
        JsonObject root = new JsonObject();
        TrainingProgress p = c.progress();
        JsonObject progress = new JsonObject();
        progress.addProperty("step", p.step());
        progress.addProperty("epoch", p.epoch());
        progress.addProperty("in_epoch", p.inEpoch());
        progress.addProperty("epoch_first_step", p.epochFirstStep());
        progress.addProperty("loss_sum", bits(p.lossSum()));
        progress.addProperty("correct", p.correct());
        progress.addProperty("seen", p.seen());
        progress.addProperty("best_epoch", p.bestEpoch());
        progress.addProperty("best_accuracy", bits(p.bestAccuracy()));
        progress.addProperty("epochs_without_improvement", p.epochsWithoutImprovement());
        progress.addProperty("stopped_early", p.stoppedEarly());
        root.add("progress", progress);

        DataLoader.State d = c.data();
        JsonObject data = new JsonObject();
        data.addProperty("epoch", d.epoch());
        data.addProperty("position", d.position());
        data.add("epoch_start", generator(d.epochStart()));
        data.addProperty("dataset_size", d.datasetSize());
        data.addProperty("batch_size", d.batchSize());
        data.addProperty("shuffle", d.shuffle());
        root.add("data", data);

        JsonObject generators = new JsonObject();
        c.generators().forEach((name, state) -> generators.add(name, generator(state)));
        root.add("generators", generators);

        OptimizerState o = c.optimizer();
        JsonObject optimizer = new JsonObject();
        optimizer.addProperty("kind", o.kind());
        optimizer.addProperty("learning_rate", bits(o.learningRate()));
        optimizer.addProperty("momentum", bits(o.momentum()));
        JsonObject counters = new JsonObject();
        o.counters().forEach(counters::addProperty);
        optimizer.add("counters", counters);
        root.add("optimizer", optimizer);
        return root.toString();
    }

    static Checkpoint decode(String json, Map<String, Tensor> model, Map<String, float[]> buffers,
                             Map<String, Tensor> best, Map<String, String> metadata) {
        if (json == null) {
            throw new IllegalArgumentException("it is missing");
        }
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("it is not valid JSON (" + e.getMessage() + ")", e);
        }
        if (!parsed.isJsonObject()) {
            throw new IllegalArgumentException("it is not a JSON object");
        }
        JsonObject root = parsed.getAsJsonObject();
        JsonObject p = object(root, "progress");
        var progress = new TrainingProgress(count(p, "step"), index(p, "epoch"), flag(p, "in_epoch"),
                count(p, "epoch_first_step"), real(p, "loss_sum"), count(p, "correct"), count(p, "seen"),
                index(p, "best_epoch"), real(p, "best_accuracy"), index(p, "epochs_without_improvement"),
                flag(p, "stopped_early"));
        JsonObject d = object(root, "data");
        var data = new DataLoader.State(index(d, "epoch"), index(d, "position"), generator(object(d, "epoch_start")),
                index(d, "dataset_size"), index(d, "batch_size"), flag(d, "shuffle"));
        Map<String, Rng.State> generators = new LinkedHashMap<>();
        JsonObject g = object(root, "generators");
        g.keySet().forEach(name -> generators.put(name, generator(object(g, name))));
        JsonObject o = object(root, "optimizer");
        Map<String, Long> counters = new LinkedHashMap<>();
        JsonObject c = object(o, "counters");
        c.keySet().forEach(name -> counters.put(name, count(c, name)));
        double learningRate = real(o, "learning_rate");
        if (!(learningRate >= 0)) {
            throw new IllegalArgumentException("'learning_rate' must be >= 0, got " + learningRate);
        }
        var optimizer = new OptimizerState(text(o, "kind"), learningRate, real(o, "momentum"), counters, buffers);
        return new Checkpoint(model, optimizer, data, generators, progress, best, metadata);
    }

    private static JsonObject generator(Rng.State state) {
        JsonObject g = new JsonObject();
        g.addProperty("seed", state.seed());
        g.addProperty("spare_gaussian", bits(state.spareGaussian()));
        return g;
    }

    private static Rng.State generator(JsonObject g) {
        double spare = real(g, "spare_gaussian");
        if (Double.isInfinite(spare)) {
            throw new IllegalArgumentException("'spare_gaussian' must be a finite number or NaN (none), got " + spare);
        }
        return new Rng.State(whole(g, "seed"), spare);
    }

    private static String bits(double v) {
        return Long.toHexString(Double.doubleToRawLongBits(v));
    }

    private static JsonElement member(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("'" + key + "' is missing");
        }
        return e;
    }

    private static JsonObject object(JsonObject o, String key) {
        JsonElement e = member(o, key);
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("'" + key + "' is not an object");
        }
        return e.getAsJsonObject();
    }

    /**
     * A whole number exactly as written: Gson would round {@code 1.5} down and wrap {@code 1e30} around
     * without a word.
     */
    private static long whole(JsonObject o, String key) {
        JsonElement e = member(o, key);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            String digits = e.getAsString();
            if (WHOLE.matcher(digits).matches()) {
                try {
                    return Long.parseLong(digits);
                } catch (NumberFormatException tooLarge) {
                    // reported below
                }
            }
        }
        String shown = e.toString();
        throw new IllegalArgumentException("'" + key + "' is not a whole number that fits in 64 bits: "
                + (shown.length() > 40 ? shown.substring(0, 40) + "..." : shown));
    }

    /** A counter: a whole number, not negative. */
    private static long count(JsonObject o, String key) {
        long value = whole(o, key);
        if (value < 0) {
            throw new IllegalArgumentException("'" + key + "' must be >= 0, got " + value);
        }
        return value;
    }

    /** A counter that is an int in the trainer and the loader: epochs, batches, images. */
    private static int index(JsonObject o, String key) {
        long value = count(o, key);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + key + "' must be <= " + Integer.MAX_VALUE + ", got " + value);
        }
        return (int) value;
    }

    private static double real(JsonObject o, String key) {
        try {
            return Double.longBitsToDouble(Long.parseUnsignedLong(text(o, key), 16));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' is not the hex of a double", e);
        }
    }

    private static boolean flag(JsonObject o, String key) {
        JsonElement e = member(o, key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new IllegalArgumentException("'" + key + "' is not true or false");
        }
        return e.getAsBoolean();
    }

    private static String text(JsonObject o, String key) {
        JsonElement e = member(o, key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException("'" + key + "' is not a string");
        }
        return e.getAsString();
    }
}

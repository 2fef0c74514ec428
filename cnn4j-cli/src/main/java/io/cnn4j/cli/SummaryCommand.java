package io.cnn4j.cli;

import io.cnn4j.io.ModelDescription;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cnn4j summary}: a layer table with output shapes and parameter counts, like Keras' {@code model.summary()}. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print a model's layers with their output shapes and parameter counts.")
final class SummaryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    ModelChoice choice;

    @Option(names = "--input-shape", paramLabel = "C,H,W", split = ",", defaultValue = "1,28,28",
            description = "Shape of one input image (default: ${DEFAULT-VALUE}).")
    int[] inputShape;

    @Option(names = "--write-config", paramLabel = "FILE",
            description = "Also write the model's description as JSON, for --model-config (to edit or train as it is).")
    Path writeConfig;

    private record Row(String name, String layer, Shape output, int params) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Module model = choice.load();
        if (inputShape.length != 3) {
            throw new IllegalArgumentException("--input-shape needs three numbers C,H,W, got " + inputShape.length);
        }
        List<Row> rows = new ArrayList<>();
        List<Runnable> removers = new ArrayList<>();
        walk("", model, (name, layer) -> removers.add(layer.addForwardHook((m, in, y) ->
                rows.add(new Row(name, m.toString(), y.shape(), ownParameters(m))))));
        Shape input = Shape.of(1, inputShape[0], inputShape[1], inputShape[2]);
        try (var ignored = GradMode.noGrad()) {
            model.eval().forward(Tensor.zeros(input));
        } finally {
            removers.forEach(Runnable::run);
        }
        out.printf(Locale.ROOT, "Model: %s    input: [N, %d, %d, %d]%n", choice.label(), inputShape[0], inputShape[1], inputShape[2]);
        // Columns as wide as their longest entry (names of layers inside blocks, such as 5.shortcut.0, run long).
        int nameWidth = Math.max(6, rows.stream().mapToInt(r -> r.name().length()).max().orElse(0));
        int layerWidth = Math.max(46, rows.stream().mapToInt(r -> r.layer().length()).max().orElse(0));
        String format = "%-" + nameWidth + "s %-" + layerWidth + "s %-22s %";
        String rule = "-".repeat(nameWidth + layerWidth + 36);
        out.println(rule);
        out.printf(Locale.ROOT, format + "12s%n", "name", "layer", "output shape", "params");
        out.println(rule.replace('-', '='));
        for (Row r : rows) {
            out.printf(Locale.ROOT, format + ",12d%n", r.name(), r.layer(), "[N" + r.output().toString().substring(2),
                    r.params());
        }
        out.println(rule.replace('-', '='));
        int total = model.parameterCount();
        out.printf(Locale.ROOT, "Total params: %,d (%s)%nTrainable params: %,d%n", total, megabytes(total), total);
        if (writeConfig != null) {
            ModelDescription.write(writeConfig, model.config());
            out.printf(Locale.ROOT, "config: %s%n", writeConfig);
        }
        return 0;
    }

    /** Calls {@code visit} on every leaf module (one without children), with its dotted name. */
    private static void walk(String prefix, Module m, java.util.function.BiConsumer<String, Module> visit) {
        Map<String, Module> children = m.children();
        if (children.isEmpty()) {
            visit.accept(prefix.isEmpty() ? "-" : prefix, m);
            return;
        }
        children.forEach((name, child) -> walk(prefix.isEmpty() ? name : prefix + "." + name, child, visit));
    }

    private static int ownParameters(Module m) {
        return m.children().isEmpty() ? m.parameterCount() : 0;
    }

    private static String megabytes(int params) {
        return String.format(Locale.ROOT, "%.2f MB as float32", params * 4 / 1e6);
    }
}

package io.cnn4j.cli;

import io.cnn4j.data.InputSpec;
import io.cnn4j.io.ModelFile;
import io.cnn4j.io.SafeTensors;
import io.cnn4j.io.SafeTensorsHeader;
import io.cnn4j.io.SavedModel;
import io.cnn4j.io.TensorInfo;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one way a command reads the model it runs: a complete model file, whose architecture and input it
 * records ({@link ModelFile#read}), or a file of weights alone, as PyTorch saves a {@code state_dict}, loaded
 * into the architecture {@code --model} or {@code --model-config} names (its tensors named as cnn4j names
 * them or as the same layers of a PyTorch class; see {@link ModelFile#loadWeightsInto}).
 */
final class ModelSource {
    private ModelSource() {
    }

    /**
     * The model in {@code file} and, in its metadata, the input it takes: a complete file's own, or for weights
     * alone what {@code input} gives or the file records, the image shape defaulting to {@code fallback}
     * (null: refused, naming --input) and the classes to as many as the weights' last layer gives.
     */
    static SavedModel read(Path file, ModelChoice architecture, InputOptions input, Shape fallback, boolean allowNonFinite)
            throws IOException {
        if (!architecture.given()) {
            SavedModel saved = ModelFile.read(file, allowNonFinite);
            if (input.given()) {
                throw new IllegalArgumentException(input.first() + " says what a model built from weights alone takes, and "
                        + file + " is a complete model that records its own input: leave " + input.first() + " out");
            }
            return saved;
        }
        SafeTensorsHeader header = SafeTensors.readHeader(file);
        InputSpec spec = input.resolve(file, header.metadata(), fallback, image -> classes(file, architecture, image, header));
        SavedModel saved = read(file, architecture, spec.shape(), spec.classes(), allowNonFinite);
        Map<String, String> metadata = new LinkedHashMap<>();
        if (architecture.name != null) {
            metadata.put(ModelFile.MODEL_NAME_KEY, architecture.name);
        }
        spec.toMetadata(metadata);
        return new SavedModel(saved.model(), metadata);
    }

    /**
     * The weights alone in {@code file} loaded into the architecture {@code architecture} names, built for images
     * of {@code image} and {@code classes} classes (a command's data says them), with the file's metadata.
     */
    static SavedModel read(Path file, ModelChoice architecture, Shape image, int classes, boolean allowNonFinite)
            throws IOException {
        Module model = architecture.build(image, classes);
        ModelFile.loadWeightsInto(file, model, allowNonFinite);
        return new SavedModel(model, SafeTensors.readHeader(file).metadata());
    }

    /**
     * The classes the model tells apart as far as its weights show it: a description's own; for a built-in
     * model, the rows of the one tensor in the file shaped as its classifier's weight, {@code [classes, F]}
     * (refused, naming --classes, when none or several are); 0 for a description that gives no scores.
     */
    private static int classes(Path file, ModelChoice architecture, Shape image, SafeTensorsHeader header)
            throws IOException {
        Integer described = architecture.describedClasses(image);
        if (described != null || architecture.name == null) {
            return described == null ? 0 : described;
        }
        int probe = 2;
        List<Tensor> matrices = Models.create(architecture.name, image, probe).stateDict().values().stream()
                .filter(t -> t.shape().rank() == 2).toList();
        long features = matrices.getLast().dim(1);
        Set<Long> rows = header.tensors().stream().map(TensorInfo::shape)
                .filter(s -> s.size() == 2 && s.get(1) == features && s.get(0) <= Integer.MAX_VALUE)
                .map(s -> s.get(0)).collect(Collectors.toSet());
        if (rows.size() != 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s holds %s tensor shaped [N, %d], as the last"
                    + " layer's weight of model '%s' for %s images is, which would say how many classes it tells apart:"
                    + " give --classes N (and check that the weights are %s's)", file, rows.isEmpty() ? "no" : "more than one",
                    features, architecture.name, InputSpec.format(image), architecture.name));
        }
        return rows.iterator().next().intValue();
    }
}

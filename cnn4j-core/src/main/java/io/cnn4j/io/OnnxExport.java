package io.cnn4j.io;

import io.cnn4j.data.InputSpec;
import io.cnn4j.data.Normalize;
import io.cnn4j.nn.LayerRegistry;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.OnnxScope;
import io.cnn4j.onnx.GraphBuilder;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.onnx.OnnxFile;
import io.cnn4j.onnx.OnnxModel;
import io.cnn4j.onnx.OpsetId;
import io.cnn4j.onnx.ValueInfo;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Exports a model to ONNX (opset 17), for ONNX Runtime and every other runtime that reads the format.
 * Each layer becomes the nodes its {@link io.cnn4j.nn.LayerType} declares; the file's graph input
 * {@code input} is a batch of images {@code [batch, C, H, W]} of pixels in [0, 1], the batch size left
 * open, and its output {@code logits} is {@code [batch, classes]} ({@code probabilities} with
 * {@link #withSoftmax()}). The model's input normalisation is folded in as the graph's first two nodes,
 * {@code Sub(input, cnn4j.normalize.mean)} and {@code Div(..., cnn4j.normalize.std)}, so a caller feeds
 * plain pixels. Parameters keep their cnn4j (and PyTorch) names, {@code features.0.weight}; the input
 * shape, class names, preprocessing and normalisation are in the model's metadata_props under the keys of
 * {@link InputSpec}. Batch norm is written in its inference form, and dropout not at all.
 *
 * {@snippet :
 * OnnxExport.of(ModelFile.read(Path.of("model.safetensors"))).write(Path.of("model.onnx"));
 * }
 */
public final class OnnxExport {
    /** The ONNX operator set the exported graphs use. */
    public static final long OPSET = 17;
    /** The graph input's name. */
    public static final String INPUT = "input";
    /** The graph output's name: the model's scores. */
    public static final String LOGITS = "logits";
    /** The graph output's name with {@link #withSoftmax()}. */
    public static final String PROBABILITIES = "probabilities";
    /** The initializers the folded-in normalisation subtracts and divides by, each {@code [1, C, 1, 1]}. */
    public static final String MEAN = "cnn4j.normalize.mean";
    public static final String STD = "cnn4j.normalize.std";

    private final Module model;
    private final InputSpec input;
    private final String modelName;
    private final boolean softmax;
    private final LayerRegistry layers;

    private OnnxExport(Module model, InputSpec input, String modelName, boolean softmax, LayerRegistry layers) {
        this.model = Objects.requireNonNull(model, "model");
        this.input = Objects.requireNonNull(input, "input");
        this.modelName = modelName;
        this.softmax = softmax;
        this.layers = Objects.requireNonNull(layers, "layers");
    }

    /** The export of {@code model}, which takes images as {@code input} describes and scores its classes. */
    public static OnnxExport of(Module model, InputSpec input) {
        return new OnnxExport(model, input, null, false, LayerRegistry.builtIn());
    }

    /**
     * The export of a model read from a model file, with the input its metadata records (Fashion-MNIST's
     * for a file that records none) and its name.
     *
     * @throws IllegalArgumentException when the metadata describing the input is damaged
     */
    public static OnnxExport of(SavedModel saved) {
        return new OnnxExport(saved.model(), InputSpec.fromMetadata(saved.metadata()), saved.modelName(), false,
                LayerRegistry.builtIn());
    }

    /** This export with a final Softmax over the classes: the output is {@code probabilities}. */
    public OnnxExport withSoftmax() {
        return new OnnxExport(model, input, modelName, true, layers);
    }

    /** This export for a model that may hold layers of the types of {@code layers}, each exported as its type says. */
    public OnnxExport withLayers(LayerRegistry layers) {
        return new OnnxExport(model, input, modelName, softmax, layers);
    }

    /**
     * The model as ONNX. The model is exported as it computes in evaluation mode; it is left in the mode
     * it was in.
     *
     * @throws IllegalArgumentException naming the first layer that cannot be exported (its path and type and
     *                                  why), or when the model does not give a score per class of the input
     */
    public OnnxModel toOnnx() {
        Shape image = input.shape();
        // [1, C, H, W] for pictures, [1, C, T, H, W] for clips; a channel's mean and deviation broadcast over the rest.
        int[] one = new int[image.rank() + 1];
        int[] perChannel = new int[image.rank() + 1];
        ValueInfo.Dim[] dims = new ValueInfo.Dim[image.rank() + 1];
        one[0] = 1;
        dims[0] = ValueInfo.Dim.named("batch");
        for (int d = 0; d < image.rank(); d++) {
            one[d + 1] = image.dim(d);
            perChannel[d + 1] = d == 0 ? image.dim(0) : 1;
            dims[d + 1] = ValueInfo.Dim.of(image.dim(d));
        }
        perChannel[0] = 1;
        Shape batch = Shape.of(one);
        GraphBuilder graph = new GraphBuilder(modelName == null ? "cnn4j" : modelName);
        String x = graph.input(INPUT, dims);
        Normalize normalize = input.normalize();
        if (normalize != null) {
            x = graph.node("/normalize/Sub", "Sub", List.of(x, graph.initializer(MEAN, Tensor.of(normalize.mean(), perChannel))));
            x = graph.node("/normalize/Div", "Div", List.of(x, graph.initializer(STD, Tensor.of(normalize.std(), perChannel))));
        }
        boolean training = model.isTraining();
        model.eval();
        Shape out;
        try {
            x = OnnxScope.export(model, layers, graph, x, batch);
            out = model.outputShape(batch);
        } finally {
            model.train(training);
        }
        if (!out.equals(Shape.of(1, input.classes()))) {
            throw new IllegalArgumentException("cannot export the model to ONNX: it gives outputs of shape " + out
                    + " for one image, but its input names " + input.classes() + " classes");
        }
        if (softmax) {
            x = graph.node("/Softmax", "Softmax", List.of(x), OnnxAttribute.of("axis", 1L));
        }
        graph.output(x, softmax ? PROBABILITIES : LOGITS, ValueInfo.Dim.named("batch"), ValueInfo.Dim.of(input.classes()));
        Map<String, String> metadata = new LinkedHashMap<>();
        input.toMetadata(metadata);
        if (modelName != null) {
            metadata.put(ModelFile.MODEL_NAME_KEY, modelName);
        }
        return new OnnxModel(OnnxFile.IR_VERSION, List.of(new OpsetId("", OPSET)), ModelFile.FORMAT,
                ModelFile.VERSION, graph.build(), metadata);
    }

    /** Writes the model as an ONNX file, replacing {@code file} atomically (as {@link ModelFile#save} does). */
    public void write(Path file) throws IOException {
        OutputFiles.replace(file, OnnxFile.encode(toOnnx()));
    }
}

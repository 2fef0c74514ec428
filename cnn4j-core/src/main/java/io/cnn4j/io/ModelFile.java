package io.cnn4j.io;

import io.cnn4j.limits.Counts;
import io.cnn4j.nn.LayerConfig;
import io.cnn4j.nn.LayerRegistry;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A complete saved model: one safetensors file holding the weights ({@link Module#stateDict()}, under
 * PyTorch's names) and, in its metadata, the architecture as a {@link ModelDescription}, so that
 * {@link #load} needs nothing else. The metadata holds:
 *
 * <pre>
 * format               "cnn4j"
 * cnn4j.version        the version that wrote the file
 * cnn4j.architecture   the model's config() as JSON
 * cnn4j.model_name     optional, e.g. "seed", when the caller passes it
 * </pre>
 *
 * <p>Counters among the buffers (batch norm's {@code num_batches_tracked}) are stored as int64, as PyTorch
 * keeps them, everything else as float32.
 *
 * <p>A file whose tensors hold NaN or infinities (the weights of a run that diverged) is refused when
 * loaded, naming the tensor and how many such values it holds: a model cannot compute with them, and its
 * predictions would come out NaN without a word. The overloads with {@code allowNonFinite} load it anyway,
 * for inspecting such a file.
 *
 * <p>The weights are an ordinary safetensors file, so PyTorch reads them with
 * {@code safetensors.torch.load_file} into the same {@code nn.Sequential}; the reverse direction, a
 * weights-only file from PyTorch, goes through {@link #loadWeightsInto}.
 *
 * <p>The readers also take an ONNX model file ({@link #isOnnx}): its graph becomes cnn4j's built-in layers
 * through {@link OnnxImport}, with the metadata a model file records for its input.
 *
 * <p>A model holding layers written outside cnn4j is saved and loaded with a {@link LayerRegistry} that
 * holds their types ({@code LayerRegistry.builtIn().with(Swish.TYPE)}), passed to the overloads that take one.
 *
 * {@snippet :
 * ModelFile.save(path, model, Map.of(ModelFile.MODEL_NAME_KEY, "seed"));
 * Module again = ModelFile.load(path);
 * }
 */
public final class ModelFile {
    public static final String FORMAT_KEY = "format";
    public static final String FORMAT = "cnn4j";
    public static final String VERSION_KEY = "cnn4j.version";
    public static final String VERSION = "0.1.0";
    public static final String ARCHITECTURE_KEY = "cnn4j.architecture";
    public static final String MODEL_NAME_KEY = "cnn4j.model_name";
    /** Values a model's architecture may describe beyond what its file holds before it is refused unbuilt (64 MB). */
    private static final long UNBACKED_VALUES = 1 << 24;
    private static final List<String> RESERVED = List.of(FORMAT_KEY, VERSION_KEY, ARCHITECTURE_KEY);

    private ModelFile() {
    }

    public static void save(Path file, Module model) throws IOException {
        save(file, model, Map.of());
    }

    /**
     * Saves the model's weights and architecture, replacing {@code file} atomically. {@code extraMetadata}
     * adds free-form strings, such as {@link #MODEL_NAME_KEY}; it may not set the keys this class writes.
     */
    public static void save(Path file, Module model, Map<String, String> extraMetadata) throws IOException {
        save(file, model, extraMetadata, LayerRegistry.builtIn());
    }

    /**
     * Like {@link #save(Path, Module, Map)}, for a model that may hold layers of the types of {@code layers};
     * a layer of a type it does not hold is refused, since the file could not be loaded.
     */
    public static void save(Path file, Module model, Map<String, String> extraMetadata, LayerRegistry layers) throws IOException {
        for (String key : RESERVED) {
            if (extraMetadata.containsKey(key)) {
                throw new IllegalArgumentException("extra metadata for " + file + " may not set '" + key
                        + "': ModelFile writes it itself");
            }
        }
        LayerConfig config = model.config();
        String unknown = unknownType(config, layers);
        if (unknown != null) {
            throw new ModelFileException(file, "cannot save the model's architecture: its layer type '" + unknown
                    + "' is not in the layer registry " + layers.names() + "; save and load it with a LayerRegistry"
                    + " that holds its LayerType (LayerRegistry.builtIn().with(type))");
        }
        String architecture = ModelDescription.toJson(config);
        try {
            // Refuse now what load() would refuse later: a file that cannot be loaded is worse than none.
            ModelDescription.parse(architecture, layers);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "cannot save the model's architecture: " + e.getMessage()
                    + "; SafeTensors.write can still save its weights alone", e);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(FORMAT_KEY, FORMAT);
        metadata.put(VERSION_KEY, VERSION);
        metadata.put(ARCHITECTURE_KEY, architecture);
        metadata.putAll(extraMetadata);
        Map<String, Dtype> dtypes = new LinkedHashMap<>();
        model.countBufferNames().forEach(name -> dtypes.put(name, Dtype.I64));
        SafeTensors.write(file, model.stateDict(), metadata, dtypes);
    }

    /** The first layer type in {@code config} that {@code layers} does not hold, or null. */
    private static String unknownType(LayerConfig config, LayerRegistry layers) {
        if (layers.find(config.type()).isEmpty()) {
            return config.type();
        }
        for (LayerConfig child : config.children()) {
            String unknown = unknownType(child, layers);
            if (unknown != null) {
                return unknown;
            }
        }
        return null;
    }

    /**
     * Rebuilds the saved model, architecture and weights; it starts in training mode, as a new model does.
     * Weights that are not all finite are refused.
     */
    public static Module load(Path file) throws IOException {
        return load(file, LayerRegistry.builtIn());
    }

    /** Like {@link #load(Path)}, for a model that may hold layers of the types of {@code layers}. */
    public static Module load(Path file, LayerRegistry layers) throws IOException {
        return read(file, false, layers).model();
    }

    /** Like {@link #load}, with the file's metadata. */
    public static SavedModel read(Path file) throws IOException {
        return read(file, false);
    }

    /** Like {@link #read(Path)}; with {@code allowNonFinite}, weights holding NaN or infinities are loaded as they are. */
    public static SavedModel read(Path file, boolean allowNonFinite) throws IOException {
        return read(file, allowNonFinite, LayerRegistry.builtIn());
    }

    /**
     * Like {@link #read(Path, boolean)}, for a model that may hold layers of the types of {@code layers}. An
     * ONNX file is imported into cnn4j's built-in layers ({@link OnnxImport#with} imports others).
     */
    public static SavedModel read(Path file, boolean allowNonFinite, LayerRegistry layers) throws IOException {
        if (isOnnx(file)) {
            SavedModel imported = OnnxImport.read(file);
            if (!allowNonFinite) {
                requireFinite(file, imported.model().stateDict());
            }
            return imported;
        }
        try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
            Map<String, String> metadata = reader.header().metadata();
            LayerConfig architecture = architecture(file, metadata, layers);
            checkHolds(file, architecture, reader.header(), layers);
            Module model = build(file, architecture, layers);
            fit(model, reader, allowNonFinite, false);
            return new SavedModel(model, metadata);
        }
    }

    /** The saved architecture alone, read from the header without loading any weights. */
    public static LayerConfig architecture(Path file) throws IOException {
        return architecture(file, LayerRegistry.builtIn());
    }

    /** Like {@link #architecture(Path)}, for a model that may hold layers of the types of {@code layers}. */
    public static LayerConfig architecture(Path file, LayerRegistry layers) throws IOException {
        if (isOnnx(file)) {
            return OnnxImport.read(file).model().config();
        }
        return architecture(file, SafeTensors.readHeader(file).metadata(), layers);
    }

    /**
     * The metadata of a model or weights file: a safetensors file's header metadata (its weights are not
     * read), or what {@link OnnxImport} records of an ONNX model.
     */
    public static Map<String, String> metadata(Path file) throws IOException {
        return isOnnx(file) ? OnnxImport.read(file).metadata() : SafeTensors.readHeader(file).metadata();
    }

    /**
     * Whether {@code file} holds an ONNX model rather than safetensors, by its content: safetensors begins
     * with an 8-byte header length and then an opening brace, ONNX (Protocol Buffers) with its IR version's
     * tag, byte 0x08. A file that is neither, or whose start is damaged, is taken by its name: ONNX when it
     * ends in {@code .onnx}, otherwise safetensors (so a damaged {@code .safetensors} file gets the
     * safetensors reader's account of what is wrong with it).
     */
    public static boolean isOnnx(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!Files.isRegularFile(file)) {
            return name.endsWith(".onnx"); // opened by neither here: a FIFO would block; the reader says what the path is
        }
        ByteBuffer start = ByteBuffer.allocate(9);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (start.hasRemaining() && channel.read(start) > 0) {
                // reads the first bytes, however the channel hands them over
            }
        } catch (IOException e) {
            return name.endsWith(".onnx");
        }
        if (start.position() == 9 && start.get(8) == '{' || name.endsWith(".safetensors")) {
            return false;
        }
        return name.endsWith(".onnx") || start.position() > 0 && start.get(0) == 0x08;
    }

    /**
     * Copies the weights in {@code file} into {@code model}, ignoring any architecture the file carries:
     * for weights trained elsewhere (PyTorch) or saved by an earlier run. Every tensor of the model must
     * be in the file with the same shape, and the file may hold no other. The file's names are the model's,
     * or those of the same layers in a PyTorch model written as a class ({@code features.0.weight} for
     * {@code 0.weight}; see {@link WeightNames}). Weights that are not all finite are refused.
     */
    public static void loadWeightsInto(Path file, Module model) throws IOException {
        loadWeightsInto(file, model, false);
    }

    /** Like {@link #loadWeightsInto(Path, Module)}; with {@code allowNonFinite}, NaN and infinities are loaded as they are. */
    public static void loadWeightsInto(Path file, Module model, boolean allowNonFinite) throws IOException {
        if (isOnnx(file)) {
            Map<String, Tensor> weights = OnnxImport.read(file).model().stateDict();
            fit(file, model, shapes(weights), () -> weights, allowNonFinite, true);
            return;
        }
        try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
            fit(model, reader, allowNonFinite, true);
        }
    }

    private static LayerConfig architecture(Path file, Map<String, String> metadata, LayerRegistry layers)
            throws ModelFileException {
        String json = metadata.get(ARCHITECTURE_KEY);
        if (json == null) {
            String format = metadata.get(FORMAT_KEY);
            throw new ModelFileException(file, "holds weights but no model architecture (no '" + ARCHITECTURE_KEY
                    + "' in its metadata" + (format == null ? "" : "; its format is '" + format + "'")
                    + ", as in weights exported from PyTorch): give the architecture they are for with --model NAME or"
                    + " --model-config FILE beside --model-file, or make a complete model file of them once with 'cnn4j"
                    + " import " + file + " --model NAME --input CxHxW --output model.safetensors'");
        }
        try {
            return ModelDescription.parse(json, layers);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "its architecture ('" + ARCHITECTURE_KEY + "') is invalid: "
                    + e.getMessage(), e);
        }
    }

    /** Builds the architecture, drawing no weights: the file's are loaded into it at once. */
    private static Module build(Path file, LayerConfig config, LayerRegistry layers) throws ModelFileException {
        try {
            return ModelDescription.build(config, layers);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "its architecture cannot be built: " + e.getMessage(), e);
        }
    }

    /**
     * A file whose architecture describes far more values than its tensors hold cannot be this model's: it
     * is refused before the model is built, so that a small file cannot make cnn4j allocate a large model
     * for nothing. A smaller difference is left to the tensor-by-tensor comparison, which names the tensor.
     */
    private static void checkHolds(Path file, LayerConfig architecture, SafeTensorsHeader header, LayerRegistry layers)
            throws ModelFileException {
        long described;
        try {
            described = ModelDescription.check(architecture, layers);
        } catch (IllegalArgumentException e) {
            return; // build() reports it, with its place in the description
        }
        long held = 0;
        for (TensorInfo t : header.tensors()) {
            held = Counts.sum(held, t.elementCount());
        }
        if (described > Counts.sum(held, UNBACKED_VALUES)) {
            throw new ModelFileException(file, String.format(Locale.ROOT, "its architecture ('%s') describes a model of"
                    + " %,d values but its tensors hold %,d: the weights are not this model's", ARCHITECTURE_KEY, described, held));
        }
    }

    /**
     * Loads the reader's tensors into {@code model}, matched to its own before any is read: by name in a model
     * file (whose names are its own architecture's), and also by order for weights from elsewhere.
     */
    private static void fit(Module model, SafeTensorsReader reader, boolean allowNonFinite, boolean byOrder)
            throws IOException {
        Map<String, List<Long>> held = new LinkedHashMap<>();
        reader.header().tensors().forEach(t -> held.put(t.name(), t.shape()));
        fit(reader.file(), model, held, reader::readAll, allowNonFinite, byOrder);
    }

    /** Where the weights come from, read only once their names and shapes ({@code held}) are known to fit. */
    private interface Weights {
        Map<String, Tensor> read() throws IOException;
    }

    private static Map<String, List<Long>> shapes(Map<String, Tensor> tensors) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> out.put(name, Arrays.stream(t.dims()).mapToObj(d -> (long) d).toList()));
        return out;
    }

    private static void fit(Path file, Module model, Map<String, List<Long>> held, Weights source, boolean allowNonFinite,
                            boolean byOrder) throws IOException {
        Map<String, List<Long>> wanted = shapes(model.stateDict());
        Map<String, String> names;
        try {
            names = WeightNames.match(wanted, held, byOrder);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "weights do not fit the model: " + e.getMessage(), e);
        }
        Map<String, Tensor> weights = source.read();
        if (!allowNonFinite) {
            requireFinite(file, weights);
        }
        Map<String, Tensor> renamed = new LinkedHashMap<>();
        names.forEach((mine, theirs) -> renamed.put(mine, weights.get(theirs)));
        try {
            model.loadStateDict(renamed);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, e.getMessage(), e);
        }
    }

    /** Refuses weights with NaN or infinities, naming the first tensor that holds some and how many. */
    private static void requireFinite(Path file, Map<String, Tensor> weights) throws ModelFileException {
        String first = null;
        int tensors = 0;
        for (var e : weights.entrySet()) {
            long nan = 0;
            long infinite = 0;
            for (float v : e.getValue().data()) {
                nan += Float.isNaN(v) ? 1 : 0;
                infinite += Float.isInfinite(v) ? 1 : 0;
            }
            if (nan + infinite > 0) {
                tensors++;
                first = first != null ? first : "tensor '" + e.getKey() + "' holds " + nan + " NaN and " + infinite
                        + " infinite values (of " + e.getValue().size() + ")";
            }
        }
        if (first != null) {
            throw new ModelFileException(file, first + (tensors > 1 ? ", and " + (tensors - 1) + " more tensor(s) hold"
                    + " some too" : "") + ": a model cannot compute with them (the weights of a run that diverged?);"
                    + " allow non-finite values (--allow-non-finite) to load them anyway");
        }
    }
}

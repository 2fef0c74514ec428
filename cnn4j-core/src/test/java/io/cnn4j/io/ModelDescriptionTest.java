package io.cnn4j.io;

import io.cnn4j.fuzz.HostileInput;
import io.cnn4j.limits.InputFileException;
import io.cnn4j.models.Models;
import io.cnn4j.nn.LayerConfig;
import io.cnn4j.nn.LayerRegistry;
import io.cnn4j.nn.LayerType;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.Sequential;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelDescriptionTest {
    private static final LayerRegistry LAYERS = LayerRegistry.builtIn();
    @TempDir
    Path dir;

    private static final String SEED_JSON = "{\"type\":\"Sequential\",\"children\":["
            + "{\"type\":\"Conv2d\",\"args\":{\"in_channels\":1,\"out_channels\":32,\"kernel_size\":5,\"stride\":1,"
            + "\"padding\":0,\"dilation\":1,\"groups\":1,\"bias\":true}},"
            + "{\"type\":\"ReLU\"},"
            + "{\"type\":\"MaxPool2d\",\"args\":{\"kernel_size\":2,\"stride\":2,\"padding\":0}},"
            + "{\"type\":\"Flatten\"},"
            + "{\"type\":\"Linear\",\"args\":{\"in_features\":4608,\"out_features\":10,\"bias\":true}}]}";

    @Test
    void seedModelAsJsonIsPinned() {
        assertEquals(SEED_JSON, ModelDescription.toJson(Models.seed().config()));
    }

    @Test
    void builtInModelsSurviveJsonUnchanged() {
        for (String name : Models.names()) {
            LayerConfig config = Models.create(name).config();
            assertEquals(config, ModelDescription.parse(ModelDescription.toJson(config)), name);
            assertEquals(config, ModelDescription.parse(ModelDescription.toPrettyJson(config)), name);
        }
    }

    @Test
    void wholeNumbersComeBackAsIntegersAndOtherNumbersAsDoubles() {
        LayerConfig c = ModelDescription.parse("{\"type\":\"Sequential\",\"children\":["
                + "{\"type\":\"Conv2d\",\"args\":{\"in_channels\":1,\"out_channels\":8.0,\"kernel_size\":3,\"padding\":\"Same\"}},"
                + "{\"type\":\"Dropout\",\"args\":{\"p\":0}},"
                + "{\"type\":\"LeakyReLU\",\"args\":{\"negative_slope\":0.2}}]}");
        Map<String, Object> conv = c.children().get(0).args();
        assertEquals(1, assertInstanceOf(Integer.class, conv.get("in_channels")));
        assertEquals(8, assertInstanceOf(Integer.class, conv.get("out_channels")));
        assertEquals("same", conv.get("padding"));
        assertEquals(0.0, assertInstanceOf(Double.class, c.children().get(1).args().get("p")));
        assertEquals(0.2, c.children().get(2).args().get("negative_slope"));
        // The same config the layers themselves report, so a saved description compares equal.
        assertEquals(LAYERS.build(c).config(), ModelDescription.parse(ModelDescription.toJson(LAYERS.build(c).config())));
    }

    @Test
    void everyLayerTypeAcceptsWhatItsModuleReports() {
        for (String name : LAYERS.names()) {
            LayerType type = LAYERS.find(name).orElseThrow();
            Map<String, Object> args = new LinkedHashMap<>();
            type.arguments().stream().filter(LayerType.Argument::required).forEach(arg -> args.put(arg.name(), 2));
            if (name.equals("Upsample")) {
                args.put("scale_factor", 2); // it takes a size or a scale factor, neither of them required alone
            }
            List<LayerConfig> children = type.minChildren() > 0 ? List.of(LayerConfig.of("Identity")) : List.of();
            LayerConfig reported = LAYERS.build(new LayerConfig(name, args, children)).config();
            // Parsing validates every argument against the type; it must accept what the module reports.
            assertEquals(name, reported.type());
            assertEquals(reported, ModelDescription.parse(ModelDescription.toJson(reported)), name);
        }
    }

    @Test
    void geluTakesPyTorchsWordsForItsApproximation() {
        LayerConfig tanh = ModelDescription.parse("{\"type\":\"GELU\",\"args\":{\"approximate\":\"tanh\"}}");
        assertEquals("GELU(approximate='tanh')", LAYERS.build(tanh).toString());
        LayerConfig fast = ModelDescription.parse("{\"type\":\"GELU\",\"args\":{\"approximate\":\"fast\"}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LAYERS.build(fast));
        assertEquals("GELU: approximate must be \"none\" or \"tanh\", got \"fast\"", e.getMessage());
        assertProblem("args.approximate must be a string, got 1", "{\"type\":\"GELU\",\"args\":{\"approximate\":1}}");
    }

    @Test
    void layerNormTakesOneSizeOrAListOfThem() {
        LayerConfig c = ModelDescription.parse("{\"type\":\"LayerNorm\",\"args\":{\"normalized_shape\":[3, 4]}}");
        Module norm = LAYERS.build(c);
        assertEquals("LayerNorm((3, 4), eps=1.0E-5, elementwise_affine=True)", norm.toString());
        assertArrayEquals(new int[] {3, 4}, norm.namedParameters().get("weight").dims());
        assertEquals(norm.config(), ModelDescription.parse(ModelDescription.toJson(norm.config())));
        assertEquals("LayerNorm((8,), eps=1.0E-5, elementwise_affine=True)",
                LAYERS.build(ModelDescription.parse("{\"type\":\"LayerNorm\",\"args\":{\"normalized_shape\":8}}")).toString());
        assertProblem("args.normalized_shape must be a whole number or a list of whole numbers, got a list",
                "{\"type\":\"LayerNorm\",\"args\":{\"normalized_shape\":[3, 2.5]}}");
    }

    @Test
    void convolutionsTakeRectangularKernelsStridesPaddingsAndDilations() {
        LayerConfig c = ModelDescription.parse("{\"type\":\"Conv2d\",\"args\":{\"in_channels\":2,\"out_channels\":4,"
                + "\"kernel_size\":[1, 3],\"stride\":[2, 1],\"padding\":[0, 1],\"dilation\":[1, 2]}}");
        Module conv = LAYERS.build(c);
        assertEquals("Conv2d(2, 4, kernel_size=(1, 3), stride=(2, 1), padding=(0, 1), dilation=(1, 2))", conv.toString());
        assertArrayEquals(new int[] {4, 2, 1, 3}, conv.namedParameters().get("weight").dims());
        assertArrayEquals(new int[] {5, 4, 5, 6}, conv.outputShape(Shape.of(5, 2, 9, 8)).dims());
        assertEquals(conv.config(), ModelDescription.parse(ModelDescription.toJson(conv.config())));
        // A square setting stays one number, so the descriptions of existing models do not change.
        assertEquals(3, LAYERS.build(ModelDescription.parse("{\"type\":\"Conv2d\",\"args\":{\"in_channels\":1,"
                + "\"out_channels\":1,\"kernel_size\":[3, 3]}}")).config().args().get("kernel_size"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LAYERS.build(ModelDescription.parse(
                "{\"type\":\"Conv2d\",\"args\":{\"in_channels\":1,\"out_channels\":1,\"kernel_size\":[1, 2, 3]}}")));
        assertEquals("Conv2d: kernel_size takes one number or two (rows, columns), got [1, 2, 3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LAYERS.build(ModelDescription.parse(
                "{\"type\":\"Conv2d\",\"args\":{\"in_channels\":1,\"out_channels\":1,\"kernel_size\":3,\"padding\":[1, 2, 3]}}")));
        assertEquals("Conv2d: padding takes one number or two (rows, columns), got [1, 2, 3]", e.getMessage());
    }

    @Test
    void adaptivePoolingTakesAnyOutputSize() {
        Module avg = LAYERS.build(ModelDescription.parse("{\"type\":\"AdaptiveAvgPool2d\",\"args\":{\"output_size\":[3, 4]}}"));
        assertEquals("AdaptiveAvgPool2d(output_size=(3, 4))", avg.toString());
        assertArrayEquals(new int[] {2, 5, 3, 4}, avg.outputShape(Shape.of(2, 5, 7, 9)).dims());
        assertEquals(avg.config(), ModelDescription.parse(ModelDescription.toJson(avg.config())));
        Module max = LAYERS.build(ModelDescription.parse("{\"type\":\"AdaptiveMaxPool2d\",\"args\":{\"output_size\":1}}"));
        assertEquals("AdaptiveMaxPool2d(output_size=1)", max.toString());
        assertEquals(1, max.config().args().get("output_size"));
    }

    @Test
    void poolingTakesRectangularWindowsAndCeilMode() {
        Module pool = LAYERS.build(ModelDescription.parse("{\"type\":\"MaxPool2d\",\"args\":{\"kernel_size\":[3, 2],"
                + "\"stride\":[2, 3],\"padding\":[1, 0],\"ceil_mode\":true}}"));
        assertEquals("MaxPool2d(kernel_size=(3, 2), stride=(2, 3), padding=(1, 0), ceil_mode=True)", pool.toString());
        assertArrayEquals(new int[] {2, 2, 4, 3}, pool.outputShape(Shape.of(2, 2, 7, 8)).dims());
        assertEquals(pool.config(), ModelDescription.parse(ModelDescription.toJson(pool.config())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LAYERS.build(ModelDescription.parse(
                "{\"type\":\"AvgPool2d\",\"args\":{\"kernel_size\":[2, 4],\"padding\":[0, 3]}}")));
        assertEquals("AvgPool2d: padding (0, 3) must be at most half of kernel_size (2, 4) (as in PyTorch)", e.getMessage());
    }

    @Test
    void upsampleTakesPyTorchsArguments() {
        Module up = LAYERS.build(ModelDescription.parse("{\"type\":\"Upsample\",\"args\":{\"scale_factor\":[2, 3],"
                + "\"mode\":\"bilinear\",\"align_corners\":true}}"));
        assertEquals("Upsample(scale_factor=(2, 3), mode='bilinear', align_corners=True)", up.toString());
        assertArrayEquals(new int[] {1, 4, 6, 15}, up.outputShape(Shape.of(1, 4, 3, 5)).dims());
        assertEquals(up.config(), ModelDescription.parse(ModelDescription.toJson(up.config())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LAYERS.build(ModelDescription.parse(
                "{\"type\":\"Upsample\",\"args\":{\"scale_factor\":2,\"align_corners\":true}}")));
        assertEquals("Upsample: align_corners applies to mode \"bilinear\" only (as in PyTorch)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LAYERS.build(ModelDescription.parse("{\"type\":\"Upsample\"}")));
        assertEquals("Upsample: give either size or scale_factor, not neither", e.getMessage());
    }

    @Test
    void convTranspose2dTakesPyTorchsArguments() {
        Module up = LAYERS.build(ModelDescription.parse("{\"type\":\"ConvTranspose2d\",\"args\":{\"in_channels\":32,"
                + "\"out_channels\":16,\"kernel_size\":3,\"stride\":2,\"padding\":1,\"output_padding\":1}}"));
        assertEquals("ConvTranspose2d(32, 16, kernel_size=3, stride=2, padding=1, output_padding=1)", up.toString());
        assertEquals(Shape.of(5, 16, 14, 14), up.outputShape(Shape.of(5, 32, 7, 7)));
        assertEquals(up.config(), ModelDescription.parse(ModelDescription.toJson(up.config())));
        assertEquals(List.of("weight", "bias"), List.copyOf(up.stateDict().keySet()));
        assertEquals(Shape.of(32, 16, 3, 3), up.stateDict().get("weight").shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LAYERS.build(ModelDescription.parse(
                "{\"type\":\"ConvTranspose2d\",\"args\":{\"in_channels\":4,\"out_channels\":4,\"kernel_size\":3,"
                + "\"output_padding\":1}}")));
        assertEquals("ConvTranspose2d: output_padding 1 must be smaller than either stride 1 or dilation 1 (as in PyTorch)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> up.outputShape(Shape.of(5, 8, 7, 7)));
        assertEquals("ConvTranspose2d(32, 16, kernel_size=3, stride=2, padding=1, output_padding=1) expects input [N, 32, H, W],"
                + " got [5, 8, 7, 7]", e.getMessage());
        Module cut = LAYERS.build(ModelDescription.parse("{\"type\":\"ConvTranspose2d\",\"args\":{\"in_channels\":1,"
                + "\"out_channels\":1,\"kernel_size\":1,\"padding\":[1, 0]}}"));
        e = assertThrows(IllegalArgumentException.class, () -> cut.outputShape(Shape.of(1, 1, 2, 2)));
        assertEquals("ConvTranspose2d(1, 1, kernel_size=1, padding=(1, 0)): input 2x2 gives an empty output 0x2"
                + " (the padding cuts more than the kernel adds)", e.getMessage());
    }

    @Test
    void batchNormMomentumNullIsACumulativeAverageAndNullIsRefusedWhereItMeansNothing() {
        Module bn = LAYERS.build(ModelDescription.parse("{\"type\":\"BatchNorm2d\",\"args\":{\"num_features\":8,"
                + "\"momentum\":null}}"));
        assertEquals("BatchNorm2d(8, momentum=None)", bn.toString());
        assertEquals("{\"type\":\"BatchNorm2d\",\"args\":{\"num_features\":8,\"eps\":1.0E-5,\"momentum\":null,"
                + "\"affine\":true,\"track_running_stats\":true}}", ModelDescription.toJson(bn.config()));
        assertEquals(bn.config(), ModelDescription.parse(ModelDescription.toJson(bn.config())));
        assertEquals("BatchNorm1d(8)", LAYERS.build(ModelDescription.parse(
                "{\"type\":\"BatchNorm1d\",\"args\":{\"num_features\":8}}")).toString());
        assertProblem("args.eps must be a number, got null",
                "{\"type\":\"BatchNorm2d\",\"args\":{\"num_features\":8,\"eps\":null}}");
        assertProblem("args.kernel_size must be a whole number or a list of whole numbers, got null",
                "{\"type\":\"MaxPool2d\",\"args\":{\"kernel_size\":null}}");
    }

    @Test
    void errorsNameTheirPlaceInTheJson() {
        assertProblem("children[3].args.kernel_size must be a whole number or a list of whole numbers, got 2.5", seedWith(3,
                "{\"type\":\"MaxPool2d\",\"args\":{\"kernel_size\":2.5}}"));
        assertProblem("children[1].type 'Conv4d' is not a layer type; known types: " + LAYERS.names(),
                seedWith(1, "{\"type\":\"Conv4d\"}"));
        assertProblem("children[0].args.strid is not an argument of Conv2d; it takes in_channels, out_channels,"
                + " kernel_size, stride, padding, dilation, groups, bias",
                seedWith(0, "{\"type\":\"Conv2d\",\"args\":{\"in_channels\":1,\"out_channels\":2,\"kernel_size\":3,\"strid\":2}}"));
        assertProblem("children[4].args needs 'out_features' (Linear requires in_features, out_features)",
                seedWith(4, "{\"type\":\"Linear\",\"args\":{\"in_features\":4}}"));
        assertProblem("children[4].args.bias must be true or false, got the string \"no\"",
                seedWith(4, "{\"type\":\"Linear\",\"args\":{\"in_features\":4,\"out_features\":2,\"bias\":\"no\"}}"));
        assertProblem("children[0].args.padding must be a whole number, a list of them, \"same\" or \"valid\", got the string \"sane\"",
                seedWith(0, "{\"type\":\"Conv2d\",\"args\":{\"in_channels\":1,\"out_channels\":2,\"kernel_size\":3,\"padding\":\"sane\"}}"));
        assertProblem("children[1].args.negative_slope is not an argument of ReLU; ReLU takes none",
                seedWith(1, "{\"type\":\"ReLU\",\"args\":{\"negative_slope\":0.1}}"));
        assertProblem("children[2].children: MaxPool2d is not a container and cannot have children",
                seedWith(2, "{\"type\":\"MaxPool2d\",\"args\":{\"kernel_size\":2},\"children\":[{\"type\":\"ReLU\"}]}"));
        assertProblem("children[2].kernel_size is not part of a layer description (a layer has type, args, children)",
                seedWith(2, "{\"type\":\"MaxPool2d\",\"kernel_size\":2}"));
        assertProblem("children[1].children[0].type is missing: every layer needs one of " + LAYERS.names(),
                "{\"type\":\"Sequential\",\"children\":[{\"type\":\"ReLU\"},{\"type\":\"Sequential\",\"children\":[{}]}]}");
        assertProblem("children[0].args.kernel_size is 3000000000, outside the range of a whole-number argument",
                seedWith(0, "{\"type\":\"Conv2d\",\"args\":{\"in_channels\":1,\"out_channels\":2,\"kernel_size\":3e9}}"));
        assertProblem("children must be a list of layers, got an object", "{\"type\":\"Sequential\",\"children\":{}}");
        assertProblem("the model description must be an object with a \"type\", got a list", "[]");
        assertProblem("children[0].args has the key 'stride' twice",
                "{\"type\":\"Sequential\",\"children\":[{\"type\":\"MaxPool2d\",\"args\":{\"kernel_size\":2,\"stride\":1,\"stride\":2}}]}");
        assertProblem("the model description is not valid JSON at line 2 column 16", "{\"type\":\"Sequential\",\n \"children\": [,]}");
    }

    @Test
    void blocksAndTheirErrors() {
        String block = "{\"type\":\"Sequential\",\"children\":["
                + "{\"type\":\"Residual\",\"children\":["
                + "{\"type\":\"Sequential\",\"children\":[{\"type\":\"Conv2d\",\"args\":{\"in_channels\":4,\"out_channels\":4,"
                + "\"kernel_size\":3,\"padding\":1,\"groups\":4,\"bias\":false}},{\"type\":\"BatchNorm2d\",\"args\":{\"num_features\":4}}]}]},"
                + "{\"type\":\"ReLU\"},"
                + "{\"type\":\"Concat\",\"children\":[{\"type\":\"Identity\"},{\"type\":\"Dropout2d\",\"args\":{\"p\":0.1}}]},"
                + "{\"type\":\"AdaptiveAvgPool2d\",\"args\":{\"output_size\":1}},{\"type\":\"Flatten\"},"
                + "{\"type\":\"BatchNorm1d\",\"args\":{\"num_features\":8,\"eps\":0.001,\"momentum\":0.01,\"affine\":false,"
                + "\"track_running_stats\":true}}]}";
        Module m = ModelDescription.build(ModelDescription.parse(block));
        assertEquals(List.of("0.body.0.weight", "0.body.1.weight", "0.body.1.bias", "0.body.1.running_mean",
                "0.body.1.running_var", "0.body.1.num_batches_tracked", "5.running_mean", "5.running_var",
                "5.num_batches_tracked"), List.copyOf(m.stateDict().keySet()));
        assertEquals(m.config(), ModelDescription.parse(ModelDescription.toJson(m.config())));

        assertProblem("children[0].children holds 3 layers but Residual takes 1 or 2 layers: the body, then an optional"
                + " shortcut (the identity without one)",
                "{\"type\":\"Sequential\",\"children\":[{\"type\":\"Residual\",\"children\":[{\"type\":\"ReLU\"},"
                        + "{\"type\":\"ReLU\"},{\"type\":\"ReLU\"}]}]}");
        assertProblem("children holds 0 layers but Concat takes one layer or more: the branches whose outputs are"
                + " concatenated", "{\"type\":\"Concat\"}");
        assertProblem("children[0].args.momentun is not an argument of BatchNorm2d; it takes num_features, eps, momentum,"
                + " affine, track_running_stats",
                "{\"type\":\"Sequential\",\"children\":[{\"type\":\"BatchNorm2d\",\"args\":{\"num_features\":4,\"momentun\":0.1}}]}");
        assertProblem("children[0].children[0].args needs 'num_features' (BatchNorm1d requires num_features)",
                "{\"type\":\"Sequential\",\"children\":[{\"type\":\"Residual\",\"children\":[{\"type\":\"BatchNorm1d\"}]}]}");
        assertProblem("args.output_size must be a whole number or a list of whole numbers, got the string \"1\"",
                "{\"type\":\"AdaptiveAvgPool2d\",\"args\":{\"output_size\":\"1\"}}");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelDescription.build(
                ModelDescription.parse("{\"type\":\"Residual\",\"children\":[{\"type\":\"Conv2d\",\"args\":{\"in_channels\":4,"
                        + "\"out_channels\":6,\"kernel_size\":1,\"groups\":4}}]}")));
        assertEquals("children[0] (Conv2d): Conv2d: groups=4 must divide in_channels=4 and out_channels=6", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelDescription.build(
                ModelDescription.parse("{\"type\":\"BatchNorm2d\",\"args\":{\"num_features\":4,\"eps\":-1}}")));
        assertEquals("the model description (BatchNorm2d): BatchNorm: eps must be a positive number, got -1.0", e.getMessage());
    }

    @Test
    void buildNamesTheLayerThatCannotBeBuilt() {
        LayerConfig c = ModelDescription.parse(seedWith(0,
                "{\"type\":\"Conv2d\",\"args\":{\"in_channels\":1,\"out_channels\":32,\"kernel_size\":5,\"groups\":3}}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelDescription.build(c));
        assertEquals("children[0] (Conv2d): Conv2d: groups=3 must divide in_channels=1 and out_channels=32", e.getMessage());
    }

    @Test
    void buildGivesTheSameModelAsLayersFromConfig() {
        Module built = ModelDescription.build(ModelDescription.parse(SEED_JSON));
        assertInstanceOf(Sequential.class, built);
        assertEquals(Models.seed().toString(), built.toString());
    }

    /** The JSON models that docs/RECIPES.md trained, with the parameter counts it quotes for them. */
    @Test
    void theDocumentedModelFilesBuildWithTheirDocumentedSizes() throws IOException {
        Path models = Path.of("..", "docs", "models");
        Map<String, Integer> documented = Map.of("resnet3.json", 308_074, "resnet3-w24.json", 173_842,
                "resnet3-w16.json", 77_754, "resnet3-16-48-96.json", 164_122);
        try (var files = Files.list(models)) {
            assertEquals(documented.keySet(), files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()));
        }
        for (var e : documented.entrySet()) {
            assertEquals((long) e.getValue(), ModelDescription.build(ModelDescription.read(models.resolve(e.getKey()))).parameterCount(),
                    e.getKey());
        }
        assertEquals(Models.resnet3().toString(), ModelDescription.build(ModelDescription.read(models.resolve("resnet3.json"))).toString());
    }

    @Test
    void fileRoundTripAndErrorsNameTheFile() throws IOException {
        Path file = dir.resolve("net.json");
        LayerConfig lenet = Models.lenet5().config();
        ModelDescription.write(file, lenet);
        assertTrue(Files.readString(file).contains("\n  \"children\": ["), "indented for people");
        assertEquals(lenet, ModelDescription.read(file));
        Files.writeString(file, "\uFEFF" + SEED_JSON);
        assertEquals(Models.seed().config(), ModelDescription.read(file), "a byte-order mark is skipped");

        Files.writeString(file, seedWith(3, "{\"type\":\"MaxPool2d\",\"args\":{\"kernel_size\":2.5}}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelDescription.read(file));
        assertEquals(file + ": children[3].args.kernel_size must be a whole number or a list of whole numbers, got 2.5", e.getMessage());
    }

    @Test
    void numbersAndNestingThatJavaCannotHoldAreNamed() {
        assertProblem("the model description is not JSON cnn4j can read: the number 1e9999999999 has an exponent too"
                + " large to represent at line 1 column 52",
                "{\"type\":\"Linear\",\"args\":{\"in_features\":1e9999999999,\"out_features\":2}}");
        assertProblem("the model description is not JSON cnn4j can read: values nested more than 255 deep at line 1"
                + " column 257", "[".repeat(100_000));
    }

    @Test
    void namesFromTheFileAreQuotedPrintably() {
        assertProblem("children[0].\"\" is not part of a layer description (a layer has type, args, children)",
                "{\"type\":\"Sequential\",\"children\":[{\"type\":\"ReLU\",\"\":1}]}");
        assertProblem("type 'ReLU\\n\\u001b[2J' is not a layer type; known types: " + LAYERS.names(),
                "{\"type\":\"ReLU\\n\\u001b[2J\"}");
        assertProblem("the top-level object has the key 'a\\u202eb' twice", "{\"a\\u202eb\":1,\"a\\u202eb\":2}");
    }

    @Test
    void utf16ModelDescriptionSaysItIsNotUtf8() throws Exception {
        // Notepad's "Unicode": UTF-16, little-endian, with a byte-order mark.
        Path file = dir.resolve("net.json");
        Files.writeString(file, "\uFEFF" + SEED_JSON, StandardCharsets.UTF_16LE);
        InputFileException e = assertThrows(InputFileException.class, () -> ModelDescription.read(file));
        assertEquals("model description " + file + " is not UTF-8 text: it is UTF-16 (little-endian), by its byte-order"
                + " mark; save it as UTF-8", e.getMessage());
    }

    @Test
    void devZeroAsModelConfigIsRefused() {
        Path zero = Path.of("/dev/zero");
        Assumptions.assumeTrue(Files.exists(zero), "a system with /dev/zero");
        InputFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThrows(InputFileException.class, () -> ModelDescription.read(zero)));
        assertEquals("model description /dev/zero is not a regular file (a character device); cnn4j reads only"
                + " regular files, so that reading cannot block or never end", e.getMessage());
    }

    @Test
    void fifoAsModelConfigIsRefusedNotOpened() throws Exception {
        Path fifo = HostileInput.fifo(dir.resolve("net.json"));
        InputFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThrows(InputFileException.class, () -> ModelDescription.read(fifo)));
        assertEquals("model description " + fifo + " is not a regular file (a FIFO); cnn4j reads only regular files,"
                + " so that reading cannot block or never end", e.getMessage());
    }

    /** The seed model's description with child {@code index} replaced. */
    private static String seedWith(int index, String child) {
        List<String> children = new java.util.ArrayList<>(List.of(
                "{\"type\":\"Conv2d\",\"args\":{\"in_channels\":1,\"out_channels\":32,\"kernel_size\":5}}",
                "{\"type\":\"ReLU\"}", "{\"type\":\"MaxPool2d\",\"args\":{\"kernel_size\":2}}", "{\"type\":\"Flatten\"}",
                "{\"type\":\"Linear\",\"args\":{\"in_features\":4608,\"out_features\":10}}"));
        children.set(index, child);
        return "{\"type\":\"Sequential\",\"children\":[" + String.join(",", children) + "]}";
    }

    private static void assertProblem(String message, String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelDescription.parse(json));
        assertEquals(message, e.getMessage());
    }
}

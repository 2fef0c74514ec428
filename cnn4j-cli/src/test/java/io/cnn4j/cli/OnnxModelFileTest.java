package io.cnn4j.cli;

import com.google.gson.Gson;
import io.cnn4j.data.Datasets;
import io.cnn4j.data.IdxFile;
import io.cnn4j.io.ModelFile;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.onnx.OnnxFile;
import io.cnn4j.onnx.OnnxGraph;
import io.cnn4j.onnx.OnnxModel;
import io.cnn4j.onnx.OnnxNode;
import io.cnn4j.onnx.OnnxTensor;
import io.cnn4j.onnx.OpsetId;
import io.cnn4j.onnx.ValueInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.cnn4j.cli.CliErrorsTest.assertFailsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An ONNX model goes wherever a model file does, with no option of its own: eval, predict, summary and
 * explain read it through {@code --model-file}, and {@code train --init model.onnx} trains its graph on.
 * A bad ONNX file gets one paragraph and exit 1.
 */
class OnnxModelFileTest {

    @TempDir
    Path tmp;

    /** Conv(1->2, 3x3, pad 1), ReLU, MaxPool 2, Flatten, Gemm(392 -> 10): a small Fashion-MNIST CNN as an exporter writes it. */
    private static OnnxModel cnn(List<OnnxNode> extra) {
        float[] w = new float[2 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 5 - 2) * 0.1f;
        }
        float[] fc = new float[10 * 392];
        for (int i = 0; i < fc.length; i++) {
            fc[i] = ((i * 7) % 11 - 5) * 0.01f;
        }
        List<OnnxNode> nodes = new ArrayList<>(List.of(
                OnnxNode.of("/0/Conv", "Conv", List.of("input", "0.weight", "0.bias"), List.of("a"),
                        OnnxAttribute.ofInts("kernel_shape", 3, 3), OnnxAttribute.ofInts("pads", 1, 1, 1, 1)),
                OnnxNode.of("/1/Relu", "Relu", List.of("a"), List.of("b")),
                OnnxNode.of("/2/MaxPool", "MaxPool", List.of("b"), List.of("c"), OnnxAttribute.ofInts("kernel_shape", 2, 2),
                        OnnxAttribute.ofInts("strides", 2, 2)),
                OnnxNode.of("/3/Flatten", "Flatten", List.of("c"), List.of("d"))));
        nodes.addAll(extra);
        nodes.add(OnnxNode.of("/4/Gemm", "Gemm", List.of("d", "4.weight", "4.bias"), List.of("logits"),
                OnnxAttribute.of("transB", 1L)));
        OnnxGraph graph = new OnnxGraph("torch_jit", nodes,
                List.of(OnnxTensor.ofFloats("0.weight", w, 2, 1, 3, 3), OnnxTensor.ofFloats("0.bias", new float[]{0.1f, -0.1f}, 2),
                        OnnxTensor.ofFloats("4.weight", fc, 10, 392), OnnxTensor.ofFloats("4.bias", new float[10], 10)),
                List.of(ValueInfo.floats("input", ValueInfo.Dim.named("batch"), ValueInfo.Dim.of(1), ValueInfo.Dim.of(28),
                        ValueInfo.Dim.of(28))),
                List.of(ValueInfo.floats("logits", ValueInfo.Dim.named("batch"), ValueInfo.Dim.of(10))), List.of());
        return new OnnxModel(OnnxFile.IR_VERSION, List.of(new OpsetId("", 17)), "pytorch", "1.13.0", graph,
                Map.of("cnn4j.class_names", new Gson().toJson(Datasets.FASHION_MNIST_CLASSES)));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = tmp.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void evalPredictSummaryAndExplainTakeAnOnnxModelFile() throws IOException {
        Path model = write("model.onnx", OnnxFile.encode(cnn(List.of())));
        CliRun eval = CliRun.of("eval", "--model-file", model.toString(), "--data", "embedded");
        assertEquals(0, eval.exitCode(), eval.toString());
        assertTrue(eval.out().contains("accuracy"), eval.toString());

        Path image = tmp.resolve("one.idx");
        byte[] pixels = new byte[28 * 28];
        Arrays.fill(pixels, 0, 400, (byte) 200);
        IdxFile.of("one", pixels, 1, 28, 28).write(image, false);
        CliRun predict = CliRun.of("predict", "--model-file", model.toString(), image.toString(), "--json");
        assertEquals(0, predict.exitCode(), predict.toString());
        assertTrue(predict.out().contains("\"probabilities\""), predict.toString());

        CliRun explain = CliRun.of("explain", "--model-file", model.toString(), image.toString(),
                "--output", tmp.resolve("maps").toString());
        assertEquals(0, explain.exitCode(), explain.toString());

        CliRun summary = CliRun.of("summary", "--model-file", model.toString());
        assertEquals(0, summary.exitCode(), summary.toString());
        assertTrue(summary.out().contains("Total params: 3,950"), summary.toString());
        assertTrue(summary.out().contains("Recorded input: 1x28x28"), summary.toString());
    }

    @Test
    void importMakesACompleteModelFileOfAnOnnxModelNamingItsClassesWhenAsked() throws IOException {
        Path model = write("model.onnx", OnnxFile.encode(cnn(List.of())));
        Path saved = tmp.resolve("imported.safetensors");
        CliRun imported = CliRun.of("import", model.toString(), "--output", saved.toString());
        assertEquals(0, imported.exitCode(), imported.toString());
        assertTrue(imported.out().contains("input: 1x28x28, 10 classes (T-shirt/top, Trouser,"), imported.toString());
        CliRun eval = CliRun.of("eval", "--model-file", saved.toString(), "--data", "embedded", "--json");
        CliRun direct = CliRun.of("eval", "--model-file", model.toString(), "--data", "embedded", "--json");
        assertEquals(direct.out().replace(model.toString(), saved.toString()), eval.out());

        String names = "a,b,c,d,e,f,g,h,i,j";
        CliRun renamed = CliRun.of("import", model.toString(), "--classes", names, "--normalize", "0.5:0.25",
                "--output", tmp.resolve("named.safetensors").toString());
        assertEquals(0, renamed.exitCode(), renamed.toString());
        assertTrue(renamed.out().contains("10 classes (" + names.replace(",", ", ") + "), preprocessing color=gray"
                + " size=28x28 resize=stretch, normalisation 0.5:0.25"), renamed.toString());
        CliRun.assertFailure(CliRun.of("import", model.toString(), "--classes", "3", "--output",
                tmp.resolve("x.safetensors").toString()), "import: error: " + model + "'s graph tells 10 classes apart;"
                + " --classes gives 3\n");
        CliRun.assertFailure(CliRun.of("import", model.toString(), "--input", "3x28x28", "--output",
                tmp.resolve("x.safetensors").toString()), "import: error: " + model + "'s graph takes pictures of 1x28x28;"
                + " --input 3x28x28 cannot change that\n");
    }

    @Test
    void trainInitFromAnOnnxModelTrainsItsGraphAndSavesACnn4jModel() throws IOException {
        Path model = write("model.onnx", OnnxFile.encode(cnn(List.of())));
        Path saved = tmp.resolve("tuned.safetensors");
        CliRun train = CliRun.of("train", "--init", model.toString(), "--data", "embedded", "--max-steps", "3",
                "--save", saved.toString(), "--threads", "1");
        assertEquals(0, train.exitCode(), train.toString());
        assertTrue(train.out().contains("model: " + model + ", 3,950 parameters"), train.toString());
        assertEquals(List.of("0.weight", "0.bias", "4.weight", "4.bias"), List.copyOf(ModelFile.load(saved).stateDict().keySet()));

        // With --model, the ONNX file's weights go into the named model, whose parameter names they must match.
        CliRun named = CliRun.of("train", "--model", "seed", "--init", model.toString(), "--data", "embedded", "--max-steps", "1");
        assertFailsWith(named, model.toString(), "weights do not fit the model");
    }

    @Test
    void aBadOnnxFileGetsOneParagraphAndExitOne() throws IOException {
        OnnxNode erf = OnnxNode.of("/3/Erf", "Erf", List.of("d"), List.of("e"));
        OnnxModel withErf = cnn(List.of(erf));
        // The Gemm reads 'd': the Erf's output goes nowhere, and the op is named as what is refused.
        Path unsupported = write("erf.onnx", OnnxFile.encode(withErf));
        assertFailsWith(CliRun.of("eval", "--model-file", unsupported.toString(), "--data", "embedded"),
                unsupported + ": node '/3/Erf' (Erf) is an operation cnn4j does not import; it imports AveragePool, BatchNormalization");

        byte[] whole = OnnxFile.encode(cnn(List.of()));
        Path truncated = write("cut.onnx", Arrays.copyOf(whole, whole.length - 100));
        assertFailsWith(CliRun.of("eval", "--model-file", truncated.toString(), "--data", "embedded"), truncated.toString());

        OnnxModel cyclic = cnn(List.of());
        List<OnnxNode> nodes = new ArrayList<>(cyclic.graph().nodes());
        nodes.set(1, OnnxNode.of("/1/Relu", "Relu", List.of("logits"), List.of("b")));
        OnnxGraph g = cyclic.graph();
        Path cycle = write("cycle.onnx", OnnxFile.encode(new OnnxModel(cyclic.irVersion(), cyclic.opsets(), "x", "", new OnnxGraph(g.name(),
                nodes, g.initializers(), g.inputs(), g.outputs(), g.valueInfo()), Map.of())));
        assertFailsWith(CliRun.of("summary", "--model-file", cycle.toString()), cycle + ": its nodes", "in a cycle");

        // A weight whose dims claim 10^12 floats while the file holds 36 bytes of them.
        byte[] weight = cat(varint(1, 1_000_000), varint(1, 1_000_000), varint(1, 1), varint(1, 1), varint(2, 1),
                field(8, "w".getBytes()), field(9, new byte[36]));
        byte[] node = cat(field(1, "input".getBytes()), field(1, "w".getBytes()), field(2, "logits".getBytes()),
                field(4, "Conv".getBytes()));
        byte[] graph = cat(field(1, node), field(5, weight), field(11, field(1, "input".getBytes())),
                field(12, field(1, "logits".getBytes())));
        Path huge = write("huge.onnx", cat(varint(1, 8), field(7, graph), field(8, varint(2, 17))));
        assertFailsWith(CliRun.of("predict", "--model-file", huge.toString(), huge.toString()),
                huge + ": tensor 'w' claims 1000000000000 elements of FLOAT");
    }

    private static byte[] varint(int field, long value) {
        return cat(rawVarint(field << 3), rawVarint(value));
    }

    private static byte[] field(int field, byte[] bytes) {
        return cat(rawVarint(field << 3 | 2), rawVarint(bytes.length), bytes);
    }

    private static byte[] rawVarint(long value) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] cat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }
}

package io.cnn4j.autograd;

import com.google.gson.JsonObject;
import io.cnn4j.tensor.Golden;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Forward outputs and input, weight and bias gradients of the {@link Functional} operations against
 * PyTorch 1.13, case by case from {@code golden/ops_golden.json} (made by {@code golden/ops_golden.py}
 * beside it). Compared at float32 rounding, {@link Golden#ATOL} + {@link Golden#RTOL}.
 */
@OnEveryBackend
class PyTorchGoldenTest {
    private static final Set<String> OPS = Set.of("conv2d", "conv2dRelu", "linear", "linearRelu", "relu", "leakyRelu",
            "sigmoid", "tanh", "gelu", "silu", "elu", "hardswish", "layerNorm", "groupNorm", "adaptiveAvgPool2d",
            "adaptiveMaxPool2d", "maxPool2dSpec",
            "avgPool2dSpec", "upsample", "softmax", "logSoftmax", "maxPool2d", "avgPool2d", "add", "mul", "sum", "mean", "flatten",
            "convTranspose2d");
    /** Cases another test owns: the nn layer with 'same' padding, and the losses. */
    private static final Set<String> ELSEWHERE = Set.of("conv2dSameLayer", "crossEntropy", "mse", "bceWithLogits", "nll",
            "smoothL1", "huber");

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        return Golden.opCases("ops_golden.json", OPS, PyTorchGoldenTest::compute);
    }

    @Test
    void everyCaseInTheFileHasATest() {
        Set<String> covered = new HashSet<>(OPS);
        covered.addAll(ELSEWHERE);
        Set<String> inFile = Golden.ops(Golden.load("ops_golden.json"));
        inFile.removeAll(covered);
        assertEquals(Set.of(), inFile, "operations in ops_golden.json that no test reads");
    }

    private static Tensor compute(JsonObject c, Map<String, Tensor> in) {
        JsonObject args = c.getAsJsonObject("args");
        return switch (c.get("op").getAsString()) {
            case "conv2d" -> Functional.conv2d(in.get("x"), in.get("w"), in.get("b"), spec(args));
            case "conv2dRelu" -> Functional.conv2dRelu(in.get("x"), in.get("w"), in.get("b"), spec(args));
            case "convTranspose2d" -> Functional.convTranspose2d(in.get("x"), in.get("w"), in.get("b"), transposedSpec(args));
            case "linear" -> Functional.linear(in.get("x"), in.get("w"), in.get("b"));
            case "linearRelu" -> Functional.linearRelu(in.get("x"), in.get("w"), in.get("b"));
            case "relu" -> Functional.relu(in.get("x"));
            case "leakyRelu" -> Functional.leakyRelu(in.get("x"), args.get("slope").getAsFloat());
            case "sigmoid" -> Functional.sigmoid(in.get("x"));
            case "tanh" -> Functional.tanh(in.get("x"));
            case "gelu" -> Functional.gelu(in.get("x"), args.get("approximate").getAsString().equals("tanh"));
            case "silu" -> Functional.silu(in.get("x"));
            case "elu" -> Functional.elu(in.get("x"), args.get("alpha").getAsFloat());
            case "hardswish" -> Functional.hardswish(in.get("x"));
            case "upsample" -> Functional.upsample(in.get("x"), Golden.ints(args.getAsJsonArray("size"))[0],
                    Golden.ints(args.getAsJsonArray("size"))[1], args.get("bilinear").getAsBoolean(),
                    args.get("align").getAsBoolean(), Golden.ints(args.getAsJsonArray("scale"))[0],
                    Golden.ints(args.getAsJsonArray("scale"))[1]);
            case "maxPool2dSpec" -> Functional.maxPool2d(in.get("x"), poolSpec(args));
            case "avgPool2dSpec" -> Functional.avgPool2d(in.get("x"), poolSpec(args), args.get("countPadding").getAsBoolean());
            case "adaptiveAvgPool2d" -> Functional.adaptiveAvgPool2d(in.get("x"), Golden.ints(args.getAsJsonArray("size"))[0],
                    Golden.ints(args.getAsJsonArray("size"))[1]);
            case "adaptiveMaxPool2d" -> Functional.adaptiveMaxPool2d(in.get("x"), Golden.ints(args.getAsJsonArray("size"))[0],
                    Golden.ints(args.getAsJsonArray("size"))[1]);
            case "layerNorm" -> Functional.layerNorm(in.get("x"), Golden.ints(args.getAsJsonArray("shape")), in.get("w"),
                    in.get("b"), args.get("eps").getAsFloat());
            case "groupNorm" -> Functional.groupNorm(in.get("x"), args.get("groups").getAsInt(), in.get("w"), in.get("b"),
                    args.get("eps").getAsFloat());
            case "softmax" -> Functional.softmax(in.get("x"));
            case "logSoftmax" -> Functional.logSoftmax(in.get("x"));
            case "maxPool2d" -> Functional.maxPool2d(in.get("x"), Golden.intArg(args, "kernel"),
                    Golden.intArg(args, "stride"), Golden.intArg(args, "padding"));
            case "avgPool2d" -> Functional.avgPool2d(in.get("x"), Golden.intArg(args, "kernel"),
                    Golden.intArg(args, "stride"), Golden.intArg(args, "padding"), args.get("countPadding").getAsBoolean());
            case "add" -> Functional.add(in.get("a"), in.get("b"));
            case "mul" -> Functional.mul(in.get("a"), in.get("b"));
            case "sum" -> Functional.sum(in.get("x"));
            case "mean" -> Functional.mean(in.get("x"));
            case "flatten" -> Functional.flatten(in.get("x"));
            default -> throw new IllegalArgumentException("no computation for op " + c.get("op"));
        };
    }

    /** The case's convolution: stride, padding and dilation each one number (both directions) or [rows, columns]. */
    private static Conv2dSpec spec(JsonObject args) {
        int[] stride = pair(args, "stride");
        int[] padding = pair(args, "padding");
        int[] dilation = pair(args, "dilation");
        return new Conv2dSpec(stride[0], stride[1], padding[0], padding[0], padding[1], padding[1], dilation[0], dilation[1],
                Golden.intArg(args, "groups"));
    }

    private static ConvTranspose2dSpec transposedSpec(JsonObject args) {
        int[] stride = pair(args, "stride");
        int[] padding = pair(args, "padding");
        int[] outputPadding = pair(args, "output_padding");
        int[] dilation = pair(args, "dilation");
        return new ConvTranspose2dSpec(stride[0], stride[1], padding[0], padding[1], outputPadding[0], outputPadding[1],
                dilation[0], dilation[1], Golden.intArg(args, "groups"));
    }

    private static Pool2dSpec poolSpec(JsonObject args) {
        int[] k = pair(args, "kernel");
        int[] s = pair(args, "stride");
        int[] p = pair(args, "padding");
        return new Pool2dSpec(k[0], k[1], s[0], s[1], p[0], p[1], args.get("ceil").getAsBoolean());
    }

    private static int[] pair(JsonObject args, String name) {
        if (args.get(name).isJsonArray()) {
            return Golden.ints(args.getAsJsonArray(name));
        }
        int v = Golden.intArg(args, name);
        return new int[] {v, v};
    }
}

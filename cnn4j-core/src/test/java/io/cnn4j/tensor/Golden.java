package io.cnn4j.tensor;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Reads the golden files that PyTorch wrote ({@code src/test/resources/io/cnn4j/golden/}, each beside
 * the script that made it) and turns their tensors into cnn4j tensors.
 */
public final class Golden {
    /**
     * Tolerance for comparing cnn4j's float32 results with PyTorch's: {@code 1e-5 + 1e-5 * |expected|}.
     * Both compute in float32 but sum in different orders (PyTorch's convolutions go through oneDNN or
     * im2col and a BLAS with fused multiply-adds; cnn4j's reference kernels are plain loops), so they
     * differ by the rounding of the partial sums. Over the cases of {@code ops_golden.json} the largest
     * difference measured is 9.5e-7 (on a weight gradient of 8.0) and every difference is under 5% of
     * its tolerance; a real error is orders of magnitude larger.
     */
    public static final double ATOL = 1e-5;
    public static final double RTOL = 1e-5;

    private Golden() {
    }

    /** The parsed JSON of {@code /io/cnn4j/golden/<name>}. */
    public static JsonObject load(String name) {
        String path = "/io/cnn4j/golden/" + name;
        try (InputStream in = Golden.class.getResourceAsStream(path)) {
            assertNotNull(in, "missing test resource " + path);
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON array of numbers as float32 (each parsed directly to the nearest float). */
    public static float[] floats(JsonArray a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsFloat();
        }
        return v;
    }

    public static int[] ints(JsonArray a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsInt();
        }
        return v;
    }

    /**
     * The tensor an input spec describes: {@code shape} and {@code values}. When the spec names a
     * formula ({@code phase}, {@code scale}), the tensor is rebuilt from {@link TestTensors#formula}
     * and must equal the stored values bit for bit: proof that both sides computed the same inputs.
     */
    public static Tensor tensor(JsonObject spec) {
        int[] shape = ints(spec.getAsJsonArray("shape"));
        float[] stored = floats(spec.getAsJsonArray("values"));
        if (!spec.has("phase")) {
            return Tensor.of(stored, shape);
        }
        Tensor t = TestTensors.formula(spec.get("phase").getAsDouble(), spec.get("scale").getAsDouble(), shape);
        TensorAssert.assertExactly("formula input (phase " + spec.get("phase") + ")", t.shape(), stored, t.data());
        return t;
    }

    /**
     * The tensor a model golden file's spec describes: {@code shape}, the sin formula's {@code phase} (or
     * the hash's {@code seed}, {@link TestTensors#hashed}) and {@code scale}, and an {@code offset} added in
     * float32 when there is one. Its stored {@code first}
     * values must come out bit for bit: proof that both sides built the same floats.
     */
    public static Tensor formulaTensor(JsonObject spec) {
        int[] shape = ints(spec.getAsJsonArray("shape"));
        double scale = spec.get("scale").getAsDouble();
        Tensor t = spec.has("seed") ? TestTensors.hashed(spec.get("seed").getAsLong(), scale, shape)
                : TestTensors.formula(spec.get("phase").getAsDouble(), scale, shape);
        float offset = spec.has("offset") ? spec.get("offset").getAsFloat() : 0f;
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += offset;
        }
        float[] first = floats(spec.getAsJsonArray("first"));
        TensorAssert.assertExactly("first values of formula tensor " + (spec.has("seed") ? spec.get("seed") : spec.get("phase")),
                Shape.of(first.length),
                first, Arrays.copyOf(d, first.length));
        return t;
    }

    /**
     * Sets a model's parameters (its {@code namedParameters()}) to a model golden file's {@code params}
     * specs ({@link #formulaTensor}), after checking that the names, their number and the shapes agree.
     */
    public static void setParameters(Map<String, Tensor> params, JsonArray specs) {
        assertEquals(specs.size(), params.size(), "number of parameter tensors");
        for (JsonElement e : specs) {
            JsonObject p = e.getAsJsonObject();
            String name = p.get("name").getAsString();
            Tensor t = params.get(name);
            assertNotNull(t, "parameter " + name);
            assertArrayEquals(ints(p.getAsJsonArray("shape")), t.dims(), name);
            System.arraycopy(formulaTensor(p).data(), 0, t.data(), 0, t.size());
        }
    }

    /** Elements 0, stride, 2*stride, ... of {@code a}: how the golden files store the gradients of large tensors. */
    public static float[] everyNth(float[] a, int stride) {
        float[] out = new float[(a.length + stride - 1) / stride];
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i * stride];
        }
        return out;
    }

    public static int intArg(JsonObject args, String name) {
        JsonElement e = args.get(name);
        assertNotNull(e, "golden case lacks argument " + name);
        return e.getAsInt();
    }

    /** The names of the operations in a golden file's cases. */
    public static Set<String> ops(JsonObject file) {
        Set<String> ops = new TreeSet<>();
        file.getAsJsonArray("cases").forEach(c -> ops.add(c.getAsJsonObject().get("op").getAsString()));
        return ops;
    }

    /**
     * One dynamic test per case of {@code file} whose op is in {@code ops}: {@code compute} gets the case
     * and its inputs by name (those listed under {@code grads} require a gradient) and returns the
     * output; the test compares the output and, after {@code backward} with the case's upstream
     * gradient, every listed gradient with PyTorch's. {@code compute} may map a name to another tensor
     * holding the same values (a layer's own parameter): the gradient is then read from that one.
     */
    public static Stream<DynamicTest> opCases(String file, Set<String> ops,
                                              BiFunction<JsonObject, Map<String, Tensor>, Tensor> compute) {
        List<JsonObject> cases = load(file).getAsJsonArray("cases").asList().stream()
                .map(JsonElement::getAsJsonObject)
                .filter(c -> ops.contains(c.get("op").getAsString()))
                .toList();
        assertFalse(cases.isEmpty(), "no case in " + file + " for " + ops);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> checkOpCase(c, compute)));
    }

    private static void checkOpCase(JsonObject c, BiFunction<JsonObject, Map<String, Tensor>, Tensor> compute) {
        List<String> grads = c.getAsJsonArray("grads").asList().stream().map(JsonElement::getAsString).toList();
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (var e : c.getAsJsonObject("inputs").entrySet()) {
            inputs.put(e.getKey(), tensor(e.getValue().getAsJsonObject()).requiresGrad(grads.contains(e.getKey())));
        }
        String name = c.get("name").getAsString();
        Tensor out = compute.apply(c, inputs);
        JsonObject expected = c.getAsJsonObject("expected");
        assertArrayEquals(ints(c.getAsJsonArray("out_shape")), out.dims(), name + ": output shape");
        TensorAssert.assertClose(name + ": output", out.shape(), floats(expected.getAsJsonArray("out")), out.data(), ATOL, RTOL);
        out.backward(tensor(c.getAsJsonObject("upstream")));
        for (String input : grads) {
            Tensor t = inputs.get(input);
            assertNotNull(t.grad(), name + ": gradient of " + input);
            TensorAssert.assertClose(name + ": gradient of " + input, t.shape(), floats(expected.getAsJsonArray(input)),
                    t.grad().data(), ATOL, RTOL);
        }
    }
}

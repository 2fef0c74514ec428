package io.cnn4j.onnx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxFileTest {

    private static OnnxModel conv() {
        OnnxNode conv = OnnxNode.of("conv", "Conv", List.of("x", "w", "b"), List.of("y"),
                OnnxAttribute.ofInts("kernel_shape", 3, 3), OnnxAttribute.ofInts("pads", 1, 1, 1, 1),
                OnnxAttribute.of("group", 1L));
        OnnxNode leaky = OnnxNode.of("leaky", "LeakyRelu", List.of("y"), List.of("z"), OnnxAttribute.of("alpha", 0.01f));
        OnnxGraph graph = new OnnxGraph("g", List.of(conv, leaky),
                List.of(OnnxTensor.ofFloats("w", new float[18], 2, 1, 3, 3), OnnxTensor.ofFloats("b", new float[]{1.5f, -2f}, 2)),
                List.of(ValueInfo.floats("x", ValueInfo.Dim.named("batch"), ValueInfo.Dim.of(1), ValueInfo.Dim.of(5),
                        ValueInfo.Dim.of(5))),
                List.of(ValueInfo.floats("z", ValueInfo.Dim.named("batch"), ValueInfo.Dim.of(2), ValueInfo.Dim.of(5),
                        ValueInfo.Dim.of(5))),
                List.of());
        return new OnnxModel(OnnxFile.IR_VERSION, List.of(new OpsetId("", 17)), "cnn4j", "test", graph,
                Map.of("cnn4j.class_names", "[\"a\",\"b\"]"));
    }

    @Test
    void aModelSurvivesEncodingAndDecoding() throws Exception {
        OnnxModel model = conv();
        OnnxModel again = OnnxFile.decode(OnnxFile.encode(model), "test", null);
        assertEquals(model, again);
        assertEquals(17, again.opsetVersion());
        assertArrayEquals(new float[]{1.5f, -2f}, again.graph().initializer("b").floats());
        assertEquals(0.01f, again.graph().nodes().get(1).floatAttribute("alpha", 0));
    }

    @Test
    void everyCutOfTheFileIsEitherAShorterModelOrAnErrorNamingTheFile() {
        byte[] bytes = OnnxFile.encode(conv());
        int refused = 0;
        for (int cut = 1; cut < bytes.length; cut++) {
            try {
                OnnxFile.decode(Arrays.copyOf(bytes, cut), "m.onnx", null);
            } catch (OnnxFormatException e) {
                refused++;
                assertTrue(e.getMessage().startsWith("m.onnx "), "cut at " + cut + ": " + e.getMessage());
            }
        }
        assertTrue(refused > bytes.length - 40, refused + " of " + bytes.length + " cuts refused");
    }

    @Test
    void aLengthThatClaimsMoreThanTheFileHoldsIsNamed() {
        ProtoWriter model = new ProtoWriter();
        model.varint(1, 8);
        byte[] ok = model.toByteArray();
        byte[] lying = Arrays.copyOf(ok, ok.length + 6);
        // field 7 (graph), length-delimited, claiming 2^35 bytes
        byte[] claim = {(byte) (7 << 3 | 2), (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80};
        System.arraycopy(claim, 0, lying, ok.length, claim.length);
        byte[] file = Arrays.copyOf(lying, lying.length + 1);
        file[file.length - 1] = 1;
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxFile.decode(file, "m.onnx", null));
        assertEquals("m.onnx is not a complete ONNX file (truncated, or a length in it is wrong): a length at byte 3 claims "
                + (1L << 35) + " bytes but only 0 remain in its message.", e.getMessage());
    }

    @Test
    void aTensorClaimingATrillionElementsIsRefusedWithoutAllocatingThem() {
        ProtoWriter tensor = new ProtoWriter();
        tensor.varint(1, 1_000_000);
        tensor.varint(1, 1_000_000);
        tensor.varint(2, 1);
        tensor.string(8, "w");
        tensor.bytes(9, new byte[16]);
        byte[] bytes = modelWithInitializer(tensor);
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxFile.decode(bytes, "m.onnx", null));
        assertEquals("m.onnx: tensor 'w' claims 1000000000000 elements of FLOAT (dims [1000000, 1000000], 4.0 TB) but holds"
                + " 16 bytes of data.", e.getMessage());
    }

    @Test
    void typedValuesPackedOrNotAndOldAttributesWithoutATypeAreRead() throws Exception {
        ProtoWriter tensor = new ProtoWriter();
        tensor.varint(1, 3);
        tensor.varint(2, TensorType.INT64.code());
        tensor.string(8, "shape");
        tensor.varint(7, -1);
        tensor.varint(7, 4);
        tensor.varint(7, 7);
        OnnxTensor t = OnnxFile.decode(modelWithInitializer(tensor), "m.onnx", null).graph().initializer("shape");
        assertArrayEquals(new long[]{-1, 4, 7}, t.longs());

        ProtoWriter floats = new ProtoWriter();
        floats.varint(1, 2);
        floats.varint(2, TensorType.FLOAT.code());
        floats.string(8, "f");
        ProtoWriter packed = new ProtoWriter();
        packed.float32(1, 0.5f);
        byte[] two = new byte[8];
        System.arraycopy(packed.toByteArray(), 1, two, 0, 4);
        System.arraycopy(packed.toByteArray(), 1, two, 4, 4);
        floats.bytes(4, two);
        assertArrayEquals(new float[]{0.5f, 0.5f},
                OnnxFile.decode(modelWithInitializer(floats), "m.onnx", null).graph().initializer("f").floats());
    }

    @Test
    void externalDataIsReadFromBesideTheModelAndNowhereElse(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("weights.bin"), new byte[]{9, 9, 0, 0, (byte) 0xC0, 0x3F});
        OnnxTensor t = OnnxFile.decode(modelWithInitializer(external("weights.bin", 2)), "m.onnx", dir).graph().initializer("w");
        assertArrayEquals(new float[]{1.5f}, t.floats());

        OnnxFormatException outside = assertThrows(OnnxFormatException.class,
                () -> OnnxFile.decode(modelWithInitializer(external("../weights.bin", 2)), "m.onnx", dir));
        assertEquals("m.onnx: tensor 'w' keeps its data in '../weights.bin', outside the model's folder; cnn4j reads"
                + " external data only from beside the model.", outside.getMessage());
        OnnxFormatException past = assertThrows(OnnxFormatException.class,
                () -> OnnxFile.decode(modelWithInitializer(external("weights.bin", 4)), "m.onnx", dir));
        assertEquals("m.onnx: tensor 'w' reads bytes 4 to 8 of 'weights.bin', which has only 6.", past.getMessage());
    }

    @Test
    void aFileThatIsNotProtobufIsRefusedInOneSentence(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("model.onnx");
        Files.writeString(text, "{\"this\": \"is json\"}");
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxFile.read(text));
        assertEquals(text + " is not a valid ONNX file: a field before byte 1 has wire type 3, which ONNX files do not use.",
                e.getMessage());
    }

    private static ProtoWriter external(String location, int offset) {
        ProtoWriter tensor = new ProtoWriter();
        tensor.varint(1, 1);
        tensor.varint(2, TensorType.FLOAT.code());
        tensor.string(8, "w");
        tensor.message(13, entry("location", location));
        tensor.message(13, entry("offset", Integer.toString(offset)));
        tensor.message(13, entry("length", "4"));
        tensor.varint(14, 1);
        return tensor;
    }

    private static ProtoWriter entry(String key, String value) {
        ProtoWriter e = new ProtoWriter();
        e.string(1, key);
        e.string(2, value);
        return e;
    }

    private static byte[] modelWithInitializer(ProtoWriter tensor) {
        ProtoWriter graph = new ProtoWriter();
        graph.message(5, tensor);
        ProtoWriter model = new ProtoWriter();
        model.varint(1, 8);
        model.message(7, graph);
        return model.toByteArray();
    }
}

package io.cnn4j.data;

import io.cnn4j.tensor.Shape;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputSpecTest {
    private static final InputSpec FOLDER = InputSpec.of(Shape.of(3, 32, 48), List.of("cat", "dog \"big\"", "émeu, ünd"),
            ResizeMode.CROP, new Normalize(new float[] {0.5f, 0.25f, 0.125f}, new float[] {0.3f, 0.2f, 0.1f}));

    @Test
    void aSpecSurvivesTheMetadataItIsWrittenTo() {
        Map<String, String> metadata = new LinkedHashMap<>();
        FOLDER.toMetadata(metadata);
        assertEquals("3x32x48", metadata.get("cnn4j.input_shape"));
        assertEquals("color=rgb size=32x48 resize=crop", metadata.get("cnn4j.preprocessing"));
        assertEquals("[\"cat\",\"dog \\\"big\\\"\",\"émeu, ünd\"]", metadata.get("cnn4j.class_names"));
        assertEquals("0.5,0.25,0.125:0.3,0.2,0.1", metadata.get("cnn4j.normalize"));
        InputSpec back = InputSpec.fromMetadata(metadata);
        assertEquals(FOLDER.shape(), back.shape());
        assertEquals(FOLDER.classNames(), back.classNames());
        assertEquals(FOLDER.preprocessing(), back.preprocessing());
        assertEquals(FOLDER.normalize().spec(), back.normalize().spec());
    }

    @Test
    void aFileWithoutTheKeysIsAFashionMnistModel() {
        InputSpec old = InputSpec.fromMetadata(Map.of("format", "cnn4j", "cnn4j.normalize", "0.286:0.353"));
        assertEquals(Shape.of(1, 28, 28), old.shape());
        assertEquals(Datasets.FASHION_MNIST_CLASSES, old.classNames());
        assertEquals("color=gray size=28x28 resize=stretch", old.preprocessing().spec());
        assertEquals("0.286:0.353", old.normalize().spec());
        assertNull(InputSpec.fromMetadata(Map.of()).normalize());
    }

    @Test
    void damagedValuesAreRefusedNamingTheKey() {
        assertDamaged(Map.of("cnn4j.input_shape", "3x32"),
                "the model's metadata 'cnn4j.input_shape' is damaged ('3x32'): expected CxHxW such as 3x32x32, or CxTxHxW for clips such as 1x8x32x32");
        assertDamaged(Map.of("cnn4j.input_shape", "4x32x32"),
                "the model's metadata 'cnn4j.input_shape' is damaged ('4x32x32'): images have 1 or 3 channels and sides from 1 to 16384");
        assertDamaged(Map.of("cnn4j.class_names", "{\"a\": 1}"),
                "the model's metadata 'cnn4j.class_names' is damaged ('{\"a\": 1}'): expected a JSON array of strings");
        assertDamaged(Map.of("cnn4j.class_names", "[\"a\", null]"),
                "the model's metadata 'cnn4j.class_names' is damaged ('[\"a\", null]'): expected a JSON array of strings");
        assertDamaged(Map.of("cnn4j.class_names", "[\"a\", \"a\"]"),
                "the model's metadata 'cnn4j.class_names' is damaged ('[\"a\", \"a\"]'): class 'a' is named twice");
        assertDamaged(Map.of("cnn4j.preprocessing", "colour=red"),
                "the model's metadata 'cnn4j.preprocessing' is damaged ('colour=red'): preprocessing 'colour=red':"
                        + " unknown part 'colour=red' (expected color=, size= and resize=)");
        assertDamaged(Map.of("cnn4j.preprocessing", "color=gray size=32x48 resize=crop"),
                "the model's metadata describes an input that does not hold together: preprocessing 'color=gray"
                        + " size=32x48 resize=crop' does not make images of the input shape 3x32x48 (it must say color=rgb size=32x48)");
        assertDamaged(Map.of("cnn4j.normalize", "0.5:0"),
                "the model's metadata 'cnn4j.normalize' is damaged ('0.5:0'): normalisation of channel 0: mean must be"
                        + " finite and standard deviation > 0, got 0.5 and 0.0");
        assertDamaged(Map.of("cnn4j.class_names", "[\"only\"]"),
                "the model's metadata describes an input that does not hold together: a classifier has from 2 to 1000000"
                        + " classes, got 1");
        Map<String, String> partial = new HashMap<>();
        FOLDER.toMetadata(partial);
        partial.remove("cnn4j.class_names");
        assertEquals("the model's metadata records its input only in part: 'cnn4j.class_names' is missing",
                assertThrows(IllegalArgumentException.class, () -> InputSpec.fromMetadata(partial)).getMessage());
    }

    @Property(tries = 300)
    void anyValueOfAnyKeyIsReadOrRefusedWithTheKeyNamed(@ForAll("keys") String key, @ForAll @StringLength(max = 200) String value) {
        Map<String, String> metadata = new HashMap<>();
        FOLDER.toMetadata(metadata);
        metadata.put(key, value);
        try {
            InputSpec spec = InputSpec.fromMetadata(metadata);
            assertEquals(spec.classes(), spec.classNames().size());
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("the model's metadata"), e.getMessage());
            assertTrue(e.getMessage().length() < 600, e.getMessage());
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> keys() {
        return net.jqwik.api.Arbitraries.of(InputSpec.SHAPE_KEY, InputSpec.CLASSES_KEY, InputSpec.PREPROCESSING_KEY,
                InputSpec.NORMALIZE_KEY);
    }

    private static void assertDamaged(Map<String, String> changes, String message) {
        Map<String, String> metadata = new HashMap<>();
        FOLDER.toMetadata(metadata);
        metadata.putAll(changes);
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> InputSpec.fromMetadata(metadata)).getMessage());
    }
}

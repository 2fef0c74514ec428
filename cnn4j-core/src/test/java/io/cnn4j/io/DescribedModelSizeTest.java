package io.cnn4j.io;

import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.limits.TooLargeException;
import io.cnn4j.nn.LayerConfig;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A description's size is checked before anything is allocated, whether it comes from a file or a model file's metadata. */
class DescribedModelSizeTest {
    private static final String HUGE_LINEAR = "{\"type\":\"Linear\",\"args\":{\"in_features\":46000,\"out_features\":46000}}";
    private static final String TOO_LARGE = "the model described (2,116,046,000 parameters and buffer values, 2,116,046,000"
            + " of them in %s (Linear)) would need 8.5 GB, more than the 4.0 GB (1,000,000,000 values) cnn4j builds a model of";

    @TempDir
    Path dir;

    @Test
    void describedLinearOf46000SquaredIsRefusedBeforeAllocating() {
        assertTrue(HUGE_LINEAR.length() < 70, "a few bytes of description");
        var e = assertThrows(TooLargeException.class, () -> ModelDescription.build(ModelDescription.parse(HUGE_LINEAR)));
        assertEquals(TOO_LARGE.formatted("the model description"), e.getMessage());
        LayerConfig deep = ModelDescription.parse("{\"type\":\"Sequential\",\"children\":[{\"type\":\"Flatten\"},"
                + "{\"type\":\"Sequential\",\"children\":[{\"type\":\"ReLU\"}," + HUGE_LINEAR + "]}]}");
        e = assertThrows(TooLargeException.class, () -> ModelDescription.build(deep));
        assertEquals(TOO_LARGE.formatted("children[1].children[1]"), e.getMessage());
    }

    @Test
    void aModelWithinTheLimitButBeyondTheHeapIsRefusedWithTheMemoryItNeeds() {
        long values = 900_000_000L + 30_000;
        assumeTrue(MemoryBudget.floats(values) > Runtime.getRuntime().maxMemory(), "the tests run with a heap under 3.6 GB");
        LayerConfig config = ModelDescription.parse("{\"type\":\"Sequential\",\"children\":[{\"type\":\"Linear\",\"args\":"
                + "{\"in_features\":30000,\"out_features\":30000}},{\"type\":\"BatchNorm1d\",\"args\":{\"num_features\":30000,"
                + "\"affine\":false,\"track_running_stats\":false}}]}");
        var e = assertThrows(TooLargeException.class, () -> ModelDescription.build(config));
        assertTrue(e.getMessage().startsWith("the model described (900,030,000 parameters and buffer values, 900,030,000 of"
                + " them in children[0] (Linear)) needs 3.6 GB of memory, but the JVM has "), e.getMessage());
    }

    @Test
    void modelFileWhoseMetadataDescribesAHugeModelIsRefused() throws IOException {
        Path file = dir.resolve("small-file-huge-model.safetensors");
        SafeTensors.write(file, Map.of("weight", Tensor.zeros(1)), Map.of(ModelFile.ARCHITECTURE_KEY, HUGE_LINEAR));
        var e = assertThrows(ModelFileException.class, () -> ModelFile.read(file));
        assertEquals(file + ": its architecture ('cnn4j.architecture') describes a model of 2,116,046,000 values but its"
                + " tensors hold 1: the weights are not this model's", e.getMessage());
    }

    @Test
    void aModelFileWhoseArchitectureOutgrowsItsTensorsIsRefusedBeforeBuilding() throws IOException {
        // Within the build limit and the heap, but 64 MB more than the file holds: nothing is built for it.
        String big = "{\"type\":\"Linear\",\"args\":{\"in_features\":5000,\"out_features\":5000}}";
        Path file = dir.resolve("small-file-big-model.safetensors");
        SafeTensors.write(file, Map.of("weight", Tensor.zeros(1)), Map.of(ModelFile.ARCHITECTURE_KEY, big));
        var e = assertThrows(ModelFileException.class, () -> ModelFile.read(file));
        assertEquals(file + ": its architecture ('cnn4j.architecture') describes a model of 25,005,000 values but its"
                + " tensors hold 1: the weights are not this model's", e.getMessage());
    }

    @Test
    void aBadArgumentIsFoundWithoutBuildingTheHugeLayersBeforeIt() {
        LayerConfig config = ModelDescription.parse("{\"type\":\"Sequential\",\"children\":[" + HUGE_LINEAR + ","
                + "{\"type\":\"Conv2d\",\"args\":{\"in_channels\":1,\"out_channels\":32,\"kernel_size\":3,\"groups\":3}}]}");
        String expected = "children[1] (Conv2d): Conv2d: groups=3 must divide in_channels=1 and out_channels=32";
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> ModelDescription.check(config)).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> ModelDescription.build(config)).getMessage());
    }

    @Test
    void checkCountsParametersAndBuffersWithoutBuilding() {
        LayerConfig config = ModelDescription.parse("{\"type\":\"Sequential\",\"children\":[" + HUGE_LINEAR + ","
                + "{\"type\":\"BatchNorm1d\",\"args\":{\"num_features\":46000}}]}");
        assertEquals(2_116_046_000L + 2 * 46_000 + 2 * 46_000 + 1, ModelDescription.check(config));
    }
}

package io.cnn4j.nn;

import io.cnn4j.io.ModelDescription;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The 1-D and 3-D layers as a user meets them: PyTorch's arguments in descriptions and code, the shapes they
 * make and the sentences that refuse the wrong input, and their sizes known without building them.
 */
class ConvNdLayerTest {
    private static final LayerRegistry LAYERS = LayerRegistry.builtIn();

    private static Module build(String json) {
        return LAYERS.build(ModelDescription.parse(json));
    }

    private static String refusal(Module layer, int... input) {
        return assertThrows(IllegalArgumentException.class, () -> layer.outputShape(Shape.of(input))).getMessage();
    }

    @Test
    void wrongInputsAreRefusedNamingTheLayerAndTheRankItExpects() {
        assertEquals("Conv1d(3, 8, kernel_size=3) expects input [N, 3, L], got [2, 3, 4, 5]", refusal(new Conv1d(3, 8, 3), 2, 3, 4, 5));
        assertEquals("Conv3d(3, 8, kernel_size=3) expects input [N, 3, D, H, W], got [2, 4, 4, 5, 5]",
                refusal(new Conv3d(3, 8, 3), 2, 4, 4, 5, 5));
        assertEquals("Conv1d(3, 8, kernel_size=5, dilation=2): input 7 is smaller than the kernel's reach 9 after padding",
                refusal(new Conv1d(ConvNdConfig.conv1d(3, 8, 5).dilation(2)), 1, 3, 7));
        assertEquals("Conv3d(1, 2, kernel_size=(1, 3, 3)): input 4x2x9 is smaller than the kernel's reach 1x3x3 after padding",
                refusal(new Conv3d(ConvNdConfig.conv3d(1, 2, 1, 3, 3)), 1, 1, 4, 2, 9));
        assertEquals("MaxPool1d(kernel_size=2) expects input [N, C, L], got [2, 3]", refusal(new MaxPool1d(2), 2, 3));
        assertEquals("AvgPool3d(kernel_size=2) expects input [N, C, D, H, W], got [2, 3, 4, 4]", refusal(new AvgPool3d(2), 2, 3, 4, 4));
        assertEquals("MaxPool3d(kernel_size=3): input 2x8x8 is smaller than the window 3", refusal(new MaxPool3d(3), 1, 1, 2, 8, 8));
        assertEquals("AdaptiveAvgPool3d(output_size=1) expects input [N, C, D, H, W], got [2, 3, 4]",
                refusal(new AdaptiveAvgPool3d(1), 2, 3, 4));
        assertEquals("AdaptiveMaxPool1d(output_size=4) expects input [N, C, L], got [2, 3, 4, 4]",
                refusal(new AdaptiveMaxPool1d(4), 2, 3, 4, 4));
        assertEquals("Flatten(start_dim=2, end_dim=3) cannot flatten input [2, 3, 4]: it has no dimensions 2 to 3",
                refusal(new Flatten(2, 3), 2, 3, 4));
        assertEquals("Unflatten(dim=1, unflattened_size=(2, 4)) cannot unflatten input [2, 6, 4]: dimension 1 holds 6, not 8",
                refusal(new Unflatten(1, 2, 4), 2, 6, 4));
        // The forward pass refuses as the shape inference does.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv1d(3, 8, 3).initialize(new Rng(1)).forward(Tensor.zeros(2, 3, 4, 5)));
        assertEquals("Conv1d(3, 8, kernel_size=3) expects input [N, 3, L], got [2, 3, 4, 5]", e.getMessage());
    }

    @Test
    void settingsThatPyTorchRefusesAreRefusedInItsWords() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(
                "{\"type\":\"Conv1d\",\"args\":{\"in_channels\":2,\"out_channels\":2,\"kernel_size\":3,\"padding\":\"same\",\"stride\":2}}"));
        assertEquals("Conv1d: padding='same' needs stride 1 (as in PyTorch), got stride 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> build(
                "{\"type\":\"Conv3d\",\"args\":{\"in_channels\":2,\"out_channels\":2,\"kernel_size\":[1, 3]}}"));
        assertEquals("Conv3d: kernel_size takes one number or 3, got [1, 3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> build(
                "{\"type\":\"Conv1d\",\"args\":{\"in_channels\":3,\"out_channels\":2,\"kernel_size\":3,\"groups\":2}}"));
        assertEquals("Conv1d: groups=2 must divide in_channels=3 and out_channels=2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> build("{\"type\":\"MaxPool1d\",\"args\":{\"kernel_size\":[2, 2]}}"));
        assertEquals("MaxPool1d: kernel_size takes one number, got [2, 2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> build(
                "{\"type\":\"AvgPool3d\",\"args\":{\"kernel_size\":2,\"padding\":[0, 1, 2]}}"));
        assertEquals("AvgPool3d: padding (0, 1, 2) must be at most half of kernel_size 2 (as in PyTorch)", e.getMessage());
    }

    @Test
    void descriptionsGiveBackTheLayerAndItsSizesBeforeItIsBuilt() {
        for (String json : List.of(
                "{\"type\":\"Conv1d\",\"args\":{\"in_channels\":4,\"out_channels\":6,\"kernel_size\":4,\"padding\":\"same\",\"dilation\":2,\"groups\":2}}",
                "{\"type\":\"Conv3d\",\"args\":{\"in_channels\":3,\"out_channels\":8,\"kernel_size\":[1, 3, 3],\"stride\":[1, 2, 2],\"padding\":[0, 1, 1],\"bias\":false}}",
                "{\"type\":\"MaxPool1d\",\"args\":{\"kernel_size\":3,\"stride\":2,\"dilation\":2,\"ceil_mode\":true}}",
                "{\"type\":\"AvgPool1d\",\"args\":{\"kernel_size\":3,\"padding\":1,\"count_include_pad\":false}}",
                "{\"type\":\"MaxPool3d\",\"args\":{\"kernel_size\":[1, 2, 2]}}",
                "{\"type\":\"AvgPool3d\",\"args\":{\"kernel_size\":2,\"ceil_mode\":true}}",
                "{\"type\":\"AdaptiveAvgPool3d\",\"args\":{\"output_size\":[1, 2, 2]}}",
                "{\"type\":\"AdaptiveMaxPool1d\",\"args\":{\"output_size\":5}}",
                "{\"type\":\"Flatten\",\"args\":{\"start_dim\":1,\"end_dim\":2}}",
                "{\"type\":\"Unflatten\",\"args\":{\"dim\":1,\"unflattened_size\":[3, 4]}}")) {
            LayerConfig c = ModelDescription.parse(json);
            Module layer = LAYERS.build(c);
            assertEquals(layer.config(), ModelDescription.parse(ModelDescription.toJson(layer.config())), json);
            assertEquals(layer.parameterCount(), LAYERS.parameterCount(c), json);
        }
        Module conv = build("{\"type\":\"Conv3d\",\"args\":{\"in_channels\":3,\"out_channels\":8,\"kernel_size\":[1, 3, 3],"
                + "\"stride\":[1, 2, 2],\"padding\":[0, 1, 1],\"bias\":false}}");
        assertEquals("Conv3d(3, 8, kernel_size=(1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1), bias=False)", conv.toString());
        assertArrayEquals(new int[] {8, 3, 1, 3, 3}, conv.namedParameters().get("weight").dims());
        assertArrayEquals(new int[] {2, 8, 16, 28, 28}, conv.outputShape(Shape.of(2, 3, 16, 56, 56)).dims());
        Module same = build("{\"type\":\"Conv1d\",\"args\":{\"in_channels\":4,\"out_channels\":6,\"kernel_size\":4,"
                + "\"padding\":\"same\",\"dilation\":2,\"groups\":2}}");
        assertEquals("Conv1d(4, 6, kernel_size=4, padding='same', dilation=2, groups=2)", same.toString());
        assertArrayEquals(new int[] {2, 6, 11}, same.outputShape(Shape.of(2, 4, 11)).dims());
        assertEquals(Map.of("padding", "same"), Map.of("padding", same.config().args().get("padding")));
        assertEquals("MaxPool1d(kernel_size=3, stride=2, dilation=2, ceil_mode=True)",
                build("{\"type\":\"MaxPool1d\",\"args\":{\"kernel_size\":3,\"stride\":2,\"dilation\":2,\"ceil_mode\":true}}").toString());
    }

    @Test
    void flattenTakesPyTorchsDimensionsAndKeepsOldDescriptionsAsTheyWere() {
        assertArrayEquals(new int[] {5, 28, 28}, new Flatten(1, 2).outputShape(Shape.of(5, 1, 28, 28)).dims());
        assertArrayEquals(new int[] {5, 784}, new Flatten().outputShape(Shape.of(5, 1, 28, 28)).dims());
        assertArrayEquals(new int[] {5, 3, 20}, new Flatten(-2, -1).outputShape(Shape.of(5, 3, 4, 5)).dims());
        assertEquals(LayerConfig.of("Flatten"), build("{\"type\":\"Flatten\"}").config());
        assertEquals("Flatten()", new Flatten().toString());
        assertEquals("Unflatten(dim=1, unflattened_size=(1, 1))", new Unflatten(1, 1, 1).toString());
        assertEquals("Unflatten(dim=-1, unflattened_size=(4,))", new Unflatten(-1, 4).toString());
        Tensor image = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 1, 2, 3);
        Tensor rows = new Flatten(1, 2).forward(image);
        assertArrayEquals(new int[] {1, 2, 3}, rows.dims());
        assertArrayEquals(image.data(), rows.data());
    }
}

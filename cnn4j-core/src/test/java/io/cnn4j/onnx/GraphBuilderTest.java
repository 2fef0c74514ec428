package io.cnn4j.onnx;

import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GraphBuilderTest {

    @Test
    void nodesOfOneNameAreNumberedAndTheirOutputsNamedAfterThem() {
        GraphBuilder g = new GraphBuilder("g");
        String x = g.input("input", ValueInfo.Dim.named("batch"), ValueInfo.Dim.of(2));
        String a = g.node("/0/Relu", "Relu", List.of(x));
        String b = g.node("/0/Relu", "Relu", List.of(a));
        assertEquals(List.of("/0/Relu_output_0", "/0/Relu_1_output_0"), List.of(a, b));
        assertEquals(List.of("/0/Relu", "/0/Relu_1"), g.build().nodes().stream().map(OnnxNode::name).toList());
    }

    @Test
    void theOutputIsWrittenUnderItsOwnNameByTheNodeThatComputesIt() {
        GraphBuilder g = new GraphBuilder("g");
        String x = g.input("input", ValueInfo.Dim.of(1), ValueInfo.Dim.of(2));
        String w = g.initializer("0.weight", Tensor.of(new float[]{2, 3}, 2));
        g.output(g.node("/0/Mul", "Mul", List.of(x, w)), "logits", ValueInfo.Dim.of(1), ValueInfo.Dim.of(2));
        OnnxGraph graph = g.build();
        assertEquals(List.of("logits"), graph.nodes().getFirst().outputs());
        assertEquals("logits", graph.outputs().getFirst().name());
        assertArrayEquals(new float[]{2, 3}, graph.initializer("0.weight").floats());
        assertArrayEquals(new long[]{2}, graph.initializer("0.weight").dims());
    }

    @Test
    void anInputPassedStraightThroughIsCopiedToTheOutputByAnIdentity() {
        GraphBuilder g = new GraphBuilder("g");
        g.output(g.input("input", ValueInfo.Dim.of(1)), "logits", ValueInfo.Dim.of(1));
        OnnxNode identity = g.build().nodes().getFirst();
        assertEquals(List.of("Identity", List.of("input"), List.of("logits")),
                List.of(identity.opType(), identity.inputs(), identity.outputs()));
    }

    @Test
    void aNodeReadingAnUndefinedValueOrAValueDefinedTwiceIsRefused() {
        GraphBuilder g = new GraphBuilder("g");
        g.input("input", ValueInfo.Dim.of(1));
        var e = assertThrows(IllegalArgumentException.class, () -> g.node("/0/Add", "Add", List.of("input", "bias")));
        assertEquals("node '/0/Add' (Add) reads 'bias', which no input, initializer or earlier node defines", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.initializer("input", Tensor.zeros(1)));
        assertEquals("graph 'g' already has a value called 'input'", e.getMessage());
    }
}

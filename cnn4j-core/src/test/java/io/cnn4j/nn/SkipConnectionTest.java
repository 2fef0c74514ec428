package io.cnn4j.nn;

import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Residual} and {@link Concat}: what they compute, their gradients (finite differences through
 * every parameter and the input), the names of their parameters (those PyTorch gives the modules in their
 * Javadoc), forward hooks and children walking reaching the inner layers, and error paths.
 */
@OnEveryBackend
class SkipConnectionTest {

    /** The basic block of {@code Models.resnet}, 2 -> 3 channels with stride 2, and a projection shortcut. */
    private static Residual projectedBlock() {
        return new Residual(
                new Sequential(new Conv2d(Conv2dConfig.of(2, 3, 3).stride(2).padding(1).bias(false)), new BatchNorm2d(3),
                        new Tanh(), new Conv2d(Conv2dConfig.of(3, 3, 3).padding(1).bias(false)), new BatchNorm2d(3)),
                new Sequential(new Conv2d(Conv2dConfig.of(2, 3, 1).stride(2).bias(false)), new BatchNorm2d(3)));
    }

    private static void check(Module m, Tensor x) {
        ModuleGradCheck.check(m, x);
    }

    /**
     * The block's convolution weights are drawn from [-1, 1], not PyTorch's +-1/sqrt(fan_in): batch norm's
     * curvature grows as 1/sigma^3 of its input, and with small weights (sigma about 0.3) the central
     * difference of step 1e-2 is off by several percent; with sigma near 1 it is exact to the tolerance.
     */
    @Test
    void residualGradients() {
        Residual block = projectedBlock();
        block.initialize(new Rng(1));
        Rng rng = new Rng(12);
        block.namedParameters().values().stream().filter(p -> p.rank() == 4)
                .forEach(p -> System.arraycopy(TestTensors.uniform(rng, -1, 1, p.dims()).data(), 0, p.data(), 0, p.size()));
        check(block, TestTensors.uniform(new Rng(2), -1, 1, 2, 2, 4, 5));
        check(new Residual(new Sequential(new Linear(4, 4), new Tanh())).initialize(new Rng(3)),
                TestTensors.uniform(new Rng(4), -1, 1, 3, 4));
    }

    /** A residual block then ReLU runs fused unless hooked; both ways give the same bits, forward and backward. */
    @Test
    void sequentialFusesTheFollowingReluWithTheSameResult() {
        ReluFusionCheck.assertFusedMatchesUnfused(SkipConnectionTest::projectedBlock,
                TestTensors.uniform(new Rng(13), -1, 1, 2, 2, 4, 5), TestTensors.uniform(new Rng(14), -1, 1, 2, 3, 2, 3),
                "Add+ReLU", "body.0.weight");
    }

    @Test
    void identityShortcutAddsTheInput() {
        Linear body = new Linear(3, 3);
        body.initialize(new Rng(5));
        Tensor x = TestTensors.uniform(new Rng(6), -1, 1, 2, 3);
        float[] expected = body.forward(x).toArray();
        for (int i = 0; i < expected.length; i++) {
            expected[i] += x.data()[i];
        }
        assertArrayEquals(expected, new Residual(body).forward(x).data());
    }

    @Test
    void concatGradientsAndLayout() {
        Concat c = new Concat(new Conv2d(Conv2dConfig.of(2, 3, 3).padding(1)), new Identity(),
                new Sequential(new Conv2d(Conv2dConfig.of(2, 1, 1)), new Sigmoid()));
        c.initialize(new Rng(7));
        Tensor x = TestTensors.uniform(new Rng(8), -1, 1, 2, 2, 3, 3);
        check(c, x);
        Tensor y = c.forward(x);
        assertArrayEquals(new int[] {2, 6, 3, 3}, y.dims());
        assertEquals(x.get(1, 1, 2, 0), y.get(1, 4, 2, 0), "the identity branch's channels follow the first branch's");
    }

    @Test
    void parameterNamesAreThoseOfThePyTorchModules() {
        Sequential m = new Sequential(projectedBlock(), new ReLU(),
                new Concat(new Conv2d(Conv2dConfig.of(3, 2, 1)), new Sequential(new BatchNorm2d(3))));
        m.initialize(new Rng(9));
        assertEquals(List.of("0.body.0.weight", "0.body.1.weight", "0.body.1.bias", "0.body.1.running_mean",
                "0.body.1.running_var", "0.body.1.num_batches_tracked", "0.body.3.weight", "0.body.4.weight", "0.body.4.bias",
                "0.body.4.running_mean", "0.body.4.running_var", "0.body.4.num_batches_tracked", "0.shortcut.0.weight",
                "0.shortcut.1.weight", "0.shortcut.1.bias", "0.shortcut.1.running_mean", "0.shortcut.1.running_var",
                "0.shortcut.1.num_batches_tracked", "2.0.weight", "2.0.bias", "2.1.0.weight", "2.1.0.bias",
                "2.1.0.running_mean", "2.1.0.running_var", "2.1.0.num_batches_tracked"), List.copyOf(m.stateDict().keySet()));
        assertEquals(List.of("body"), List.copyOf(new Residual(new Identity()).children().keySet()));
    }

    /** Hooks on layers inside a block fire in forward order, as a summary or Grad-CAM needs. */
    @Test
    void forwardHooksAndChildrenReachTheInnerLayers() {
        Sequential m = new Sequential(projectedBlock(), new ReLU(), new Concat(new Identity(), new Identity()));
        m.initialize(new Rng(10));
        List<String> seen = new ArrayList<>();
        walk("", m, (name, layer) -> layer.addForwardHook((mod, in, out) -> seen.add(name + " " + out.shape())));
        m.forward(TestTensors.uniform(new Rng(11), -1, 1, 1, 2, 4, 4));
        assertEquals(List.of("0.body.0 [1, 3, 2, 2]", "0.body.1 [1, 3, 2, 2]", "0.body.2 [1, 3, 2, 2]",
                "0.body.3 [1, 3, 2, 2]", "0.body.4 [1, 3, 2, 2]", "0.shortcut.0 [1, 3, 2, 2]", "0.shortcut.1 [1, 3, 2, 2]",
                "1 [1, 3, 2, 2]", "2.0 [1, 3, 2, 2]", "2.1 [1, 3, 2, 2]"), seen);
    }

    private static void walk(String prefix, Module m, java.util.function.BiConsumer<String, Module> visit) {
        if (m.children().isEmpty()) {
            visit.accept(prefix, m);
        }
        m.children().forEach((name, child) -> walk(prefix.isEmpty() ? name : prefix + "." + name, child, visit));
    }

    @Test
    void trainAndEvalReachTheInnerLayers() {
        Sequential m = new Sequential(projectedBlock());
        m.eval();
        Residual block = (Residual) m.get(0);
        assertEquals(false, ((Sequential) block.shortcut()).get(1).isTraining());
        assertEquals(false, ((Sequential) block.body()).get(4).isTraining());
    }

    @Test
    void errorsNameThePathToTheFailingLayer() {
        Sequential m = new Sequential(new Flatten(), new Residual(new Sequential(new Linear(4, 4), new Linear(5, 4))));
        m.initialize(new Rng(0));
        var e = assertThrows(LayerInputException.class, () -> m.forward(Tensor.zeros(1, 4)));
        assertEquals("1.body.1", e.path());
        assertEquals("layer 1.body.1: Linear(5, 4) expects input [N, 5], got [1, 4]: the layers before it produce 4 features"
                + " per image; check the input image size or the layer's in_features", e.getMessage());

        var mismatch = assertThrows(LayerInputException.class,
                () -> new Sequential(new Residual(new Linear(4, 3))).initialize(new Rng(0)).forward(Tensor.zeros(2, 4)));
        assertEquals("layer 0: Residual: the body gives [2, 3] but the identity shortcut passes the input, [2, 4]; they must"
                + " match to be added (give a shortcut, e.g. a 1x1 Conv2d with the body's stride and channels)",
                mismatch.getMessage());

        var concat = assertThrows(IllegalArgumentException.class,
                () -> new Concat(new Identity(), new MaxPool2d(2)).forward(Tensor.zeros(1, 1, 4, 4)));
        assertEquals("Concat: the branches give [1, 1, 4, 4], [1, 1, 2, 2], which differ in more than the channels"
                + " (dimension 1)", concat.getMessage());
        var branch = assertThrows(LayerInputException.class,
                () -> new Concat(new Identity(), new Linear(3, 2)).initialize(new Rng(0)).forward(Tensor.zeros(1, 4)));
        assertEquals("1", branch.path());
    }

    @Test
    void identityReturnsItsInput() {
        Tensor x = Tensor.zeros(2, 2);
        assertSame(x, new Identity().forward(x));
    }
}

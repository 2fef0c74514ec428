package io.cnn4j.optim;

import io.cnn4j.tensor.OnEveryBackend;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.cnn4j.optim.OptimizerGolden.flag;
import static io.cnn4j.optim.OptimizerGolden.option;

/**
 * {@link RmsProp} against {@code torch.optim.RMSprop}: defaults, alpha, eps and weight decay, momentum,
 * the centred form, and a parameter that has no gradient at some steps. Five steps each; see
 * {@link OptimizerGolden}.
 */
@OnEveryBackend
class RmsPropPyTorchTest {

    @TestFactory
    Stream<DynamicTest> matchesTorchOptimRmsprop() {
        return OptimizerGolden.cases(List.of("rmsprop"), (o, params) -> o.keySet().equals(Set.of("lr"))
                ? new RmsProp(params, option(o, "lr", Double.NaN))
                : new RmsProp(params, option(o, "lr", Double.NaN), option(o, "alpha", 0.99), option(o, "eps", 1e-8),
                option(o, "weight_decay", 0), option(o, "momentum", 0), flag(o, "centered")));
    }
}

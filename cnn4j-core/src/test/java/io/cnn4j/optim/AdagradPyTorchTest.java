package io.cnn4j.optim;

import io.cnn4j.tensor.OnEveryBackend;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.cnn4j.optim.OptimizerGolden.option;

/**
 * {@link Adagrad} against {@code torch.optim.Adagrad}: defaults, learning-rate decay with weight decay,
 * a starting accumulator and eps, and a parameter that has no gradient at some steps (its decay counts
 * its own updates). Five steps each; see {@link OptimizerGolden}.
 */
@OnEveryBackend
class AdagradPyTorchTest {

    @TestFactory
    Stream<DynamicTest> matchesTorchOptimAdagrad() {
        return OptimizerGolden.cases(List.of("adagrad"), (o, params) -> o.keySet().equals(Set.of("lr"))
                ? new Adagrad(params, option(o, "lr", Double.NaN))
                : new Adagrad(params, option(o, "lr", Double.NaN), option(o, "lr_decay", 0), option(o, "weight_decay", 0),
                option(o, "initial_accumulator_value", 0), option(o, "eps", 1e-10)));
    }
}

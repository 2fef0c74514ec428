package io.cnn4j.optim;

import com.google.gson.JsonObject;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.cnn4j.optim.OptimizerGolden.option;

/**
 * {@link Adam} and {@link AdamW} against {@code torch.optim.Adam} and {@code torch.optim.AdamW}:
 * defaults, weight decay, other betas and eps, AMSGrad, and a parameter that has no gradient at some steps.
 * Five steps each; see {@link OptimizerGolden}.
 */
@OnEveryBackend
class AdamPyTorchTest {

    @TestFactory
    Stream<DynamicTest> matchesTorchOptimAdam() {
        return OptimizerGolden.cases(List.of("adam"), (o, params) -> new Adam(params, option(o, "lr", Double.NaN),
                option(o, "beta1", 0.9), option(o, "beta2", 0.999), option(o, "eps", 1e-8), option(o, "weight_decay", 0),
                OptimizerGolden.flag(o, "amsgrad")));
    }

    @TestFactory
    Stream<DynamicTest> matchesTorchOptimAdamW() {
        return OptimizerGolden.cases(List.of("adamw"), AdamPyTorchTest::adamW);
    }

    /** With no options beyond the learning rate, the short constructor must supply PyTorch's defaults. */
    private static Optimizer adamW(JsonObject o, List<Tensor> params) {
        double lr = option(o, "lr", Double.NaN);
        if (o.keySet().equals(Set.of("lr"))) {
            return new AdamW(params, lr);
        }
        return new AdamW(params, lr, option(o, "beta1", 0.9), option(o, "beta2", 0.999), option(o, "eps", 1e-8),
                option(o, "weight_decay", 0.01), OptimizerGolden.flag(o, "amsgrad"));
    }
}

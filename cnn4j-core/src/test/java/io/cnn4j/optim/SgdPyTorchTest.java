package io.cnn4j.optim;

import com.google.gson.JsonObject;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static io.cnn4j.optim.OptimizerGolden.option;

/**
 * {@link Sgd} against {@code torch.optim.SGD}: plain, momentum 0.9, dampening, Nesterov, weight decay,
 * and a parameter that has no gradient at some steps. Five steps each; see {@link OptimizerGolden}.
 */
@OnEveryBackend
class SgdPyTorchTest {

    @TestFactory
    Stream<DynamicTest> matchesTorchOptimSgd() {
        return OptimizerGolden.cases(List.of("sgd"), SgdPyTorchTest::sgd);
    }

    private static Optimizer sgd(JsonObject o, List<Tensor> params) {
        return new Sgd(params, option(o, "lr", Double.NaN), option(o, "momentum", 0), option(o, "dampening", 0),
                option(o, "weight_decay", 0), OptimizerGolden.flag(o, "nesterov"));
    }
}

package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/** log-softmax over the classes of [N, C]. */
public final class LogSoftmax extends StatelessLayer {
    public static final LayerType TYPE = LayerType.of("LogSoftmax", c -> new LogSoftmax())
            .exportsTo(LogSoftmax.class, (layer, onnx, x) -> onnx.node("LogSoftmax", List.of(x), OnnxAttribute.of("axis", 1L)));

    public LogSoftmax() {
        super("LogSoftmax");
    }

    @Override
    protected Tensor compute(Tensor input) {
        requireClassScores(input.shape());
        return Functional.logSoftmax(input);
    }

    @Override
    public Shape outputShape(Shape input) {
        return requireClassScores(input);
    }
}

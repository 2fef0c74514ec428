package io.cnn4j.bench;

import io.cnn4j.kernel.ConvGeometry;
import io.cnn4j.kernel.PoolGeometry;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Conv2dConfig;
import io.cnn4j.nn.LayerConfig;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.MaxPool2d;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.Padding;
import io.cnn4j.nn.ReLU;
import io.cnn4j.nn.Sequential;
import io.cnn4j.tensor.Shape;

import java.util.HashMap;
import java.util.Map;

/**
 * The layers of the built-in models ({@link Models}) with the sizes their kernels get at a given batch.
 * They are found by running the model layer by layer on one blank 28x28 image rather than written down
 * here, so the benchmarks follow the models when those change.
 *
 * <p>A layer is named by its model, its kind and its rank among the layers of that kind:
 * {@code small.conv2} is the second convolution of {@code small}; the kinds are {@code conv}
 * ({@link Conv2d}), {@code pool} ({@link MaxPool2d}) and {@code fc} ({@link Linear}).
 */
final class ModelLayers {

    private ModelLayers() {
    }

    static ConvLayer conv(String id, int batch) {
        Found found = find(id, "conv");
        Conv2d conv = (Conv2d) found.layer();
        Conv2dConfig c = conv.settings();
        if (!(c.padding() instanceof Padding.Fixed(int padH, int padW))) {
            throw new IllegalArgumentException(id + ": benchmarks support fixed padding only, got " + c.padding());
        }
        Shape in = found.input();
        ConvGeometry g = new ConvGeometry(batch, in.dim(1), in.dim(2), in.dim(3), c.outChannels(), c.kernelH(), c.kernelW(),
                c.strideH(), c.strideW(), padH, padW, c.dilationH(), c.dilationW(), c.groups(),
                ConvGeometry.outputSize(in.dim(2), c.kernelH(), c.strideH(), padH, c.dilationH()),
                ConvGeometry.outputSize(in.dim(3), c.kernelW(), c.strideW(), padW, c.dilationW()));
        return new ConvLayer(g, conv.bias() != null, found.nextIsRelu());
    }

    static PoolGeometry pool(String id, int batch) {
        Found found = find(id, "pool");
        LayerConfig c = found.layer().config();
        Shape in = found.input();
        return PoolGeometry.of(batch * in.dim(1), in.dim(2), in.dim(3),
                c.intArg("kernel_size"), c.intArg("stride"), c.intArg("padding"));
    }

    static DenseLayer dense(String id, int batch) {
        Found found = find(id, "fc");
        Linear linear = (Linear) found.layer();
        return new DenseLayer(batch, linear.inFeatures(), linear.outFeatures(), linear.bias() != null, found.nextIsRelu());
    }

    private record Found(Module layer, Shape input, boolean nextIsRelu) {
    }

    private static Found find(String id, String kind) {
        int dot = id.indexOf('.');
        if (dot < 0 || !id.startsWith(kind, dot + 1)) {
            throw new IllegalArgumentException("layer '" + id + "' should be MODEL." + kind + "N, e.g. small." + kind + "1");
        }
        String model = id.substring(0, dot);
        String wanted = id.substring(dot + 1);
        Sequential layers = Models.create(model);
        Map<String, Integer> ranks = new HashMap<>();
        Shape x = Shape.of(1, 1, 28, 28);
        for (int i = 0; i < layers.size(); i++) {
            Module layer = layers.get(i);
            String name = kindOf(layer);
            if (name != null && wanted.equals(name + ranks.merge(name, 1, Integer::sum))) {
                boolean relu = i + 1 < layers.size() && layers.get(i + 1) instanceof ReLU;
                return new Found(layer, x, relu);
            }
            x = layer.outputShape(x);
        }
        throw new IllegalArgumentException("model '" + model + "' has no layer " + wanted + ": " + layers);
    }

    private static String kindOf(Module layer) {
        return switch (layer) {
            case Conv2d _ -> "conv";
            case MaxPool2d _ -> "pool";
            case Linear _ -> "fc";
            default -> null;
        };
    }
}

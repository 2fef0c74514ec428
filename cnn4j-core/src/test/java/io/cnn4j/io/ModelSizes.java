package io.cnn4j.io;

import io.cnn4j.nn.LayerConfig;

/**
 * An upper bound on the parameters a described model would allocate, worked out from its arguments
 * without building it: the fuzz tests build only what is small, since building is not a reader's job
 * and a lying description can ask for gigabytes.
 */
final class ModelSizes {
    /** What the fuzz tests will build: far below any heap, far above any seed. */
    static final double SMALL = 2_000_000;

    private ModelSizes() {
    }

    static double parameters(LayerConfig config) {
        double n = switch (config.type()) {
            case "Conv2d" -> arg(config, "in_channels") * arg(config, "out_channels") * arg(config, "kernel_size")
                    * arg(config, "kernel_size") + arg(config, "out_channels");
            case "Linear" -> arg(config, "in_features") * arg(config, "out_features") + arg(config, "out_features");
            case "BatchNorm1d", "BatchNorm2d" -> 5 * arg(config, "num_features");
            default -> 0;
        };
        for (LayerConfig child : config.children()) {
            n += parameters(child);
        }
        return n;
    }

    private static double arg(LayerConfig config, String name) {
        return config.args().get(name) instanceof Number n ? Math.abs(n.doubleValue()) : 1;
    }
}

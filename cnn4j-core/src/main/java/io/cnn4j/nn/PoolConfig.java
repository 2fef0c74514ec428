package io.cnn4j.nn;

import io.cnn4j.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Window, stride and padding of a pooling layer, validated once; shared by max and average pooling. */
record PoolConfig(String type, int kernelSize, int stride, int padding) {

    PoolConfig {
        if (kernelSize < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException(type + ": kernel_size and stride must be >= 1 and padding >= 0, got "
                    + kernelSize + ", " + stride + ", " + padding);
        }
        if (2 * padding > kernelSize) {
            throw new IllegalArgumentException(type + ": padding " + padding + " must be at most half of kernel_size "
                    + kernelSize + " (as in PyTorch)");
        }
    }

    /** The output shape of {@code layer}, pooling with these settings; throws naming it when it cannot take {@code input}. */
    Shape outputShape(Module layer, Shape input) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException(layer + " expects input [N, C, H, W], got " + input);
        }
        long height = input.dim(2) + 2L * padding;
        long width = input.dim(3) + 2L * padding;
        if (height < kernelSize || width < kernelSize) {
            throw new IllegalArgumentException(layer + ": input " + input.dim(2) + "x" + input.dim(3)
                    + " is smaller than the window " + kernelSize + "x" + kernelSize);
        }
        return Shape.of(input.dim(0), input.dim(1), (int) ((height - kernelSize) / stride + 1),
                (int) ((width - kernelSize) / stride + 1));
    }

    LayerConfig toLayerConfig(boolean average, boolean countIncludePad) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("kernel_size", kernelSize);
        args.put("stride", stride);
        args.put("padding", padding);
        if (average) {
            args.put("count_include_pad", countIncludePad);
        }
        return new LayerConfig(type, args, List.of());
    }

    String describe(boolean average, boolean countIncludePad) {
        StringBuilder sb = new StringBuilder(type).append("(kernel_size=").append(kernelSize);
        if (stride != kernelSize) {
            sb.append(", stride=").append(stride);
        }
        if (padding != 0) {
            sb.append(", padding=").append(padding);
        }
        if (average && !countIncludePad) {
            sb.append(", count_include_pad=False");
        }
        return sb.append(')').toString();
    }
}

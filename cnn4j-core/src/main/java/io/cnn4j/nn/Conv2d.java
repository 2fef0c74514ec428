package io.cnn4j.nn;

import io.cnn4j.autograd.Conv2dSpec;
import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;

/**
 * 2-D convolution over {@code [N, C_in, H, W]}, giving {@code [N, C_out, H_out, W_out]} with
 * {@code H_out = floor((H + 2p - d(k-1) - 1) / s) + 1}. Weight {@code [C_out, C_in/groups, k, k]},
 * bias {@code [C_out]}, initialised as PyTorch does from {@link Rng#global()}.
 */
public final class Conv2d extends Module implements ReluFusable {
    private final Conv2dConfig config;
    private final Conv2dSpec spec;
    private final Tensor weight;
    private final Tensor bias;

    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(Conv2dConfig.of(inChannels, outChannels, kernelSize));
    }

    public Conv2d(Conv2dConfig config) {
        this.config = config;
        this.spec = spec(config);
        int k = config.kernelSize();
        weight = registerParameter("weight", Tensor.zeros(config.outChannels(), config.inChannels() / config.groups(), k, k));
        bias = config.bias() ? registerParameter("bias", Tensor.zeros(config.outChannels())) : null;
        resetParameters(Init.PYTORCH, Rng.global());
    }

    private static Conv2dSpec spec(Conv2dConfig c) {
        int before;
        int after;
        if (c.padding() instanceof Padding.Fixed f) {
            before = f.size();
            after = f.size();
        } else {
            int total = c.dilation() * (c.kernelSize() - 1);
            before = total / 2;
            after = total - before;
        }
        return new Conv2dSpec(c.stride(), c.stride(), before, after, before, after, c.dilation(), c.dilation(), c.groups());
    }

    public Conv2dConfig settings() {
        return config;
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null for a layer built with {@code bias(false)}. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected Tensor compute(Tensor input) {
        checkInput(input);
        return Functional.conv2d(input, weight, bias, spec);
    }

    @Override
    public Tensor computeWithRelu(Tensor input) {
        checkInput(input);
        return Functional.conv2dRelu(input, weight, bias, spec);
    }

    private void checkInput(Tensor input) {
        if (input.rank() != 4 || input.dim(1) != config.inChannels()) {
            throw new IllegalArgumentException(this + " expects input [N, " + config.inChannels() + ", H, W], got "
                    + input.shape());
        }
        int k = config.dilation() * (config.kernelSize() - 1) + 1;
        if (input.dim(2) + spec.padTop() + spec.padBottom() < k || input.dim(3) + spec.padLeft() + spec.padRight() < k) {
            throw new IllegalArgumentException(this + ": input " + input.dim(2) + "x" + input.dim(3)
                    + " is smaller than the kernel's reach " + k + "x" + k + " after padding");
        }
    }

    @Override
    protected void resetParameters(Init init, Rng rng) {
        int kk = config.kernelSize() * config.kernelSize();
        init.fill(weight, bias, config.inChannels() / config.groups() * kk, config.outChannels() * kk, rng);
    }

    @Override
    public LayerConfig config() {
        return LayerConfig.of("Conv2d", "in_channels", config.inChannels(), "out_channels", config.outChannels(),
                "kernel_size", config.kernelSize(), "stride", config.stride(), "padding", config.padding().toConfigValue(),
                "dilation", config.dilation(), "groups", config.groups(), "bias", config.bias());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Conv2d(").append(config.inChannels()).append(", ")
                .append(config.outChannels()).append(", kernel_size=").append(config.kernelSize());
        if (config.stride() != 1) {
            sb.append(", stride=").append(config.stride());
        }
        if (!config.padding().equals(Padding.valid())) {
            sb.append(", padding=").append(config.padding());
        }
        if (config.dilation() != 1) {
            sb.append(", dilation=").append(config.dilation());
        }
        if (config.groups() != 1) {
            sb.append(", groups=").append(config.groups());
        }
        if (!config.bias()) {
            sb.append(", bias=False");
        }
        return sb.append(')').toString();
    }
}

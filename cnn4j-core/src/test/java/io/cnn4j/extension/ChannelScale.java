package io.cnn4j.extension;

import io.cnn4j.nn.Init;
import io.cnn4j.nn.LayerConfig;
import io.cnn4j.nn.LayerSizes;
import io.cnn4j.nn.LayerType;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Node;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Multiplies each channel of {@code [N, C, ...]} by a learned factor, {@code weight} {@code [C]} (ones to
 * start): a layer written as a user of cnn4j writes one, with a parameter, an argument and its own
 * backward pass, which {@code ModuleGradCheck} checks. Its type says how large a description of it is
 * without building it, so that a description claiming billions of channels is refused unbuilt.
 */
public final class ChannelScale extends Module {
    public static final LayerType TYPE = LayerType.of("ChannelScale", c -> new ChannelScale(c.intArg("channels")))
            .require("channels", LayerType.Kind.WHOLE)
            .sizedBy(ChannelScale::sizes);

    private final int channels;
    private final Tensor weight;

    public ChannelScale(int channels) {
        checkChannels(channels);
        this.channels = channels;
        this.weight = registerParameter("weight", Tensor.full(1f, channels));
    }

    private static void checkChannels(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("ChannelScale: channels must be >= 1, got " + channels);
        }
    }

    private static LayerSizes sizes(LayerConfig c) {
        int channels = c.intArg("channels");
        checkChannels(channels);
        String layer = describe(channels);
        return new LayerSizes(layer, channels, 0, input -> outputShape(layer, channels, input));
    }

    public Tensor weight() {
        return weight;
    }

    @Override
    protected Tensor compute(Tensor input) {
        outputShape(input.shape());
        float[] x = input.data();
        float[] w = weight.data();
        int plane = input.shape().sizeFrom(2);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * w[i / plane % channels];
        }
        Tensor out = Tensor.of(y, input.shape());
        if (!GradMode.isEnabled() || !input.requiresGrad() && !weight.requiresGrad()) {
            return out;
        }
        return out.recordedBy(new Node() {
            @Override
            public String name() {
                return "ChannelScale";
            }

            @Override
            public List<Tensor> inputs() {
                return List.of(input, weight);
            }

            @Override
            public Tensor[] backward(Tensor gradOutput) {
                float[] g = gradOutput.data();
                float[] dx = new float[x.length];
                float[] dw = new float[channels];
                for (int i = 0; i < x.length; i++) {
                    int c = i / plane % channels;
                    dx[i] = g[i] * w[c];
                    dw[c] += g[i] * x[i];
                }
                return new Tensor[] {input.requiresGrad() ? Tensor.of(dx, input.shape()) : null,
                    weight.requiresGrad() ? Tensor.of(dw, weight.shape()) : null};
            }

            @Override
            public void release() {
            }
        });
    }

    @Override
    public Shape outputShape(Shape input) {
        return outputShape(toString(), channels, input);
    }

    private static Shape outputShape(String layer, int channels, Shape input) {
        if (input.rank() < 2 || input.dim(1) != channels) {
            throw new IllegalArgumentException(layer + " expects input [N, " + channels + ", ...], got " + input);
        }
        return input;
    }

    @Override
    protected void resetParameters(Init init, Rng rng) {
        Arrays.fill(weight.data(), 1f);
    }

    @Override
    public LayerConfig config() {
        return TYPE.config("channels", channels);
    }

    @Override
    public String toString() {
        return describe(channels);
    }

    private static String describe(int channels) {
        return "ChannelScale(" + channels + ")";
    }
}

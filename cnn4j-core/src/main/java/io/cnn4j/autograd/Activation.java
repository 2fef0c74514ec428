package io.cnn4j.autograd;

import io.cnn4j.kernel.Kernels;
import io.cnn4j.kernel.Pointwise;

/** The element-wise activation functions, each with its derivative, as calls to the kernels. */
public enum Activation {
    RELU("ReLU") {
        @Override
        void forward(Kernels k, float param, float[] x, float[] y) {
            k.relu(x, y, x.length);
        }

        @Override
        void backward(Kernels k, float param, float[] x, float[] y, float[] dy, float[] dx) {
            k.reluBackward(y, dy, dx, dy.length);
        }
    },
    LEAKY_RELU("LeakyReLU") {
        @Override
        void forward(Kernels k, float slope, float[] x, float[] y) {
            k.leakyRelu(slope, x, y, x.length);
        }

        @Override
        void backward(Kernels k, float slope, float[] x, float[] y, float[] dy, float[] dx) {
            k.leakyReluBackward(slope, x, dy, dx, dy.length);
        }
    },
    SIGMOID("Sigmoid") {
        @Override
        void forward(Kernels k, float param, float[] x, float[] y) {
            k.sigmoid(x, y, x.length);
        }

        @Override
        void backward(Kernels k, float param, float[] x, float[] y, float[] dy, float[] dx) {
            k.sigmoidBackward(y, dy, dx, dy.length);
        }
    },
    TANH("Tanh") {
        @Override
        void forward(Kernels k, float param, float[] x, float[] y) {
            k.tanh(x, y, x.length);
        }

        @Override
        void backward(Kernels k, float param, float[] x, float[] y, float[] dy, float[] dx) {
            k.tanhBackward(y, dy, dx, dy.length);
        }
    },
    GELU("GELU", Pointwise.GELU),
    GELU_TANH("GELU", Pointwise.GELU_TANH),
    SILU("SiLU", Pointwise.SILU),
    ELU("ELU", Pointwise.ELU),
    HARDSWISH("Hardswish", Pointwise.HARDSWISH);

    private final String displayName;
    /** The kernels' function, for activations that have no kernel of their own. */
    private final Pointwise function;

    Activation(String displayName) {
        this(displayName, null);
    }

    Activation(String displayName, Pointwise function) {
        this.displayName = displayName;
        this.function = function;
    }

    public String displayName() {
        return displayName;
    }

    void forward(Kernels k, float param, float[] x, float[] y) {
        k.pointwise(function, param, x, y, x.length);
    }

    void backward(Kernels k, float param, float[] x, float[] y, float[] dy, float[] dx) {
        k.pointwiseBackward(function, param, x, dy, dx, dy.length);
    }
}

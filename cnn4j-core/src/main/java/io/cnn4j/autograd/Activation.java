package io.cnn4j.autograd;

import io.cnn4j.kernel.Kernels;

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
    };

    private final String displayName;

    Activation(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    abstract void forward(Kernels k, float param, float[] x, float[] y);

    abstract void backward(Kernels k, float param, float[] x, float[] y, float[] dy, float[] dx);
}

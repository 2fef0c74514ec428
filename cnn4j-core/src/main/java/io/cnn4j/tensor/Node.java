package io.cnn4j.tensor;

import io.cnn4j.kernel.Kernels;

import java.util.List;

/**
 * One recorded operation in the autograd graph: the function that produced a tensor, able to turn the
 * gradient of its output into gradients of its inputs. Implementations live beside their forward
 * computation (package {@code io.cnn4j.autograd}); this interface is all the engine needs of them.
 */
public interface Node {
    /** Name shown in errors, e.g. {@code "Conv2d"}. */
    String name();

    /** The tensors this operation read, in the order {@link #backward} returns their gradients. */
    List<Tensor> inputs();

    /**
     * Given dLoss/dOutput, returns dLoss/dInput for each input, with {@code null} for inputs that do not
     * require a gradient. Called at most once; the node may drop what it saved afterwards.
     */
    Tensor[] backward(Tensor gradOutput);

    /** Drops the activations this node saved for backward, so the graph holds no memory after it ran. */
    void release();

    /**
     * The kernels this operation's forward pass ran on, which its backward pass and the sums of its
     * gradients use; by default those of the computation running now.
     */
    default Kernels kernels() {
        return Execution.kernels();
    }
}

package io.cnn4j.autograd;

import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Concatenation along dimension 1 of tensors that agree in every other dimension; see
 * {@link Functional#concat}. Forward copies each input's slab of every image into place, backward
 * copies the same slabs of the gradient back out: no arithmetic, so no kernel.
 */
final class ConcatOp extends Op {
    private final int[] widths;
    private final int batch;

    private ConcatOp(Tensor[] inputs, int[] widths) {
        super("Concat", inputs);
        this.widths = widths;
        this.batch = inputs[0].dim(0);
    }

    static Tensor apply(List<Tensor> tensors) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("concat: nothing to concatenate");
        }
        Tensor first = tensors.get(0);
        if (first.rank() < 2) {
            throw new IllegalArgumentException("concat: expected tensors [N, C, ...], got " + first.shape());
        }
        int[] dims = first.dims();
        int[] widths = new int[tensors.size()];
        int channels = 0;
        for (int i = 0; i < widths.length; i++) {
            Tensor t = tensors.get(i);
            int[] d = t.dims();
            dims[1] = d.length > 1 ? d[1] : 0;
            if (!Arrays.equals(dims, d)) {
                throw new IllegalArgumentException("concat: tensor " + i + " has shape " + t.shape() + " but tensor 0 has "
                        + first.shape() + "; all must agree except in dimension 1");
            }
            widths[i] = t.shape().sizeFrom(1);
            channels += d[1];
        }
        dims[1] = channels;
        Tensor y = Tensor.temporary(Shape.of(dims));
        int batch = first.dim(0);
        int row = y.shape().sizeFrom(1);
        int offset = 0;
        for (int i = 0; i < widths.length; i++) {
            float[] src = tensors.get(i).data();
            for (int n = 0; n < batch; n++) {
                System.arraycopy(src, n * widths[i], y.data(), n * row + offset, widths[i]);
            }
            offset += widths[i];
        }
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        if (recording(inputs)) {
            y.recordedBy(new ConcatOp(inputs, widths));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor[] grads = new Tensor[widths.length];
        int row = gradOutput.shape().sizeFrom(1);
        int offset = 0;
        for (int i = 0; i < widths.length; i++) {
            if (needsGrad(i)) {
                Tensor g = Tensor.temporary(inputs().get(i).shape());
                for (int n = 0; n < batch; n++) {
                    System.arraycopy(gradOutput.data(), n * row + offset, g.data(), n * widths[i], widths[i]);
                }
                grads[i] = g;
            }
            offset += widths[i];
        }
        return grads;
    }

    @Override
    public void release() {
    }
}

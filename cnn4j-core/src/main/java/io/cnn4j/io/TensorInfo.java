package io.cnn4j.io;

import java.util.List;

/**
 * One tensor as a safetensors header describes it: name, element type, shape, and where its bytes lie
 * in the data section ({@code begin} inclusive, {@code end} exclusive, counted from the first byte
 * after the header).
 */
public record TensorInfo(String name, Dtype dtype, List<Long> shape, long begin, long end) {

    public TensorInfo {
        shape = List.copyOf(shape);
    }

    /** Number of elements: the product of the shape, 1 for a scalar. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes of data the offsets cover. */
    public long byteCount() {
        return end - begin;
    }
}

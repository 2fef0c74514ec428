package io.cnn4j.onnx;

import java.util.Arrays;

/** A growing list of longs, for repeated fields whose count the wire format does not give up front. */
final class LongList {
    private long[] values = new long[8];
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int size() {
        return size;
    }

    long[] toArray() {
        return Arrays.copyOf(values, size);
    }
}

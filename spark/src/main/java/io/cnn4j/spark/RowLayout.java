package io.cnn4j.spark;

import io.cnn4j.data.ColorMode;
import io.cnn4j.data.DataFileException;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.ImageDecoder;
import io.cnn4j.data.Preprocessing;
import io.cnn4j.data.ResizeMode;
import org.apache.spark.sql.Row;
import scala.Tuple2;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Where the image and label are in a row, and the images' shape: an image is {@code C * H * W} unsigned
 * bytes, row-major {@code [C, H, W]}, in a binary column or an array of integers from 0 to 255; or an encoded
 * picture in a binary column (Spark's {@code binaryFile} source), decoded and resized to the shape; or a
 * picture of Spark's {@code image} source. The label is an integer in {@code [0, classes)}.
 */
record RowLayout(int imageColumn, int labelColumn, int channels, int height, int width, List<String> classNames)
        implements Serializable {

    int imageBytes() {
        return channels * height * width;
    }

    /** The image of {@code row} as bytes, or an error naming the partition and row when it is not one. */
    byte[] image(Row row, int partition, long index) {
        Object value = row.get(imageColumn);
        byte[] bytes;
        if (value instanceof byte[] b) {
            bytes = b.length == imageBytes() ? b : decoded(b, partition, index);
        } else if (value instanceof Row struct && struct.schema() != null && struct.schema().getFieldIndex("nChannels").isDefined()) {
            bytes = fromImageSource(struct, partition, index);
        } else if (value instanceof scala.collection.Seq<?> || value instanceof List<?>) {
            List<?> list = value instanceof List<?> l ? l : scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) value);
            bytes = new byte[list.size()];
            for (int i = 0; i < bytes.length; i++) {
                int v = ((Number) list.get(i)).intValue();
                if (v < 0 || v > 255) {
                    throw new IllegalArgumentException("partition " + partition + ", row " + index + ": pixel " + i
                            + " is " + v + ", outside 0 to 255");
                }
                bytes[i] = (byte) v;
            }
        } else {
            throw new IllegalArgumentException("partition " + partition + ", row " + index + ": the image column holds "
                    + (value == null ? "null" : value.getClass().getSimpleName()) + ", not binary, an array of integers or"
                    + " an image source's picture");
        }
        if (bytes.length != imageBytes()) {
            throw new IllegalArgumentException("partition " + partition + ", row " + index + ": the image has "
                    + bytes.length + " values, where [" + channels + ", " + height + ", " + width + "] needs " + imageBytes());
        }
        return bytes;
    }

    /**
     * An encoded picture (a {@code binaryFile} source's {@code content}: PNG, JPEG, ...) decoded and resized
     * to this shape as a folder of pictures is; bytes that are no picture are returned as they are, for the
     * size check to refuse.
     */
    private byte[] decoded(byte[] encoded, int partition, long index) {
        if (channels != 1 && channels != 3) {
            return encoded;
        }
        try {
            return ImageDecoder.read(encoded, "partition " + partition + ", row " + index,
                    new Preprocessing(ColorMode.ofChannels(channels), height, width, ResizeMode.STRETCH)).pixels();
        } catch (DataFileException e) {
            return encoded;
        }
    }

    /**
     * A picture from Spark's {@code image} source: {@code height x width x nChannels} bytes, interleaved, in
     * OpenCV's order (blue, green, red), turned into planar red, green, blue.
     */
    private byte[] fromImageSource(Row image, int partition, long index) {
        int h = image.getInt(image.fieldIndex("height"));
        int w = image.getInt(image.fieldIndex("width"));
        int c = image.getInt(image.fieldIndex("nChannels"));
        byte[] data = (byte[]) image.get(image.fieldIndex("data"));
        if (h != height || w != width || c != channels || data.length != imageBytes()) {
            throw new IllegalArgumentException("partition " + partition + ", row " + index + ": the image is " + h + "x" + w
                    + " with " + c + " channel(s), where [" + channels + ", " + height + ", " + width + "] is needed");
        }
        byte[] planar = new byte[data.length];
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            int from = c == 3 ? 2 - ch : ch;
            for (int p = 0; p < plane; p++) {
                planar[ch * plane + p] = data[p * c + from];
            }
        }
        return planar;
    }

    /** The label of {@code row}, or an error naming the partition and row when it is not one of the classes. */
    int label(Row row, int partition, long index) {
        Object value = row.get(labelColumn);
        if (!(value instanceof Number n) || n.longValue() < 0 || n.longValue() >= classNames.size()) {
            throw new IllegalArgumentException("partition " + partition + ", row " + index + ": label " + value
                    + " is not one of the " + classNames.size() + " classes (0 to " + (classNames.size() - 1) + ")");
        }
        return n.intValue();
    }

    /** A worker's rows, each with its number in the data set, as one message: the count, then index, label and pixels of each. */
    byte[] encode(Iterator<Tuple2<Long, Row>> rows, int partition) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(all); DataOutputStream b = new DataOutputStream(body)) {
            int count = 0;
            while (rows.hasNext()) {
                Tuple2<Long, Row> row = rows.next();
                b.writeLong(row._1());
                b.writeInt(label(row._2(), partition, row._1()));
                b.write(image(row._2(), partition, row._1()));
                count++;
            }
            b.flush();
            out.writeInt(count);
            body.writeTo(out);
            out.flush();
            return all.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Encoded rows (a worker's, or several workers'), in the data set's order, as one data set. */
    Dataset decode(byte[][] shards, String description) {
        int total = 0;
        for (byte[] s : shards) {
            total = Math.addExact(total, ByteBuffer.wrap(s).getInt());
        }
        int n = imageBytes();
        long[] index = new long[total];
        int[] labels = new int[total];
        byte[][] images = new byte[total][];
        int at = 0;
        for (byte[] s : shards) {
            ByteBuffer in = ByteBuffer.wrap(s);
            int count = in.getInt();
            for (int i = 0; i < count; i++, at++) {
                index[at] = in.getLong();
                labels[at] = in.getInt();
                images[at] = new byte[n];
                in.get(images[at]);
            }
        }
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> index[i]));
        byte[] pixels = new byte[Math.multiplyExact(total, n)];
        int[] sortedLabels = new int[total];
        for (int k = 0; k < total; k++) {
            System.arraycopy(images[order[k]], 0, pixels, k * n, n);
            sortedLabels[k] = labels[order[k]];
        }
        return Dataset.of(pixels, sortedLabels, channels, height, width, classNames, description);
    }
}

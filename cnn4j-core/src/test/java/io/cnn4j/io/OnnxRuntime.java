package io.cnn4j.io;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.cnn4j.tensor.Shape;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * An exported model running in ONNX Runtime, as a user's program runs it: pixels in [0, 1] in, one row
 * of scores per image out. One runtime environment serves every test (it is a process-wide native object).
 */
public final class OnnxRuntime implements AutoCloseable {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    public OnnxRuntime(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            session = ENV.createSession(model, options);
        }
    }

    /** The scores of images {@code from} to {@code to} of {@code pixels}, images of shape {@code image} one after another. */
    public float[][] run(float[] pixels, Shape image, int from, int to) throws OrtException {
        int size = image.size();
        float[] batch = Arrays.copyOfRange(pixels, from * size, to * size);
        long[] dims = new long[image.rank() + 1];
        dims[0] = to - from;
        for (int d = 0; d < image.rank(); d++) {
            dims[d + 1] = image.dim(d);
        }
        try (OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(batch), dims);
             OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    /** The model's metadata_props, as ONNX Runtime reads them. */
    public Map<String, String> metadata() throws OrtException {
        return session.getMetadata().getCustomMetadata();
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}

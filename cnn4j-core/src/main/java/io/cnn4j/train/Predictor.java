package io.cnn4j.train;

import io.cnn4j.autograd.Functional;
import io.cnn4j.data.ClipFolder;
import io.cnn4j.data.ImageFiles;
import io.cnn4j.data.InputSpec;
import io.cnn4j.io.ModelFile;
import io.cnn4j.io.ModelFileException;
import io.cnn4j.io.SavedModel;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Classifies picture files with a saved model, turning each into exactly the input training made: the
 * model file's {@link InputSpec} says how to decode, convert and resize a picture and how to normalise it.
 * Not for use by several threads at once.
 *
 * {@snippet :
 * Predictor predictor = Predictor.load(Path.of("model.safetensors"));
 * Prediction best = predictor.predict(Path.of("photo.jpg")).getFirst();
 * }
 */
public final class Predictor {
    private final Module model;
    private final InputSpec input;
    private final TestTimeAugmentation views;
    private final Workspace workspace = new Workspace();

    private Predictor(Module model, InputSpec input, TestTimeAugmentation views) {
        this.model = model;
        this.input = input;
        this.views = views;
    }

    /** The model in {@code modelFile} with the input its metadata records (a file recording none is a Fashion-MNIST model's). */
    public static Predictor load(Path modelFile) throws IOException {
        return of(ModelFile.read(modelFile), modelFile);
    }

    /**
     * A loaded model with the input its metadata records; {@code file} names it in errors.
     *
     * @throws ModelFileException when the metadata is damaged or the model does not take the input it records
     */
    public static Predictor of(SavedModel saved, Path file) throws ModelFileException {
        InputSpec input;
        try {
            input = InputSpec.fromMetadata(saved.metadata());
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, e.getMessage(), e);
        }
        Module model = saved.model().eval();
        Shape image = input.shape();
        Shape batch = one(image);
        Shape out;
        try {
            out = model.outputShape(batch);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "the model does not take the " + InputSpec.format(image)
                    + " images its metadata records: " + e.getMessage(), e);
        }
        if (!out.equals(Shape.of(1, input.classes()))) {
            throw new ModelFileException(file, "the model gives outputs of shape " + out + " for one image, but its"
                    + " metadata names " + input.classes() + " classes");
        }
        return new Predictor(model, input, TestTimeAugmentation.NONE);
    }

    /** This predictor averaging each image's outputs over the views of {@code tta}. */
    public Predictor withTestTimeAugmentation(TestTimeAugmentation tta) {
        return new Predictor(model, input, tta);
    }

    /** What the model takes: shape, class names, preprocessing and normalisation. */
    public InputSpec input() {
        return input;
    }

    /** The model, in evaluation mode. */
    public Module model() {
        return model;
    }

    /**
     * The picture {@code spec} names (a file, or {@code file#index} of an IDX file) as the model's input
     * before normalisation: {@code [1, C, H, W]} in [0, 1], decoded by the recorded preprocessing. For a
     * model of clips, the clip it names (a GIF or a folder of frames, {@link ClipFolder#tensor}) as
     * {@code [1, C, T, H, W]}.
     */
    public Tensor pixels(String spec) throws IOException {
        if (input.isClip()) {
            return ClipFolder.tensor(Path.of(spec), input.shape(), input.preprocessing());
        }
        return ImageFiles.read(spec, input.preprocessing()).tensor();
    }

    /** The exact input the model sees for {@code file}: its {@link #pixels} normalised as in training. */
    public Tensor tensor(Path file) throws IOException {
        Tensor pixels = pixels(file.toString());
        if (input.normalize() != null) {
            input.normalize().apply(pixels);
        }
        return pixels;
    }

    /** The classes of the picture {@code file}, most probable first. */
    public List<Prediction> predict(Path file) throws IOException {
        return predict(file.toString());
    }

    /** The classes of the picture {@code spec} names, most probable first. */
    public List<Prediction> predict(String spec) throws IOException {
        return classify(List.of(pixels(spec))).getFirst();
    }

    /** The classes of each of {@code files}, most probable first, classified in batches. */
    public List<List<Prediction>> predictAll(List<Path> files, int batchSize) throws IOException {
        List<List<Prediction>> out = new ArrayList<>();
        for (int from = 0; from < files.size(); from += batchSize) {
            List<Tensor> batch = new ArrayList<>();
            for (Path file : files.subList(from, Math.min(from + batchSize, files.size()))) {
                batch.add(pixels(file.toString()));
            }
            out.addAll(classify(batch));
        }
        return out;
    }

    /**
     * The classes of each of {@code images}, {@code [1, C, H, W]} as {@link #pixels} makes them (not yet
     * normalised), most probable first; they go through the model as one batch.
     */
    public List<List<Prediction>> classify(List<Tensor> images) {
        if (images.isEmpty()) {
            return List.of();
        }
        Tensor pixels = stack(images);
        float[] p = Execution.call(model.kernels(), () -> {
            try (var ignored = GradMode.noGrad()) {
                return Functional.softmax(views.logits(model, pixels, input.normalize(), workspace)).data();
            }
        });
        List<List<Prediction>> out = new ArrayList<>();
        int k = input.classes();
        for (int i = 0; i < pixels.dim(0); i++) {
            out.add(ranked(Arrays.copyOfRange(p, i * k, (i + 1) * k)));
        }
        return out;
    }

    private List<Prediction> ranked(float[] probabilities) {
        List<Prediction> out = new ArrayList<>();
        for (int c = 0; c < probabilities.length; c++) {
            out.add(new Prediction(c, input.classNames().get(c), probabilities[c]));
        }
        out.sort(Comparator.comparingDouble((Prediction q) -> -q.probability()).thenComparingInt(Prediction::label));
        return List.copyOf(out);
    }

    /** Images {@code [1, C, H, W]} (clips {@code [1, C, T, H, W]}) of the model's input shape as one batch. */
    private Tensor stack(List<Tensor> images) {
        Shape image = input.shape();
        Shape one = one(image);
        float[] all = new float[images.size() * image.size()];
        for (int i = 0; i < images.size(); i++) {
            Tensor t = images.get(i);
            if (!t.shape().equals(one)) {
                throw new IllegalArgumentException("the model takes images " + one + ", got " + t.shape());
            }
            System.arraycopy(t.data(), 0, all, i * image.size(), image.size());
        }
        int[] dims = one.dims();
        dims[0] = images.size();
        return Tensor.of(all, dims);
    }

    /** A batch of one {@code item}. */
    private static Shape one(Shape item) {
        int[] dims = new int[item.rank() + 1];
        dims[0] = 1;
        System.arraycopy(item.dims(), 0, dims, 1, item.rank());
        return Shape.of(dims);
    }
}

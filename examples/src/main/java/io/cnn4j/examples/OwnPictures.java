package io.cnn4j.examples;

import io.cnn4j.data.DataLoader;
import io.cnn4j.data.DataOptions;
import io.cnn4j.data.DataSplit;
import io.cnn4j.data.Datasets;
import io.cnn4j.data.InputSpec;
import io.cnn4j.data.Preprocessing;
import io.cnn4j.data.ResizeMode;
import io.cnn4j.io.ModelFile;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.optim.Adam;
import io.cnn4j.tensor.Rng;
import io.cnn4j.train.Prediction;
import io.cnn4j.train.Predictor;
import io.cnn4j.train.Trainer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a built-in model on a folder of pictures ({@code DIR/<class>/...} or {@code DIR/train} with
 * {@code DIR/test}), saves it with what it needs to read a raw photo, and classifies a picture with the
 * saved file, as {@code cnn4j train}, {@code predict} do.
 *
 * <p>Run it with {@code ./examples/run OwnPictures DIR MODEL.safetensors [PICTURE]}.
 */
public final class OwnPictures {
    private OwnPictures() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path saved = Path.of(args[1]);
        // Every picture becomes 64x64: scaled to cover it, the centre cut out. Colour follows the data.
        Preprocessing preprocessing = Preprocessing.NONE.withSize(64, 64, ResizeMode.CROP);
        DataSplit data = Datasets.resolve(dir.toString(),
                new DataOptions(preprocessing, 0.2, 0, false, null, null));
        System.out.println("data: " + data.description());

        var train = data.train();
        Module model = Models.create("seed", train.imageShape(), train.numClasses(), new Rng(0));
        new Trainer(model, new Adam(model.parameters(), 1e-3))
                .fit(DataLoader.shuffled(train, 64, 0), data.test(), 2)
                .forEach(epoch -> System.out.printf("epoch %d: test accuracy %.4f%n", epoch.epoch(), epoch.testAccuracy()));

        Map<String, String> metadata = new HashMap<>();
        InputSpec.of(train.imageShape(), train.classNames(), ResizeMode.CROP, null).toMetadata(metadata);
        ModelFile.save(saved, model, metadata);

        Path picture = args.length > 2 ? Path.of(args[2]) : null;
        if (picture != null) {
            List<Prediction> top = Predictor.load(saved).predict(picture);
            System.out.printf("%s: %s %.3f%n", picture, top.get(0).name(), top.get(0).probability());
        }
    }
}

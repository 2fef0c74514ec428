package io.cnn4j.train;

import io.cnn4j.data.ClipWriter;
import io.cnn4j.data.DataSplit;
import io.cnn4j.data.Datasets;
import io.cnn4j.data.InputSpec;
import io.cnn4j.data.MovingFashion;
import io.cnn4j.data.ResizeMode;
import io.cnn4j.io.ModelFile;
import io.cnn4j.io.ModelFileException;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A saved video model keeps its clip input, and classifies a clip file as the data set's clip. */
class ClipPredictorTest {
    private static final Shape CLIP = Shape.of(1, 4, 16, 16);

    @TempDir
    Path dir;

    @Test
    void aSavedVideoModelClassifiesAClipFileAsTheSameClipInMemory() throws IOException {
        Module model = Models.create("video3d", CLIP, 8, new Rng(4));
        Map<String, String> meta = new LinkedHashMap<>();
        InputSpec.of(CLIP, MovingFashion.DIRECTIONS, ResizeMode.STRETCH, null).toMetadata(meta);
        Path file = dir.resolve("video.safetensors");
        ModelFile.save(file, model, meta);

        Predictor predictor = Predictor.load(file);
        assertEquals(CLIP, predictor.input().shape());
        assertEquals(MovingFashion.DIRECTIONS, predictor.input().classNames());

        DataSplit clips = MovingFashion.split(Datasets.embedded().subset(3, 16), new MovingFashion.Options(4, 16, 1, 9));
        ClipWriter.write(clips.test(), dir.resolve("clips"), ClipWriter.Format.GIF);
        Path gif;
        try (Stream<Path> files = Files.walk(dir.resolve("clips"))) {
            gif = files.filter(p -> p.getFileName().toString().equals("00005.gif")).findFirst().orElseThrow();
        }
        Tensor read = predictor.pixels(gif.toString());
        assertArrayEquals(clips.test().batch(5).data(), read.data());
        List<Prediction> ranked = predictor.predict(gif);
        Tensor logits = model.eval().forward(clips.test().batch(5));
        int best = 0;
        for (int k = 1; k < 8; k++) {
            best = logits.data()[k] > logits.data()[best] ? k : best;
        }
        assertEquals(MovingFashion.DIRECTIONS.get(best), ranked.getFirst().name());
    }

    @Test
    void aVideoModelWhoseFileRecordsPicturesIsRefused() throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        InputSpec.of(Shape.of(1, 16, 16), MovingFashion.DIRECTIONS, ResizeMode.STRETCH, null).toMetadata(meta);
        Path file = dir.resolve("wrong.safetensors");
        ModelFile.save(file, Models.create("video3d", CLIP, 8, new Rng(4)), meta);
        assertEquals(file + ": the model does not take the 1x16x16 images its metadata records: ",
                assertThrows(ModelFileException.class, () -> Predictor.load(file)).getMessage().replaceAll(
                        "records: .*", "records: "));
    }
}

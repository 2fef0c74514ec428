package io.cnn4j.models;

import io.cnn4j.data.DataLoader;
import io.cnn4j.data.DataSplit;
import io.cnn4j.data.Datasets;
import io.cnn4j.data.MovingFashion;
import io.cnn4j.nn.Module;
import io.cnn4j.optim.Adam;
import io.cnn4j.tensor.Rng;
import io.cnn4j.train.Evaluator;
import io.cnn4j.train.Trainer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The video model learns the direction a picture moves in from the changes between frames: on small clips
 * it tells the eight directions apart, while the same network given one frame of each clip stays at chance.
 */
class Video3dLearnsMotionTest {
    private static final MovingFashion.Options SMALL = new MovingFashion.Options(4, 16, 1, 0);

    @Test
    void itLearnsTheDirectionFromTimeAndNotFromAPicture() throws IOException {
        DataSplit pictures = Datasets.embedded().subset(1200, 400);
        double moving = accuracy(MovingFashion.split(pictures, SMALL), 4);
        double still = accuracy(MovingFashion.split(pictures, SMALL.withFrames(1)), 2);
        System.out.printf("video3d on 1x4x16x16 clips: %.3f; on one frame a clip: %.3f%n", moving, still);
        assertTrue(moving >= 0.9, "four frames: " + moving);
        assertTrue(still < 0.2, "one frame: " + still);
    }

    private static double accuracy(DataSplit clips, int epochs) {
        Module model = Models.create("video3d", clips.train().itemShape(), 8, new Rng(1));
        Trainer trainer = new Trainer(model, new Adam(model.parameters(), 2e-3));
        trainer.fit(DataLoader.shuffled(clips.train(), 32, 2), null, epochs);
        return Evaluator.evaluate(model, clips.test(), 200, null).accuracy();
    }
}

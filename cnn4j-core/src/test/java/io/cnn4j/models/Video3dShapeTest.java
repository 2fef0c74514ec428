package io.cnn4j.models;

import io.cnn4j.nn.Sequential;
import io.cnn4j.tensor.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Video3dShapeTest {
    @Test
    void itTakesClipsOfAnyFramesAndFramesOfFourPixelsOrMore() {
        for (Shape clip : new Shape[] {Shape.of(1, 8, 32, 32), Shape.of(3, 1, 4, 4), Shape.of(1, 5, 28, 20)}) {
            Sequential model = Models.create("video3d", clip, 5);
            assertEquals(Shape.of(2, 5), model.outputShape(Shape.of(2, clip.dim(0), clip.dim(1), clip.dim(2), clip.dim(3))),
                    clip.toString());
        }
        assertEquals(70_184, Models.video3d().parameterCount());
        assertEquals(Models.MOVING_FASHION_CLIP, Models.defaultInput("video3d"));
        assertEquals(8, Models.defaultClasses("video3d"));
    }

    @Test
    void picturesAndTooSmallFramesAreRefusedByName() {
        assertEquals("model 'video3d' is built for one clip's shape [C, T, H, W], got [1, 28, 28]",
                assertThrows(IllegalArgumentException.class, () -> Models.create("video3d", Shape.of(1, 28, 28), 8))
                        .getMessage());
        assertEquals("model 'video3d' takes frames of at least 4x4 pixels, got 4x3 (1x8x4x3)",
                assertThrows(IllegalArgumentException.class, () -> Models.create("video3d", Shape.of(1, 8, 4, 3), 8))
                        .getMessage());
        assertEquals("model 'video3d' needs at least 2 classes to tell apart, got 1",
                assertThrows(IllegalArgumentException.class, () -> Models.create("video3d", Shape.of(1, 8, 8, 8), 1))
                        .getMessage());
    }
}

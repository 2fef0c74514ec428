package io.cnn4j.data;

import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clips {@code [C, T, H, W]} through the data path that images take. */
class ClipBatchesTest {
    private static final List<String> CLASSES = List.of("a", "b");

    /** Three clips of 2 channels, 3 frames of 2x2; byte = clip * 100 + channel * 20 + frame * 4 + pixel. */
    private static Dataset clips() {
        byte[] pixels = new byte[3 * 2 * 3 * 4];
        for (int i = 0; i < pixels.length; i++) {
            int clip = i / 24;
            int channel = i / 12 % 2;
            int frame = i / 4 % 3;
            pixels[i] = (byte) (clip * 100 + channel * 20 + frame * 4 + i % 4);
        }
        return Dataset.ofClips(pixels, new int[] {0, 1, 0}, 2, 3, 2, 2, CLASSES, "three clips");
    }

    @Test
    void aClipDataSetKnowsItsFramesAndShapes() {
        Dataset d = clips();
        assertTrue(d.isClip());
        assertEquals(3, d.frames());
        assertEquals(Shape.of(2, 3, 2, 2), d.itemShape());
        assertEquals(Shape.of(2, 2, 2), d.imageShape());
        assertEquals(24, d.itemSize());
        assertEquals("three clips: 3 clips of [2, 3, 2, 2], 2 classes", d.toString());
        assertEquals(Shape.of(2, 3, 2, 2), d.subset(2).itemShape());
        assertEquals(Shape.of(2, 3, 2, 2), d.select(new int[] {2}, "one").itemShape());
        Dataset images = Dataset.of(new byte[8], new int[] {0, 1}, 1, 2, 2, CLASSES, "two images");
        assertFalse(images.isClip());
        assertEquals(1, images.frames());
        assertEquals(images.imageShape(), images.itemShape());
    }

    @Test
    void theLoaderServesClipBatchesOfFiveDimensions() {
        DataLoader loader = DataLoader.sequential(clips(), 2);
        List<Batch> batches = new ArrayList<>();
        loader.nextEpoch().forEach(batches::add);
        assertEquals(2, batches.size());
        Tensor first = batches.get(0).images();
        assertEquals(Shape.of(2, 2, 3, 2, 2), first.shape());
        assertEquals(Shape.of(1, 2, 3, 2, 2), batches.get(1).images().shape());
        // clip 1, channel 1, frame 2, pixel 3
        assertEquals((100 + 20 + 8 + 3) / 255f, first.data()[24 + 12 + 8 + 3]);
        assertArrayEquals(new int[] {0, 1}, batches.get(0).labels());
    }

    @Test
    void badClipShapesAreRefused() {
        assertEquals("dataset 'x': 1 clips of [1, 2, 2, 2] need 8 pixel bytes, got 7", assertThrows(
                IllegalArgumentException.class, () -> Dataset.ofClips(new byte[7], new int[] {0}, 1, 2, 2, 2, CLASSES, "x"))
                .getMessage());
        assertEquals("dataset 'x': clip shape [1, 0, 2, 2] must be positive", assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofClips(new byte[0], new int[] {0}, 1, 0, 2, 2, CLASSES, "x")).getMessage());
    }

    @Test
    void normalisationOfClipsTakesEachChannelOverAllItsFrames() {
        Dataset d = clips();
        Normalize n = Normalize.of(d);
        assertEquals(2, n.channels());
        Tensor batch = d.batch(0, 1, 2);
        n.apply(batch);
        double[] sum = new double[2];
        for (int i = 0; i < batch.data().length; i++) {
            sum[i / 12 % 2] += batch.data()[i];
        }
        assertEquals(0, sum[0], 1e-4);
        assertEquals(0, sum[1], 1e-4);
    }

    @Test
    void augmentationTransformsEveryFrameOfAClipAlike() {
        Dataset d = clips();
        Batch batch = DataLoader.sequential(d, 3).nextEpoch().iterator().next();
        new Augmentation(1, List.of(new HorizontalFlip(1.0))).apply(batch, 1, 0);
        float[] data = batch.images().data();
        // every 2x2 frame of every clip and channel is mirrored: pixels 0,1,2,3 become 1,0,3,2
        for (int frame = 0; frame < 18; frame++) {
            int base = frame * 4;
            float v = data[base + 1] * 255;
            assertEquals(Math.round(v) % 4, 0, "frame " + frame + " starts with its pixel 0 on the right");
            assertEquals(Math.round(data[base] * 255) % 4, 1);
        }
        Batch random = DataLoader.sequential(d, 3).nextEpoch().iterator().next();
        new Augmentation(5, List.of(new HorizontalFlip(0.5))).apply(random, 2, 0);
        for (int clip = 0; clip < 3; clip++) {
            boolean flipped = Math.round(random.images().data()[clip * 24] * 255) % 4 == 1;
            for (int frame = 0; frame < 6; frame++) {
                assertEquals(flipped, Math.round(random.images().data()[clip * 24 + frame * 4] * 255) % 4 == 1,
                        "clip " + clip + " frame " + frame);
            }
        }
    }

    @Test
    void anInputSpecRecordsAClipShapeAndReadsItBack() {
        InputSpec spec = InputSpec.of(Shape.of(1, 8, 32, 32), MovingFashion.DIRECTIONS, ResizeMode.STRETCH, null);
        assertTrue(spec.isClip());
        Map<String, String> metadata = new TreeMap<>();
        spec.toMetadata(metadata);
        assertEquals("1x8x32x32", metadata.get(InputSpec.SHAPE_KEY));
        assertEquals("color=gray size=32x32 resize=stretch", metadata.get(InputSpec.PREPROCESSING_KEY));
        assertEquals(spec, InputSpec.fromMetadata(metadata));
        metadata.put(InputSpec.SHAPE_KEY, "1x0x32x32");
        assertEquals("the model's metadata 'cnn4j.input_shape' is damaged ('1x0x32x32'): clips have from 1 to 4096 frames",
                assertThrows(IllegalArgumentException.class, () -> InputSpec.fromMetadata(metadata)).getMessage());
    }
}

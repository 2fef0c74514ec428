package io.cnn4j.data;

import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClipFolderTest {
    @TempDir
    Path dir;

    @Test
    void framesOfAGifAreComposedWithOffsetsTransparencyAndDisposal() throws IOException {
        Path gif = dir.resolve("disposal.gif");
        // frame 0: the whole 8x8 screen at 50; kept
        // frame 1: a 2x2 patch of 200 at column 3, row 4, its top-left pixel transparent; then cleared to background
        // frame 2: one pixel of 100 at 0,0; then undone (restore to previous)
        // frame 3: one pixel of 250 at column 7, row 7
        writeGif(gif, List.of(
                new Patch(0, 0, 8, 8, fill(64, 50), "none"),
                new Patch(3, 4, 2, 2, new byte[] {TRANSPARENT, (byte) 200, (byte) 200, (byte) 200}, "restoreToBackgroundColor"),
                new Patch(0, 0, 1, 1, new byte[] {100}, "restoreToPrevious"),
                new Patch(7, 7, 1, 1, new byte[] {(byte) 250}, "none")));
        List<Picture> frames = ClipFolder.read(gif, 4, Preprocessing.NONE);
        assertEquals(4, frames.size());
        byte[] f0 = fill(64, 50);
        assertArrayEquals(f0, frames.get(0).pixels());
        byte[] f1 = f0.clone();
        f1[4 * 8 + 4] = (byte) 200;
        f1[5 * 8 + 3] = (byte) 200;
        f1[5 * 8 + 4] = (byte) 200;
        assertArrayEquals(f1, frames.get(1).pixels(), "the transparent pixel shows the canvas under it");
        byte[] f2 = f0.clone();
        f2[4 * 8 + 3] = 0;
        f2[4 * 8 + 4] = 0;
        f2[5 * 8 + 3] = 0;
        f2[5 * 8 + 4] = 0;
        f2[0] = 100;
        assertArrayEquals(f2, frames.get(2).pixels(), "frame 1's area is cleared to background, shown black");
        byte[] f3 = f2.clone();
        f3[0] = 50;
        f3[63] = (byte) 250;
        assertArrayEquals(f3, frames.get(3).pixels(), "frame 2 is undone before frame 3 is drawn");
    }

    @Test
    void longerClipsGiveFramesEvenlySpreadFromTheFirst() throws DataFileException {
        assertArrayEquals(new int[] {0, 1, 2, 3}, ClipFolder.pick(4, 4, "c"));
        assertArrayEquals(new int[] {0, 2, 5, 7}, ClipFolder.pick(10, 4, "c"));
        assertArrayEquals(new int[] {0}, ClipFolder.pick(9, 1, "c"));
    }

    @Test
    void aFolderOfClipsReadsFrameFoldersAndGifsIntoClipsOfTFrames() throws IOException {
        Path root = dir.resolve("clips");
        // class "a": a frame folder of 6 frames whose value is the frame number times 10, names sorted
        Path a = Files.createDirectories(root.resolve("a").resolve("one"));
        for (int f = 0; f < 6; f++) {
            png(a.resolve("f" + f + ".png"), fill(12, f * 10), 4, 3);
        }
        Files.writeString(root.resolve("a").resolve("notes.txt"), "not a clip");
        Path b = Files.createDirectories(root.resolve("b"));
        List<Patch> frames = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            frames.add(new Patch(0, 0, 4, 3, fill(12, 100 + f), "none"));
        }
        writeGif(b.resolve("two.gif"), frames);
        writeGif(b.resolve("three.GIF"), frames);
        DataSplit split = ClipFolder.load(root, new DataOptions(Preprocessing.NONE, 0.5, 0, false, null, null, 3));
        assertEquals(Shape.of(1, 3, 3, 4), split.train().itemShape());
        assertEquals(List.of("a", "b"), split.train().classNames());
        assertEquals(2, split.train().size());
        assertEquals(1, split.test().size());
        Dataset train = split.train();
        int a0 = train.label(0) == 0 ? 0 : 1;
        assertEquals(0, train.label(a0), "the class with one clip keeps it for training");
        byte[] expected = new byte[36];
        for (int k = 0; k < 3; k++) {
            Arrays.fill(expected, k * 12, (k + 1) * 12, (byte) (k * 2 * 10));
        }
        assertArrayEquals(expected, train.itemBytes(a0), "frames 0, 2 and 4 of six");
        byte[] gif = new byte[36];
        for (int k = 0; k < 3; k++) {
            Arrays.fill(gif, k * 12, (k + 1) * 12, (byte) (100 + k));
        }
        assertArrayEquals(gif, train.itemBytes(1 - a0), "the GIF's three frames");
        Tensor batch = DataLoader.sequential(split.train(), 2).nextEpoch().iterator().next().images();
        assertEquals(Shape.of(2, 1, 3, 3, 4), batch.shape());
    }

    @Test
    void framesAreResizedAndConvertedLikePictures() throws IOException {
        Path clip = Files.createDirectories(dir.resolve("c"));
        for (int f = 0; f < 2; f++) {
            png(clip.resolve(f + ".png"), fill(64, 80), 8, 8);
        }
        Tensor t = ClipFolder.tensor(clip, Shape.of(3, 2, 4, 4), new Preprocessing(ColorMode.RGB, 4, 4, ResizeMode.STRETCH));
        assertEquals(Shape.of(1, 3, 2, 4, 4), t.shape());
        for (float v : t.data()) {
            assertEquals(80 / 255f, v);
        }
    }

    @Test
    void badClipsAreNamed() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals("clip " + empty + " holds no frames",
                assertThrows(DataFileException.class, () -> ClipFolder.read(empty, 2, Preprocessing.NONE)).getMessage());

        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        png(mixed.resolve("0.png"), fill(12, 1), 4, 3);
        png(mixed.resolve("1.png"), fill(20, 1), 5, 4);
        assertEquals("clip " + mixed + " has frames of different sizes: frame 1 is 5x4, frame 0 is 4x3 (frames used,"
                        + " counted from 0)",
                assertThrows(DataFileException.class, () -> ClipFolder.read(mixed, 2, Preprocessing.NONE)).getMessage());

        assertEquals("clip " + mixed + " has 2 frames, fewer than the 3 each clip gives; give fewer --frames or a"
                        + " longer clip",
                assertThrows(DataFileException.class, () -> ClipFolder.read(mixed, 3, Preprocessing.NONE)).getMessage());

        Path broken = dir.resolve("broken.gif");
        Files.write(broken, new byte[] {'G', 'I', 'F', '8', '9', 'a', 1, 2});
        assertEquals(broken + " is truncated: it ends before its image data does",
                assertThrows(DataFileException.class, () -> ClipFolder.read(broken, 1, Preprocessing.NONE)).getMessage());

        // A 4x4 screen whose one frame claims 40000x40000 pixels (1.6 gigapixels) in a few bytes.
        Path huge = dir.resolve("huge.gif");
        Files.write(huge, new byte[] {'G', 'I', 'F', '8', '9', 'a', 4, 0, 4, 0, (byte) 0x80, 0, 0, 0, 0, 0, -1, -1, -1,
                0x2C, 0, 0, 0, 0, 0x40, (byte) 0x9C, 0x40, (byte) 0x9C, 0, 2, 2, 0x4C, 1, 0, 0x3B});
        assertEquals(huge + " is a 40000x40000 image (1600.0 megapixels), more than the 50 megapixels cnn4j reads;"
                        + " scale it down first",
                assertThrows(DataFileException.class, () -> ClipFolder.read(huge, 1, Preprocessing.NONE)).getMessage());

        Path png = dir.resolve("still.gif");
        png(png, fill(12, 1), 4, 3);
        assertEquals(png + " is not a GIF file: it does not begin with GIF87a or GIF89a",
                assertThrows(DataFileException.class, () -> ClipFolder.read(png, 1, Preprocessing.NONE)).getMessage());
    }

    @Test
    void aClassFolderWithoutClipsIsNamed() throws IOException {
        Path root = dir.resolve("root");
        Path a = Files.createDirectories(root.resolve("a").resolve("clip"));
        png(a.resolve("0.png"), fill(12, 1), 4, 3);
        Path b = Files.createDirectories(root.resolve("b"));
        Files.writeString(b.resolve("readme.txt"), "no clips here");
        assertEquals("class folder " + b + " holds no clips (animated .gif files, or folders of frame pictures)",
                assertThrows(DataFileException.class, () -> ClipFolder.load(root, DataOptions.DEFAULT.withFrames(1)))
                        .getMessage());
    }

    @Test
    void clipsOfDifferentSizesNeedResizing() throws IOException {
        Path root = dir.resolve("sizes");
        Path a = Files.createDirectories(root.resolve("a").resolve("x"));
        png(a.resolve("0.png"), fill(12, 1), 4, 3);
        png(Files.createDirectories(root.resolve("a").resolve("x2")).resolve("0.png"), fill(12, 1), 4, 3);
        Path b = Files.createDirectories(root.resolve("b").resolve("y"));
        png(b.resolve("0.png"), fill(4, 1), 2, 2);
        png(Files.createDirectories(root.resolve("b").resolve("y2")).resolve("0.png"), fill(4, 1), 2, 2);
        assertEquals("clip " + b + " is 2x2, but clip " + a + " is 4x3: give --image-size to resize every clip to one"
                + " size", assertThrows(DataFileException.class, () -> ClipFolder.load(root, DataOptions.DEFAULT.withFrames(1)))
                .getMessage());
        DataOptions resized = new DataOptions(new Preprocessing(null, 2, 2, ResizeMode.STRETCH), 0.5, 0, false, null, null, 1);
        assertEquals(Shape.of(1, 1, 2, 2), ClipFolder.load(root, resized).train().itemShape());
    }

    @Test
    void writtenClipsReadBackExactly() throws IOException {
        Dataset clips = MovingFashion.clips(Datasets.embedded().test().subset(64), new MovingFashion.Options(4, 16, 2, 3));
        DataSplit split = new DataSplit(clips, clips.subset(40), "moving");
        for (ClipWriter.Format format : ClipWriter.Format.values()) {
            Path out = dir.resolve(format.name());
            ClipWriter.write(split, out, format);
            DataSplit back = ClipFolder.load(out, DataOptions.DEFAULT.withFrames(4));
            assertEquals(clips.size(), back.train().size(), format.name());
            assertEquals(40, back.test().size());
            // class folders sort by name and clips by number: find each written clip by its bytes
            for (int i = 0; i < back.train().size(); i++) {
                byte[] read = back.train().itemBytes(i);
                String name = back.train().className(back.train().label(i));
                boolean found = false;
                for (int j = 0; j < clips.size(); j++) {
                    found |= Arrays.equals(read, clips.itemBytes(j)) && clips.className(clips.label(j)).equals(name);
                }
                assertEquals(true, found, format + " clip " + i);
            }
        }
    }

    private static final byte TRANSPARENT = 1;

    private record Patch(int left, int top, int width, int height, byte[] gray, String disposal) {
    }

    private static byte[] fill(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static void png(Path file, byte[] gray, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, width, height, gray);
        ImageIO.write(image, "png", file.toFile());
    }

    /** A GIF of patches at offsets, palette index {@link #TRANSPARENT} transparent, each with its disposal. */
    private static void writeGif(Path file, List<Patch> patches) throws IOException {
        byte[] levels = new byte[256];
        for (int i = 0; i < 256; i++) {
            levels[i] = (byte) i;
        }
        IndexColorModel grays = new IndexColorModel(8, 256, levels, levels, levels);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (Patch p : patches) {
                BufferedImage image = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_BYTE_INDEXED, grays);
                image.getRaster().setDataElements(0, 0, p.width(), p.height(), p.gray());
                IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), null);
                String format = metadata.getNativeMetadataFormatName();
                IIOMetadataNode root = new IIOMetadataNode(format);
                IIOMetadataNode descriptor = new IIOMetadataNode("ImageDescriptor");
                descriptor.setAttribute("imageLeftPosition", Integer.toString(p.left()));
                descriptor.setAttribute("imageTopPosition", Integer.toString(p.top()));
                descriptor.setAttribute("imageWidth", Integer.toString(p.width()));
                descriptor.setAttribute("imageHeight", Integer.toString(p.height()));
                descriptor.setAttribute("interlaceFlag", "FALSE");
                root.appendChild(descriptor);
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", p.disposal());
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "TRUE");
                control.setAttribute("delayTime", "10");
                control.setAttribute("transparentColorIndex", Integer.toString(TRANSPARENT));
                root.appendChild(control);
                metadata.mergeTree(format, root);
                writer.writeToSequence(new IIOImage(image, null, metadata), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }
}

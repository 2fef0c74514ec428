package io.cnn4j.data;

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
import java.util.List;
import java.util.Locale;

/**
 * Writes clips as {@link ClipFolder} reads them: a class folder per class name, a clip per item, as an
 * animated GIF or a folder of PNG frames. GIFs hold gray clips only (a GIF's palette has 256 entries,
 * which hold every gray exactly but not every colour); PNG frames hold either.
 */
public final class ClipWriter {
    /** Hundredths of a second each GIF frame shows. */
    private static final int DELAY = 10;
    private static final IndexColorModel GRAYS = grays();

    private ClipWriter() {
    }

    /** How a clip is written. */
    public enum Format {
        /** One animated GIF a clip, {@code 00000.gif}. */
        GIF,
        /** One folder a clip, {@code 00000/}, of PNG frames {@code 000.png}, {@code 001.png}, ... */
        PNG
    }

    /**
     * Writes {@code split} under {@code dir} as {@code train/<class>/…} and {@code test/<class>/…}, clips
     * numbered in data set order. A class name that is not a plain file name is refused.
     */
    public static void write(DataSplit split, Path dir, Format format) throws IOException {
        write(split.train(), dir.resolve("train"), format);
        write(split.test(), dir.resolve("test"), format);
    }

    /** Writes the clips of {@code clips} into class folders under {@code dir}. */
    public static void write(Dataset clips, Path dir, Format format) throws IOException {
        if (!clips.isClip()) {
            throw new IllegalArgumentException("data set '" + clips.description() + "' holds pictures, not clips");
        }
        if (format == Format.GIF && clips.channels() != 1) {
            throw new IllegalArgumentException("data set '" + clips.description() + "' is in colour, which a GIF's"
                    + " 256-entry palette cannot hold exactly: write it as PNG frames");
        }
        for (String name : clips.classNames()) {
            if (name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("\\")) {
                throw new IllegalArgumentException("class '" + name + "' cannot be a folder's name");
            }
            Files.createDirectories(dir.resolve(name));
        }
        int digits = Math.max(5, Integer.toString(clips.size() - 1).length());
        for (int i = 0; i < clips.size(); i++) {
            String name = String.format(Locale.ROOT, "%0" + digits + "d", i);
            Path classDir = dir.resolve(clips.className(clips.label(i)));
            List<Picture> frames = frames(clips, i);
            if (format == Format.GIF) {
                gif(classDir.resolve(name + ".gif"), frames);
            } else {
                Path clipDir = Files.createDirectories(classDir.resolve(name));
                for (int f = 0; f < frames.size(); f++) {
                    png(clipDir.resolve(String.format(Locale.ROOT, "%03d.png", f)), frames.get(f));
                }
            }
        }
    }

    /** The frames of clip {@code index}, each a picture {@code [C, H, W]}. */
    static List<Picture> frames(Dataset clips, int index) {
        byte[] clip = clips.itemBytes(index);
        int c = clips.channels();
        int t = clips.frames();
        int plane = clips.height() * clips.width();
        List<Picture> out = new ArrayList<>();
        for (int f = 0; f < t; f++) {
            byte[] frame = new byte[c * plane];
            for (int ch = 0; ch < c; ch++) {
                System.arraycopy(clip, (ch * t + f) * plane, frame, ch * plane, plane);
            }
            out.add(new Picture(frame, c, clips.height(), clips.width()));
        }
        return out;
    }

    /** Gray {@code frames} as an animated GIF that loops, each frame whole (disposal none). */
    static void gif(Path file, List<Picture> frames) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(file))) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int f = 0; f < frames.size(); f++) {
                BufferedImage image = indexed(frames.get(f));
                IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), null);
                String format = metadata.getNativeMetadataFormatName();
                IIOMetadataNode root = new IIOMetadataNode(format);
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", Integer.toString(DELAY));
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                if (f == 0) {
                    root.appendChild(loop());
                }
                metadata.mergeTree(format, root);
                writer.writeToSequence(new IIOImage(image, null, metadata), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    /** The NETSCAPE2.0 extension that makes viewers loop the animation forever. */
    private static IIOMetadataNode loop() {
        IIOMetadataNode extensions = new IIOMetadataNode("ApplicationExtensions");
        IIOMetadataNode netscape = new IIOMetadataNode("ApplicationExtension");
        netscape.setAttribute("applicationID", "NETSCAPE");
        netscape.setAttribute("authenticationCode", "2.0");
        netscape.setUserObject(new byte[] {1, 0, 0});
        extensions.appendChild(netscape);
        return extensions;
    }

    private static BufferedImage indexed(Picture gray) {
        BufferedImage image = new BufferedImage(gray.width(), gray.height(), BufferedImage.TYPE_BYTE_INDEXED, GRAYS);
        image.getRaster().setDataElements(0, 0, gray.width(), gray.height(), gray.pixels());
        return image;
    }

    private static void png(Path file, Picture p) throws IOException {
        int plane = p.height() * p.width();
        BufferedImage image = new BufferedImage(p.width(), p.height(),
                p.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        if (p.channels() == 1) {
            image.getRaster().setDataElements(0, 0, p.width(), p.height(), p.pixels());
        } else {
            byte[] b = p.pixels();
            for (int i = 0; i < plane; i++) {
                image.setRGB(i % p.width(), i / p.width(),
                        (b[i] & 0xff) << 16 | (b[plane + i] & 0xff) << 8 | b[2 * plane + i] & 0xff);
            }
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this Java");
        }
    }

    private static IndexColorModel grays() {
        byte[] levels = new byte[256];
        for (int i = 0; i < 256; i++) {
            levels[i] = (byte) i;
        }
        return new IndexColorModel(8, 256, levels, levels, levels);
    }
}

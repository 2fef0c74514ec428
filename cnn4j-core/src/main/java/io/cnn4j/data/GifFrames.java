package io.cnn4j.data;

import org.w3c.dom.Node;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The frames of an animated GIF as a viewer shows them. A GIF frame is a patch drawn at an offset onto a
 * canvas of the file's logical screen size, its transparent pixels letting the canvas show through, and
 * what becomes of it before the next frame is drawn is its disposal: left in place ({@code none},
 * {@code doNotDispose}), cleared to the background ({@code restoreToBackgroundColor}, cleared to
 * transparent as browsers do), or undone ({@code restoreToPrevious}). Each frame is that composed canvas,
 * transparency over black as for still pictures; a GIF whose frames are all gray gives one-channel frames.
 */
final class GifFrames {
    private static final String IMAGE_FORMAT = "javax_imageio_gif_image_1.0";
    private static final String STREAM_FORMAT = "javax_imageio_gif_stream_1.0";

    private GifFrames() {
    }

    /** The frames {@code pick} chooses, given the number the file holds, in its own colours and size. */
    static List<Picture> read(Path file, FramePick pick) throws DataFileException {
        String source = file.toString();
        byte[] bytes = ImageDecoder.bytes(file, source);
        if (bytes.length < 6 || bytes[0] != 'G' || bytes[1] != 'I' || bytes[2] != 'F') {
            throw new DataFileException(source, source + " is not a GIF file: it does not begin with GIF87a or GIF89a");
        }
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            reader.setInput(in, false, false);
            int[] wanted = pick.frames(reader.getNumImages(true), source);
            int[] screen = screen(reader.getStreamMetadata(), reader);
            ImageDecoder.checkSize(source, screen[0], screen[1]);
            BufferedImage canvas = new BufferedImage(screen[0], screen[1], BufferedImage.TYPE_INT_ARGB);
            List<Picture> out = new ArrayList<>();
            Disposal pending = null;
            for (int i = 0, next = 0; next < wanted.length; i++) {
                if (pending != null) {
                    pending.apply(canvas);
                }
                Node frame = reader.getImageMetadata(i).getAsTree(IMAGE_FORMAT);
                Node descriptor = child(frame, "ImageDescriptor");
                int left = intAttribute(descriptor, "imageLeftPosition");
                int top = intAttribute(descriptor, "imageTopPosition");
                Node control = child(frame, "GraphicControlExtension");
                String disposal = control == null ? "none" : attribute(control, "disposalMethod");
                BufferedImage previous = disposal.equals("restoreToPrevious") ? copy(canvas) : null;
                // A frame declares its own size, which may dwarf the screen's: checked before ImageIO allocates it.
                ImageDecoder.checkSize(source, reader.getWidth(i), reader.getHeight(i));
                BufferedImage patch = reader.read(i);
                Graphics2D g = canvas.createGraphics();
                g.drawImage(patch, left, top, null);
                g.dispose();
                pending = new Disposal(disposal, left, top, patch.getWidth(), patch.getHeight(), previous);
                while (next < wanted.length && wanted[next] == i) {
                    out.add(ImageDecoder.pixels(overBlack(canvas), source, null));
                    next++;
                }
            }
            return out.stream().allMatch(GifFrames::isGray) ? out.stream().map(GifFrames::gray).toList() : out;
        } catch (DataFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw ImageDecoder.undecodable(source, e);
        } finally {
            reader.dispose();
        }
    }

    private static boolean isGray(Picture p) {
        if (p.channels() == 1) {
            return true;
        }
        byte[] b = p.pixels();
        int plane = p.height() * p.width();
        for (int i = 0; i < plane; i++) {
            if (b[i] != b[plane + i] || b[i] != b[2 * plane + i]) {
                return false;
            }
        }
        return true;
    }

    /** The first channel of a picture whose channels are equal. */
    private static Picture gray(Picture p) {
        return p.channels() == 1 ? p : new Picture(Arrays.copyOf(p.pixels(), p.height() * p.width()), 1,
                p.height(), p.width());
    }

    /** Which frames of a clip of {@code count} to keep, ascending (repeats allowed), or an error naming {@code source}. */
    @FunctionalInterface
    interface FramePick {
        int[] frames(int count, String source) throws DataFileException;
    }

    /** The logical screen's width and height; the first frame's when the file gives none. */
    private static int[] screen(IIOMetadata stream, ImageReader reader) throws IOException {
        Node descriptor = stream == null ? null : child(stream.getAsTree(STREAM_FORMAT), "LogicalScreenDescriptor");
        int w = descriptor == null ? 0 : intAttribute(descriptor, "logicalScreenWidth");
        int h = descriptor == null ? 0 : intAttribute(descriptor, "logicalScreenHeight");
        return w > 0 && h > 0 ? new int[] {w, h} : new int[] {reader.getWidth(0), reader.getHeight(0)};
    }

    private static BufferedImage copy(BufferedImage canvas) {
        BufferedImage c = new BufferedImage(canvas.getWidth(), canvas.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = c.createGraphics();
        g.setComposite(AlphaComposite.Src);
        g.drawImage(canvas, 0, 0, null);
        g.dispose();
        return c;
    }

    private static BufferedImage overBlack(BufferedImage canvas) {
        BufferedImage opaque = new BufferedImage(canvas.getWidth(), canvas.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = opaque.createGraphics();
        g.drawImage(canvas, 0, 0, null);
        g.dispose();
        return opaque;
    }

    private static Node child(Node node, String name) {
        for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c.getNodeName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static String attribute(Node node, String name) {
        Node a = node.getAttributes().getNamedItem(name);
        return a == null ? "" : a.getNodeValue();
    }

    private static int intAttribute(Node node, String name) {
        String value = attribute(node, name);
        return value.isEmpty() ? 0 : Integer.parseInt(value);
    }

    /** What a drawn frame asks to be done to its area before the next frame is drawn. */
    private record Disposal(String method, int left, int top, int width, int height, BufferedImage previous) {
        void apply(BufferedImage canvas) {
            Graphics2D g = canvas.createGraphics();
            g.setComposite(AlphaComposite.Src);
            if (method.equals("restoreToBackgroundColor")) {
                g.setComposite(AlphaComposite.Clear);
                g.fillRect(left, top, width, height);
            } else if (previous != null) {
                g.drawImage(previous, 0, 0, null);
            }
            g.dispose();
        }
    }
}

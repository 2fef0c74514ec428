package io.cnn4j.report;

import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PngTest {
    @Test
    void imageIoReadsBackEveryPixel() throws Exception {
        Rng rng = new Rng(1);
        int w = 37;
        int h = 11;
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = rng.nextInt(1 << 24);
        }
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Png.encode(w, h, rgb)));
        assertEquals(w, image.getWidth());
        assertEquals(h, image.getHeight());
        for (int i = 0; i < rgb.length; i++) {
            assertEquals(rgb[i], image.getRGB(i % w, i / w) & 0xFFFFFF, "pixel " + i);
        }
    }

    @Test
    void aGrayPictureRepeatsItsChannelAndADataUriDecodes() throws Exception {
        Tensor gray = Tensor.of(new float[] {0f, 0.5f, 1f, 2f}, 1, 1, 2, 2);
        String uri = Png.dataUri(Png.of(gray));
        assertTrue(uri.startsWith("data:image/png;base64,"));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(uri.substring(22))));
        assertEquals(0x808080, image.getRGB(1, 0) & 0xFFFFFF);
        assertEquals(0xFFFFFF, image.getRGB(1, 1) & 0xFFFFFF, "values above 1 are clamped");
    }

    @Test
    void pixelsThatDoNotFitTheSizeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Png.encode(3, 2, new int[5]));
        assertEquals("png: 5 pixels for a 3 x 2 picture", e.getMessage());
    }
}

package io.cnn4j.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.zip.CRC32;

import static io.cnn4j.data.GoldenPictures.bytes;
import static io.cnn4j.data.GoldenPictures.get;
import static io.cnn4j.data.GoldenPictures.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Resizing against PIL's {@code Image.resize(BILINEAR)} and torchvision's {@code Resize + CenterCrop}, byte for byte. */
class PictureResizeTest {
    @Test
    void resizesAsPilDoesByteForByte() {
        for (JsonObject c : GoldenPictures.cases("resize")) {
            Picture in = pattern(get(c, "channels"), get(c, "height"), get(c, "width"));
            Picture out = PictureResize.resize(in, get(c, "out_height"), get(c, "out_width"));
            assertArrayEquals(bytes(c), out.pixels(), c.get("channels") + " channel(s), " + in.height() + "x"
                    + in.width() + " to " + out.height() + "x" + out.width());
        }
    }

    @Test
    void resizesAsPilDoesAtRandomSizes() {
        for (JsonElement e : GoldenPictures.array("resize_sweep")) {
            JsonArray sizes = e.getAsJsonArray();
            int[] c = new int[5];
            for (int i = 0; i < 5; i++) {
                c[i] = sizes.get(i).getAsInt();
            }
            Picture out = PictureResize.resize(pattern(c[0], c[1], c[2]), c[3], c[4]);
            CRC32 crc = new CRC32();
            crc.update(out.pixels());
            assertEquals(sizes.get(5).getAsLong(), crc.getValue(), c[0] + " channel(s), " + c[1] + "x" + c[2] + " to "
                    + c[3] + "x" + c[4]);
        }
    }

    @Test
    void cropIsTorchvisionResizeThenCenterCrop() {
        for (JsonObject c : GoldenPictures.cases("crop")) {
            int side = get(c, "side");
            Picture in = pattern(get(c, "channels"), get(c, "height"), get(c, "width"));
            Picture out = PictureResize.fit(in, side, side, ResizeMode.CROP);
            assertArrayEquals(bytes(c), out.pixels(), in.height() + "x" + in.width() + " cropped to " + side);
        }
    }

    @Test
    void cropCoversANonSquareSizeAndCutsTheCentre() {
        // 20x40 to 10x10: scaled by 1/2 to 10x20, then columns 5..14 kept.
        Picture in = pattern(3, 20, 40);
        Picture scaled = PictureResize.resize(in, 10, 20);
        Picture out = PictureResize.fit(in, 10, 10, ResizeMode.CROP);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 10; y++) {
                for (int x = 0; x < 10; x++) {
                    assertEquals(scaled.pixels()[(c * 10 + y) * 20 + x + 5], out.pixels()[(c * 10 + y) * 10 + x]);
                }
            }
        }
        // 10x10 to 4x8: scaled by 4/5 (the larger factor) to 8x8, then rows 2..5 kept.
        Picture square = pattern(1, 10, 10);
        Picture covered = PictureResize.resize(square, 8, 8);
        Picture wide = PictureResize.fit(square, 4, 8, ResizeMode.CROP);
        for (int i = 0; i < 32; i++) {
            assertEquals(covered.pixels()[16 + i], wide.pixels()[i]);
        }
    }

    @Test
    void padFitsThePictureInsideAndCentresItOnBlack() {
        // 10x30 into 12x12: scaled by the smaller factor 12/30 to 4x12, rows 4..7 of the result.
        Picture in = pattern(3, 10, 30);
        Picture scaled = PictureResize.resize(in, 4, 12);
        Picture out = PictureResize.fit(in, 12, 12, ResizeMode.PAD);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 12; y++) {
                for (int x = 0; x < 12; x++) {
                    byte expected = y >= 4 && y < 8 ? scaled.pixels()[(c * 4 + y - 4) * 12 + x] : 0;
                    assertEquals(expected, out.pixels()[(c * 12 + y) * 12 + x], "channel " + c + " (" + y + ", " + x + ")");
                }
            }
        }
    }

    @Test
    void stretchDistortsAndTheSameSizeIsLeftAlone() {
        Picture in = pattern(3, 10, 30);
        assertArrayEquals(PictureResize.resize(in, 12, 12).pixels(), PictureResize.fit(in, 12, 12, ResizeMode.STRETCH).pixels());
        for (ResizeMode mode : ResizeMode.values()) {
            assertSame(in, PictureResize.fit(in, 10, 30, mode));
        }
    }
}

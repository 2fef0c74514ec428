package io.cnn4j.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The image column's forms: raw planar bytes, an encoded picture (binaryFile), a picture of the image source. */
class RowLayoutTest {
    private static final RowLayout RGB_2X3 = new RowLayout(0, 1, 3, 2, 3, List.of("a", "b"));

    /** Planar red, green, blue of a 2x3 picture: every sample different. */
    private static byte[] planar() {
        byte[] p = new byte[18];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (10 * i + 5);
        }
        return p;
    }

    @Test
    void rawBytesAreTakenAsTheyAre() {
        assertArrayEquals(planar(), RGB_2X3.image(RowFactory.create(planar(), 1), 0, 0));
    }

    @Test
    void anEncodedPictureIsDecodedIntoPlanarRgb() throws IOException {
        BufferedImage picture = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        byte[] p = planar();
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                int i = y * 3 + x;
                picture.setRGB(x, y, (p[i] & 0xff) << 16 | (p[6 + i] & 0xff) << 8 | (p[12 + i] & 0xff));
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(picture, "png", png);
        assertArrayEquals(planar(), RGB_2X3.image(RowFactory.create(png.toByteArray(), 0), 0, 0));
    }

    @Test
    void aPictureOfTheImageSourceIsTurnedFromInterleavedBgr() {
        byte[] p = planar();
        byte[] bgr = new byte[18];
        for (int i = 0; i < 6; i++) {
            bgr[3 * i] = p[12 + i];
            bgr[3 * i + 1] = p[6 + i];
            bgr[3 * i + 2] = p[i];
        }
        StructType schema = new StructType().add("origin", DataTypes.StringType).add("height", DataTypes.IntegerType)
                .add("width", DataTypes.IntegerType).add("nChannels", DataTypes.IntegerType).add("mode", DataTypes.IntegerType)
                .add("data", DataTypes.BinaryType);
        Row image = new GenericRowWithSchema(new Object[] {"file:/x.png", 2, 3, 3, 16, bgr}, schema);
        assertArrayEquals(p, RGB_2X3.image(RowFactory.create(image, 1), 0, 0));

        Row wrongSize = new GenericRowWithSchema(new Object[] {"file:/y.png", 3, 3, 3, 16, new byte[27]}, schema);
        var e = assertThrows(IllegalArgumentException.class, () -> RGB_2X3.image(RowFactory.create(wrongSize, 1), 2, 7));
        assertEquals("partition 2, row 7: the image is 3x3 with 3 channel(s), where [3, 2, 3] is needed", e.getMessage());
    }

    @Test
    void bytesThatAreNoPictureKeepTheSizeError() {
        var e = assertThrows(IllegalArgumentException.class, () -> RGB_2X3.image(RowFactory.create(new byte[5], 1), 1, 4));
        assertEquals("partition 1, row 4: the image has 5 values, where [3, 2, 3] needs 18", e.getMessage());
    }
}

package io.cnn4j.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.cnn4j.tensor.Golden;

import java.util.HexFormat;
import java.util.List;

/** The cases of {@code golden/picture_golden.json} and the pattern its pictures are made of. */
final class GoldenPictures {
    private static final JsonObject ALL = Golden.load("picture_golden.json");

    private GoldenPictures() {
    }

    static List<JsonObject> cases(String kind) {
        return ALL.getAsJsonArray(kind).asList().stream().map(JsonElement::getAsJsonObject).toList();
    }

    static JsonArray array(String kind) {
        return ALL.getAsJsonArray(kind);
    }

    static JsonObject single(String kind) {
        return ALL.getAsJsonObject(kind);
    }

    /** picture_golden.py's {@code pattern}: {@code (29x + 47y + 101c + (7xy mod 31)) mod 256}, planar. */
    static Picture pattern(int channels, int height, int width) {
        byte[] pixels = new byte[channels * height * width];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    pixels[(c * height + y) * width + x] = (byte) ((29 * x + 47 * y + 101 * c + 7 * x * y % 31) % 256);
                }
            }
        }
        return new Picture(pixels, channels, height, width);
    }

    /** The pattern as floats in [0, 1], as {@code ToTensor} makes them. */
    static float[] floatPattern(int channels, int height, int width) {
        byte[] bytes = pattern(channels, height, width).pixels();
        float[] out = new float[bytes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (bytes[i] & 0xff) / 255f;
        }
        return out;
    }

    static byte[] bytes(JsonObject c) {
        return HexFormat.of().parseHex(c.get("pixels").getAsString());
    }

    static int get(JsonObject c, String key) {
        return c.get(key).getAsInt();
    }
}

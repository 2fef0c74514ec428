package io.cnn4j.kernel;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The row copies against the plain loop: every length, including those below and between whole vectors. */
class ShortRowsTest {

    @Property(tries = 200)
    void copiesAddsBiasSpreadsAndGathersLikeTheScalarLoop(@ForAll @IntRange(max = 70) int len, @ForAll @IntRange(max = 9) int s,
                                            @ForAll @IntRange(max = 9) int d, @ForAll boolean relu) {
        float[] src = new float[s + len + 5];
        for (int i = 0; i < src.length; i++) {
            src[i] = (i * 37 % 11) - 5.5f;
        }
        float[] copied = new float[d + len + 5];
        float[] expected = copied.clone();
        System.arraycopy(src, s, expected, d, len);
        ShortRows.copy(src, s, copied, d, len);
        assertArrayEquals(expected, copied);

        float[] shifted = new float[d + len + 5];
        float[] wanted = shifted.clone();
        for (int j = 0; j < len; j++) {
            float v = src[s + j] + 0.25f;
            wanted[d + j] = relu ? Math.max(v, 0f) : v;
        }
        ShortRows.biasRelu(src, s, shifted, d, len, 0.25f, relu);
        assertArrayEquals(wanted, shifted);

        float[] spread = new float[d + 2 * len + 5];
        float[] apart = spread.clone();
        for (int j = 0; j < len; j++) {
            apart[d + 2 * j] = src[s + j];
        }
        ShortRows.spread(src, s, spread, d, len, 2);
        assertArrayEquals(apart, spread);

        int[] map = new int[len];
        for (int j = 0; j < len; j++) {
            map[j] = (j * 7) % (len + 5);
        }
        float[] gathered = new float[d + len + 5];
        float[] picked = gathered.clone();
        for (int j = 0; j < len; j++) {
            picked[d + j] = src[s + map[j]];
        }
        ShortRows.gather(src, s, map, gathered, d, len);
        assertArrayEquals(picked, gathered);
    }
}

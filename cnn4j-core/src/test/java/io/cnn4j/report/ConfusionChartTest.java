package io.cnn4j.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfusionChartTest {

    @Test
    void aCellPerPairWhoseCountsSumToTheSet() {
        int[][] confusion = new int[10][10];
        int total = 0;
        for (int t = 0; t < 10; t++) {
            for (int p = 0; p < 10; p++) {
                confusion[t][p] = t == p ? 90 + t : (t * 7 + p * 3) % 5;
                total += confusion[t][p];
            }
        }
        List<String> names = IntStream.range(0, 10).mapToObj(Integer::toString).toList();
        for (boolean normalised : new boolean[] {false, true}) {
            SvgDocument doc = SvgDocument.parse(new ConfusionChart("Test set", confusion, names, normalised).toSvg());
            var cells = doc.withClass("rect", "cell");
            assertEquals(100, cells.size());
            assertEquals(total, cells.stream().mapToInt(c -> Integer.parseInt(c.getAttribute("data-count"))).sum());
            assertEquals(names, doc.texts("text", "true-name"));
            assertEquals(names, doc.texts("text", "predicted-name"));
        }
    }

    @Test
    void escapesClassNames() {
        String odd = "<&>\"";
        String svg = new ConfusionChart("t", new int[][] {{1, 2}, {3, 4}}, List.of(odd, "b"), true).toSvg();
        SvgDocument doc = SvgDocument.parse(svg);
        assertEquals(List.of(odd, "b"), doc.texts("text", "true-name"));
        assertTrue(svg.contains("&lt;&amp;&gt;&quot;"), svg);
    }

    @Test
    void anEmptyRowNormalisesToZeroNotNaN() {
        String svg = new ConfusionChart("t", new int[][] {{0, 0}, {3, 4}}, List.of("a", "b"), true).toSvg();
        assertTrue(!svg.contains("NaN"), svg);
        SvgDocument.parse(svg);
    }

    @Test
    void refusesAMatrixThatDoesNotFitTheNames() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ConfusionChart("t", new int[][] {{1, 2}, {3}}, List.of("a", "b"), false));
        assertEquals("row 1 of the confusion matrix has 1 columns for 2 classes", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConfusionChart("t", new int[][] {{1}}, List.of("a", "b"), false));
        assertEquals("the confusion matrix has 1 rows for 2 classes", e.getMessage());
    }
}

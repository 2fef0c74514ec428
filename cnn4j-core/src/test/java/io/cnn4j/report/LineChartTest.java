package io.cnn4j.report;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineChartTest {
    private static final double[] EPOCHS = {1, 2, 3, 4};

    @Test
    void drawsEverySeriesWithAPointPerValue() {
        String svg = new LineChart("Loss", "epoch", "loss")
                .series("train", EPOCHS, new double[] {2.3, 1.1, 0.7, 0.5})
                .series("test", EPOCHS, new double[] {2.0, 1.2, 0.9, 0.8})
                .toSvg();
        SvgDocument doc = SvgDocument.parse(svg);
        assertEquals("svg", doc.rootName());
        var series = doc.withClass("g", "series");
        assertEquals(List.of("train", "test"), series.stream().map(e -> e.getAttribute("data-name")).toList());
        assertEquals(8, doc.withClass("circle", "point").size());
        assertEquals(List.of("1", "2", "3", "4"), doc.texts("text", "x-tick"));
        assertTicksCover(doc, 0.5, 2.3);
    }

    @Test
    void aMissingSetIsLeftOutAndAGapLeavesNoNaN() {
        double nan = Double.NaN;
        String svg = new LineChart("Loss", "epoch", "loss")
                .series("train", EPOCHS, new double[] {2.3, 1.1, 0.7, 0.5})
                .series("validation", EPOCHS, new double[] {nan, nan, nan, nan})
                .series("test", EPOCHS, new double[] {2.0, nan, 0.9, 0.8})
                .toSvg();
        assertFalse(svg.contains("NaN"), svg);
        SvgDocument doc = SvgDocument.parse(svg);
        assertEquals(List.of("train", "test"), doc.withClass("g", "series").stream().map(e -> e.getAttribute("data-name")).toList());
        assertEquals(7, doc.withClass("circle", "point").size());
        // The gap splits the test line in two pieces: two moves.
        String testPath = ((org.w3c.dom.Element) doc.withClass("g", "series").get(1).getElementsByTagName("path").item(0)).getAttribute("d");
        assertEquals(2, testPath.chars().filter(c -> c == 'M').count(), testPath);
    }

    @Test
    void aSinglePointAndAConstantSeriesGetARealAxis() {
        SvgDocument one = SvgDocument.parse(new LineChart("t", "epoch", "accuracy").series("test", new double[] {1}, new double[] {0.42}).toSvg());
        assertEquals(1, one.withClass("circle", "point").size());
        assertTicksCover(one, 0.42, 0.42);
        assertTrue(one.texts("text", "y-tick").size() >= 2);
        SvgDocument flat = SvgDocument.parse(new LineChart("t", "epoch", "lr").series("lr", EPOCHS, new double[] {1e-3, 1e-3, 1e-3, 1e-3}).toSvg());
        assertTicksCover(flat, 1e-3, 1e-3);
        assertFalse(flat.texts("text", "y-tick").contains("0"), "a constant 0.001 needs decimals: " + flat.texts("text", "y-tick"));
    }

    @Test
    void escapesText() {
        String name = "a<b&c>\"d'";
        String svg = new LineChart(name, name, name).series(name, EPOCHS, new double[] {1, 2, 3, 4}).toSvg();
        SvgDocument doc = SvgDocument.parse(svg);
        assertEquals(name, doc.withClass("g", "series").getFirst().getAttribute("data-name"));
        assertTrue(svg.contains("a&lt;b&amp;c&gt;&quot;d&#39;"), svg);
    }

    @Test
    void nothingToDrawSaysSo() {
        String svg = new LineChart("Loss", "epoch", "loss").series("validation", EPOCHS, new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN}).toSvg();
        assertTrue(SvgDocument.parse(svg).withClass("g", "series").isEmpty());
        assertTrue(svg.contains("no data yet"), svg);
    }

    @Test
    void refusesMismatchedSeries() {
        var e = assertThrows(IllegalArgumentException.class, () -> new LineChart("t", "x", "y").series("s", EPOCHS, new double[] {1}));
        assertEquals("series s has 4 x values but 1 y values", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LineChart("t", "x", "y").series("s", new double[] {1}, new double[] {Double.POSITIVE_INFINITY}));
        assertEquals("series s has the point (1.0, Infinity) at index 0; x must be finite and y finite or NaN", e.getMessage());
    }

    @Property(tries = 300)
    void ticksAreNiceAndCoverTheData(@ForAll @DoubleRange(min = -1e6, max = 1e6) double a,
                                     @ForAll @DoubleRange(min = 0, max = 1e5) double width) {
        Ticks t = Ticks.covering(a, a + width, 6, 0);
        // Within a millionth of a step: rounding may leave the last tick a hair short of the data, never visibly.
        double slack = t.step() * 1e-6;
        assertTrue(t.low() <= a + slack && t.high() >= a + width - slack, t + " for " + a + ".." + (a + width));
        assertTrue(t.values().size() >= 2 && t.values().size() <= 12, t.toString());
        double mantissa = t.step() / Math.pow(10, Math.floor(Math.log10(t.step()) + 1e-9));
        assertTrue(List.of(1L, 2L, 5L).contains(Math.round(mantissa)) && Math.abs(mantissa - Math.round(mantissa)) < 1e-6, t.toString());
    }

    private static void assertTicksCover(SvgDocument doc, double min, double max) {
        List<Double> ticks = doc.texts("text", "y-tick").stream().map(Double::parseDouble).toList();
        assertTrue(ticks.getFirst() <= min && ticks.getLast() >= max, ticks + " should cover " + min + ".." + max);
    }
}

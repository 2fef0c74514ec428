package io.cnn4j.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A line chart of named series of (x, y) points, such as a loss per epoch, as SVG. A NaN y (an epoch
 * without a validation set) leaves a gap in its line; a series of NaN alone is left out, legend and all.
 * Every point of a {@link Style#MARKED} line is marked, so a run of one epoch still shows its values; a
 * {@link Style#PLAIN} line (thousands of steps) is a path alone, and a {@link Style#FAINT} one is drawn thin
 * and pale in the colour of the line added after it, such as raw values behind their smoothed curve. Lines
 * take the Okabe–Ito colours, which readers with any common colour-vision deficiency tell apart, and each
 * has its own dash pattern as well, so the chart survives a grey-scale print.
 */
public final class LineChart {
    private static final String[] COLOURS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};
    private static final String[] DASHES = {"", "7 4", "2 3", "9 3 2 3"};
    private static final int WIDTH = 640;
    private static final int HEIGHT = 400;
    private static final double RIGHT = 150;
    private static final double EMPTY_LEFT = 72;
    private static final double TOP = 44;
    private static final double BOTTOM = 56;

    /** How a line is drawn. */
    public enum Style {
        /** A line with a dot on every point. */
        MARKED,
        /** A line alone, for many points. */
        PLAIN,
        /** A thin pale line behind the next one, in its colour. */
        FAINT
    }

    private record Series(String name, double[] x, double[] y, Style style) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    /** The plot's left edge, set by {@link #toSvg} to leave room for the widest y tick label. */
    private double left = EMPTY_LEFT;

    /** An empty chart with these texts; {@link #series} adds the lines. */
    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /**
     * Adds a line through the points {@code (x[i], y[i])}; x must be finite, y may be NaN for a gap.
     *
     * @throws IllegalArgumentException when the arrays differ in length or an x or y is infinite or an x NaN
     */
    public LineChart series(String name, double[] x, double[] y) {
        return series(name, x, y, Style.MARKED);
    }

    /** Adds a line drawn in {@code style}; otherwise as {@link #series(String, double[], double[])}. */
    public LineChart series(String name, double[] x, double[] y, Style style) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series " + name + " has " + x.length + " x values but " + y.length + " y values");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || Double.isInfinite(y[i])) {
                throw new IllegalArgumentException("series " + name + " has the point (" + x[i] + ", " + y[i]
                        + ") at index " + i + "; x must be finite and y finite or NaN");
            }
        }
        series.add(new Series(name, x.clone(), y.clone(), style));
        return this;
    }

    /** The chart as a standalone SVG document, sized by its viewBox so that it scales to its container. */
    public String toSvg() {
        // Loops rather than streams here and below: a report draws its charts once an epoch, from code the
        // JIT never compiles, where a stream pipeline costs far more than the loop it replaces.
        List<Series> drawn = new ArrayList<>();
        for (Series s : series) {
            if (finiteCount(s) > 0) {
                drawn.add(s);
            }
        }
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        boolean integerX = true;
        for (Series s : drawn) {
            for (int i = 0; i < s.x.length; i++) {
                if (!Double.isNaN(s.y[i])) {
                    xMin = Math.min(xMin, s.x[i]);
                    xMax = Math.max(xMax, s.x[i]);
                    yMin = Math.min(yMin, s.y[i]);
                    yMax = Math.max(yMax, s.y[i]);
                    integerX &= s.x[i] == Math.rint(s.x[i]);
                }
            }
        }
        StringBuilder svg = new StringBuilder(Svg.open(WIDTH, HEIGHT, title));
        if (drawn.isEmpty()) {
            left = EMPTY_LEFT;
            svg.append(Svg.text(left + plotWidth() / 2, 26, "middle", "font-size=\"16\" font-weight=\"600\"", title));
            svg.append(Svg.text(left + plotWidth() / 2, TOP + plotHeight() / 2, "middle", "fill=\"#555555\"", "no data yet"));
            return svg.append("</svg>\n").toString();
        }
        Ticks xs = Ticks.covering(xMin, xMax, 8, integerX ? 1 : 0);
        Ticks ys = Ticks.covering(yMin, yMax, 6, 0);
        // About 7.5 units a character at font size 13, beside the turned axis title.
        int widest = 1;
        for (double v : ys.values()) {
            widest = Math.max(widest, ys.label(v).length());
        }
        left = 46 + 7.5 * widest;
        svg.append(Svg.text(left + plotWidth() / 2, 26, "middle", "font-size=\"16\" font-weight=\"600\"", title));
        axes(svg, xs, ys);
        int[] colours = colourIndices(drawn);
        for (int k = 0; k < drawn.size(); k++) {
            line(svg, drawn.get(k), colours[k], xs, ys);
        }
        legend(svg, drawn, colours);
        return svg.append("</svg>\n").toString();
    }

    /** Each line's colour and dash: the count of solid lines before it, so a faint line shares the next one's. */
    private static int[] colourIndices(List<Series> drawn) {
        int[] out = new int[drawn.size()];
        int solid = 0;
        for (int k = 0; k < drawn.size(); k++) {
            out[k] = solid;
            solid += drawn.get(k).style == Style.FAINT ? 0 : 1;
        }
        return out;
    }

    private static int finiteCount(Series s) {
        int n = 0;
        for (double v : s.y) {
            n += Double.isNaN(v) ? 0 : 1;
        }
        return n;
    }

    private void axes(StringBuilder svg, Ticks xs, Ticks ys) {
        svg.append("<g class=\"axes\" stroke=\"#d9d9d9\" stroke-width=\"1\">\n");
        for (double v : ys.values()) {
            double y = py(v, ys);
            svg.append("<line x1=\"").append(Svg.num(left)).append("\" x2=\"").append(Svg.num(left + plotWidth()))
                    .append("\" y1=\"").append(Svg.num(y)).append("\" y2=\"").append(Svg.num(y)).append("\"/>\n");
        }
        svg.append("</g>\n<rect x=\"").append(Svg.num(left)).append("\" y=\"").append(Svg.num(TOP)).append("\" width=\"")
                .append(Svg.num(plotWidth())).append("\" height=\"").append(Svg.num(plotHeight()))
                .append("\" fill=\"none\" stroke=\"#333333\"/>\n<g class=\"ticks\" fill=\"#333333\">\n");
        for (double v : xs.values()) {
            svg.append(Svg.text(px(v, xs), TOP + plotHeight() + 18, "middle", "class=\"x-tick\"", xs.label(v)));
        }
        for (double v : ys.values()) {
            svg.append(Svg.text(left - 8, py(v, ys) + 4, "end", "class=\"y-tick\"", ys.label(v)));
        }
        svg.append("</g>\n");
        svg.append(Svg.text(left + plotWidth() / 2, HEIGHT - 14, "middle", "font-size=\"14\"", xLabel));
        double cy = TOP + plotHeight() / 2;
        svg.append(Svg.text(18, cy, "middle", "font-size=\"14\" transform=\"rotate(-90 18 " + Svg.num(cy) + ")\"", yLabel));
    }

    private void line(StringBuilder svg, Series s, int k, Ticks xs, Ticks ys) {
        String colour = COLOURS[k % COLOURS.length];
        String dash = s.style == Style.FAINT ? "" : DASHES[k % DASHES.length];
        svg.append("<g class=\"series\" data-name=\"").append(Svg.escape(s.name)).append("\" stroke=\"").append(colour)
                .append("\" fill=\"").append(colour).append("\">\n<path fill=\"none\" ").append(stroke(s.style))
                .append(" stroke-linejoin=\"round\"").append(dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"").append(" d=\"");
        boolean pen = false;
        for (int i = 0; i < s.x.length; i++) {
            if (Double.isNaN(s.y[i])) {
                pen = false;
                continue;
            }
            svg.append(pen ? " L" : " M").append(Svg.num(px(s.x[i], xs))).append(' ').append(Svg.num(py(s.y[i], ys)));
            pen = true;
        }
        svg.append("\"/>\n");
        for (int i = 0; i < s.x.length && s.style == Style.MARKED; i++) {
            if (!Double.isNaN(s.y[i])) {
                svg.append("<circle class=\"point\" cx=\"").append(Svg.num(px(s.x[i], xs))).append("\" cy=\"")
                        .append(Svg.num(py(s.y[i], ys))).append("\" r=\"3.5\"><title>").append(Svg.escape(s.name))
                        .append(": ").append(Svg.num(s.x[i])).append(", ")
                        // The shortest text that reads back as the float: no BigDecimal, which %g formatting uses.
                        .append(Float.toString((float) s.y[i])).append("</title></circle>\n");
            }
        }
        svg.append("</g>\n");
    }

    /** The stroke of a line of this style. */
    private static String stroke(Style style) {
        return style == Style.FAINT ? "stroke-width=\"1\" stroke-opacity=\"0.3\"" : "stroke-width=\"2.5\"";
    }

    private void legend(StringBuilder svg, List<Series> drawn, int[] colours) {
        double x = left + plotWidth() + 16;
        svg.append("<g class=\"legend\">\n");
        for (int k = 0; k < drawn.size(); k++) {
            double y = TOP + 10 + 22 * k;
            String colour = COLOURS[colours[k] % COLOURS.length];
            String dash = drawn.get(k).style == Style.FAINT ? "" : DASHES[colours[k] % DASHES.length];
            svg.append("<line x1=\"").append(Svg.num(x)).append("\" x2=\"").append(Svg.num(x + 28)).append("\" y1=\"")
                    .append(Svg.num(y)).append("\" y2=\"").append(Svg.num(y)).append("\" stroke=\"").append(colour)
                    // A faint line's sample is drawn bolder than the line, or it would not show in the legend.
                    .append("\" ").append(drawn.get(k).style == Style.FAINT ? "stroke-width=\"2.5\" stroke-opacity=\"0.4\""
                            : stroke(drawn.get(k).style)).append(dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"").append("/>\n");
            svg.append(Svg.text(x + 36, y + 4, "start", "", drawn.get(k).name));
        }
        svg.append("</g>\n");
    }

    private double plotWidth() {
        return WIDTH - left - RIGHT;
    }

    private static double plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    private double px(double x, Ticks xs) {
        return left + (x - xs.low()) / (xs.high() - xs.low()) * plotWidth();
    }

    private double py(double y, Ticks ys) {
        return TOP + plotHeight() - (y - ys.low()) / (ys.high() - ys.low()) * plotHeight();
    }
}

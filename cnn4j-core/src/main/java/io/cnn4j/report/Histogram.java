package io.cnn4j.report;

/**
 * The distribution of a tensor's values, such as a layer's weights or their gradients, as a small SVG
 * bar chart: equal-width bins from the smallest value to the largest, the bars one path (a chart per
 * layer, many layers: every element saved keeps the page small). A reader sees at a glance whether the
 * values spread, collapsed to zero or grew a tail.
 */
final class Histogram {
    private static final int WIDTH = 320;
    private static final int HEIGHT = 180;
    private static final double LEFT = 14;
    private static final double RIGHT = 14;
    private static final double TOP = 30;
    private static final double BOTTOM = 34;
    private static final int BINS = 40;
    /**
     * Values counted at most, evenly strided through the tensor: forty bars show the same shape from
     * eight thousand values as from millions, and a report drawn between epochs should not cost the run.
     */
    static final int SAMPLE = 8192;

    private Histogram() {
    }

    /** The chart of {@code all} (non-finite ones left out; at most {@link #SAMPLE} of them), in {@code colour}. */
    static String svg(String title, float[] all, String colour) {
        float[] values = sample(all);
        StringBuilder svg = new StringBuilder(Svg.open(WIDTH, HEIGHT, title));
        svg.append(Svg.text(WIDTH / 2.0, 18, "middle", "font-size=\"13\" font-weight=\"600\"", title));
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        if (min > max) {
            svg.append(Svg.text(WIDTH / 2.0, TOP + plotHeight / 2, "middle", "fill=\"#555555\"", "no values"));
            return svg.append("</svg>\n").toString();
        }
        Ticks ticks = Ticks.covering(min, max, 5, 0);
        double low = ticks.low();
        double span = ticks.high() - low;
        int[] counts = new int[BINS];
        for (float v : values) {
            if (Float.isFinite(v)) {
                counts[Math.min((int) ((v - low) / span * BINS), BINS - 1)]++;
            }
        }
        int most = 1;
        for (int c : counts) {
            most = Math.max(most, c);
        }
        double bar = plotWidth / BINS;
        StringBuilder path = new StringBuilder();
        for (int b = 0; b < BINS; b++) {
            if (counts[b] > 0) {
                double h = Math.max(1, plotHeight * counts[b] / most);
                path.append('M').append(Svg.num(LEFT + b * bar)).append(' ').append(Svg.num(TOP + plotHeight - h))
                        .append('h').append(Svg.num(bar * 0.9)).append('v').append(Svg.num(h)).append('h')
                        .append(Svg.num(-bar * 0.9)).append('z');
            }
        }
        svg.append("<path class=\"bars\" fill=\"").append(colour).append("\" d=\"").append(path).append("\"/>\n");
        svg.append("<line x1=\"").append(Svg.num(LEFT)).append("\" x2=\"").append(Svg.num(LEFT + plotWidth)).append("\" y1=\"")
                .append(Svg.num(TOP + plotHeight)).append("\" y2=\"").append(Svg.num(TOP + plotHeight))
                .append("\" stroke=\"#333333\"/>\n<g fill=\"#333333\" font-size=\"11\">\n");
        for (double v : ticks.values()) {
            double x = LEFT + (v - low) / span * plotWidth;
            svg.append("<line x1=\"").append(Svg.num(x)).append("\" x2=\"").append(Svg.num(x)).append("\" y1=\"")
                    .append(Svg.num(TOP + plotHeight)).append("\" y2=\"").append(Svg.num(TOP + plotHeight + 4))
                    .append("\" stroke=\"#333333\"/>\n");
            svg.append(Svg.text(x, TOP + plotHeight + 16, "middle", "", ticks.label(v)));
        }
        svg.append("</g>\n");
        svg.append(Svg.text(WIDTH - RIGHT, HEIGHT - 4, "end", "font-size=\"11\" fill=\"#555555\"",
                (values.length < all.length ? values.length + " of " + all.length : all.length) + " values, tallest bar " + most));
        return svg.append("</svg>\n").toString();
    }

    private static float[] sample(float[] all) {
        if (all.length <= SAMPLE) {
            return all;
        }
        float[] out = new float[SAMPLE];
        for (int i = 0; i < SAMPLE; i++) {
            out[i] = all[(int) ((long) i * all.length / SAMPLE)];
        }
        return out;
    }
}

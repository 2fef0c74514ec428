package io.cnn4j.report;

import java.util.List;

/**
 * A confusion matrix as an SVG heatmap: true classes down the side, predicted classes along the bottom,
 * each cell shaded by its count (or, normalised, by its share of the true class's images, so that a
 * rare class's errors show as plainly as a common one's) and labelled with it. The shades run along one
 * blue hue from light to dark, an order every reader sees, colour-blind or in grey scale.
 */
public final class ConfusionChart {
    /** Light to dark blue (ColorBrewer "Blues" ends). */
    private static final int[] LIGHT = {0xF7, 0xFB, 0xFF};
    private static final int[] DARK = {0x08, 0x30, 0x6B};
    private static final int MAX_NAME = 18;

    private final int[][] confusion;
    private final List<String> classNames;
    private final boolean normalised;
    private final String title;

    /**
     * A chart of {@code confusion[true][predicted]} with these class names; {@code normalised} shades and
     * labels each cell by its share of its row.
     *
     * @throws IllegalArgumentException when the matrix is not square, its size is not the number of names, or a count is negative
     */
    public ConfusionChart(String title, int[][] confusion, List<String> classNames, boolean normalised) {
        int n = classNames.size();
        if (confusion.length != n) {
            throw new IllegalArgumentException("the confusion matrix has " + confusion.length + " rows for " + n + " classes");
        }
        for (int t = 0; t < n; t++) {
            if (confusion[t].length != n) {
                throw new IllegalArgumentException("row " + t + " of the confusion matrix has " + confusion[t].length
                        + " columns for " + n + " classes");
            }
            for (int count : confusion[t]) {
                if (count < 0) {
                    throw new IllegalArgumentException("row " + t + " of the confusion matrix holds the negative count " + count);
                }
            }
        }
        this.title = title;
        this.confusion = new int[n][];
        for (int t = 0; t < n; t++) {
            this.confusion[t] = confusion[t].clone();
        }
        this.classNames = List.copyOf(classNames);
        this.normalised = normalised;
    }

    /** The chart as a standalone SVG document, sized by its viewBox so that it scales to its container. */
    public String toSvg() {
        int n = classNames.size();
        // Cells shrink with many classes, and their numbers go once they no longer fit.
        double cell = Math.clamp(440.0 / Math.max(n, 1), 6, 44);
        boolean numbers = cell >= 22;
        double fontSize = Math.min(13, cell * 0.34);
        int longest = 1;
        for (String name : classNames) {
            longest = Math.max(longest, shortName(name).length());
        }
        double names = 14 + 7.2 * longest;
        double left = 40 + names;
        double top = 48;
        double grid = cell * n;
        int width = (int) Math.ceil(left + grid + 24);
        // Predicted names are turned 60 degrees, so they reach down sin 60 of their length.
        int height = (int) Math.ceil(top + grid + names * 0.87 + 44);
        int max = 0;
        for (int[] row : confusion) {
            for (int v : row) {
                max = Math.max(max, v);
            }
        }
        StringBuilder svg = new StringBuilder(Svg.open(width, height, title));
        svg.append(Svg.text(width / 2.0, 28, "middle", "font-size=\"16\" font-weight=\"600\"", title));
        svg.append("<g class=\"cells\">\n");
        for (int t = 0; t < n; t++) {
            int support = 0;
            for (int v : confusion[t]) {
                support += v;
            }
            for (int p = 0; p < n; p++) {
                int count = confusion[t][p];
                double share = normalised ? (support == 0 ? 0 : (double) count / support) : (max == 0 ? 0 : (double) count / max);
                double x = left + p * cell;
                double y = top + t * cell;
                String label = normalised ? Math.round(100.0 * share) + "%" : Integer.toString(count);
                svg.append("<rect class=\"cell\" data-count=\"").append(count).append("\" x=\"").append(Svg.num(x))
                        .append("\" y=\"").append(Svg.num(y)).append("\" width=\"").append(Svg.num(cell)).append("\" height=\"")
                        .append(Svg.num(cell)).append("\" fill=\"").append(shade(share)).append("\" stroke=\"#ffffff\">")
                        .append("<title>").append(Svg.escape("true " + classNames.get(t) + ", predicted " + classNames.get(p)
                                + ": " + count + (normalised ? " (" + label + " of " + support + ")" : ""))).append("</title></rect>\n");
                if (numbers) {
                    svg.append(Svg.text(x + cell / 2, y + cell / 2 + fontSize * 0.35, "middle", "font-size=\"" + Svg.num(fontSize)
                            + "\" fill=\"" + (share > 0.5 ? "#ffffff" : "#1a1a1a") + "\"", label));
                }
            }
        }
        svg.append("</g>\n<g class=\"class-names\" fill=\"#333333\">\n");
        for (int c = 0; c < n; c++) {
            String name = shortName(classNames.get(c));
            svg.append(Svg.text(left - 6, top + c * cell + cell / 2 + 4, "end", "class=\"true-name\"", name));
            double x = left + c * cell + cell / 2 + 4;
            double y = top + grid + 8;
            svg.append(Svg.text(x, y, "end", "class=\"predicted-name\" transform=\"rotate(-60 " + Svg.num(x) + " "
                    + Svg.num(y) + ")\"", name));
        }
        svg.append("</g>\n");
        double cy = top + grid / 2;
        svg.append(Svg.text(16, cy, "middle", "font-size=\"14\" transform=\"rotate(-90 16 " + Svg.num(cy) + ")\"", "true class"));
        svg.append(Svg.text(left + grid / 2, height - 12, "middle", "font-size=\"14\"", "predicted class"));
        return svg.append("</svg>\n").toString();
    }

    /** Names longer than {@link #MAX_NAME} are cut, so that one long name does not squeeze the matrix. */
    private static String shortName(String name) {
        return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME - 1) + "…";
    }

    /** The ramp's colour at {@code t} in [0, 1]. */
    private static String shade(double t) {
        int rgb = 0;
        for (int i = 0; i < 3; i++) {
            rgb = rgb << 8 | (int) Math.round(LIGHT[i] + (DARK[i] - LIGHT[i]) * t);
        }
        return "#" + Integer.toHexString(0x1000000 | rgb).substring(1);
    }
}

package io.cnn4j.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What every chart's SVG text needs: text escaped for XML, and numbers written the same way on every
 * machine (a German locale's decimal comma would make a coordinate unreadable).
 *
 * <p>cnn4j draws its charts itself rather than through a chart library: an SVG it writes is one
 * self-contained text, sharp at any zoom, that an HTML page can inline as it is and that opens offline,
 * and the project takes on no dependency for a few hundred lines of drawing.
 */
final class Svg {
    /** Sans-serif faces a browser has; the size makes axis text readable when the chart is shown at half width. */
    static final String FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif\"";

    private Svg() {
    }

    /** {@code text} as XML character data or an attribute value. */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : c);
            }
        }
        return b.toString();
    }

    /**
     * A coordinate: two decimals are finer than any screen, and fewer keep the file small. Written by hand
     * rather than through BigDecimal, as {@link #plain} is: a report draws tens of thousands of them after
     * every epoch, from code that runs too rarely for the JIT to compile.
     */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("cannot draw " + v);
        }
        if (Math.abs(v) >= 1e12) {
            return plain(v, 2);
        }
        long hundredths = Math.round(Math.abs(v) * 100);
        if (hundredths == 0) {
            return "0";
        }
        StringBuilder b = new StringBuilder(12);
        if (v < 0) {
            b.append('-');
        }
        b.append(hundredths / 100);
        int fraction = (int) (hundredths % 100);
        if (fraction != 0) {
            b.append('.').append(fraction / 10);
            if (fraction % 10 != 0) {
                b.append(fraction % 10);
            }
        }
        return b.toString();
    }

    /** {@code v} with at most {@code decimals} decimals and no trailing zeros; never an exponent. */
    static String plain(double v, int decimals) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("cannot draw " + v);
        }
        String s = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    /** The opening tag of a chart {@code width} by {@code height} units that scales to its container. */
    static String open(int width, int height, String title) {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + width + " " + height + "\" width=\"" + width
                + "\" height=\"" + height + "\" role=\"img\" " + FONT + " font-size=\"13\">\n<title>" + escape(title)
                + "</title>\n<rect width=\"" + width + "\" height=\"" + height + "\" fill=\"#ffffff\"/>\n";
    }

    /** A line of text; {@code anchor} is start, middle or end. */
    static String text(double x, double y, String anchor, String extra, String text) {
        // Appends, not +: string concatenation runs through method handles, costly in code run once an epoch.
        StringBuilder b = new StringBuilder(64 + extra.length() + text.length()).append("<text x=\"").append(num(x))
                .append("\" y=\"").append(num(y)).append("\" text-anchor=\"").append(anchor).append('"');
        if (!extra.isEmpty()) {
            b.append(' ').append(extra);
        }
        return b.append('>').append(escape(text)).append("</text>\n").toString();
    }
}

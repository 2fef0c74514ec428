package io.cnn4j.cli;

import java.util.List;

/**
 * A line of parts separated by " | " that breaks before a part that would pass the given width, the
 * continuation indented, so that an epoch's summary reads whole in a narrow terminal instead of wrapping.
 */
final class SummaryLine {
    static final String SEPARATOR = " | ";
    static final String INDENT = "  ";

    private SummaryLine() {
    }

    /** The parts joined, with a line break (no trailing one) wherever the next part would pass {@code width}. */
    static String fit(List<String> parts, int width) {
        StringBuilder text = new StringBuilder();
        int column = 0;
        for (String part : parts) {
            if (text.isEmpty()) {
                text.append(part);
                column = part.length();
            } else if (column + SEPARATOR.length() + part.length() <= width) {
                text.append(SEPARATOR).append(part);
                column += SEPARATOR.length() + part.length();
            } else {
                text.append(System.lineSeparator()).append(INDENT).append(part);
                column = INDENT.length() + part.length();
            }
        }
        return text.toString();
    }
}

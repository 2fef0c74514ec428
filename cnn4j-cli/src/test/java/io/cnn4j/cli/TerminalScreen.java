package io.cnn4j.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * What a terminal shows of some output, as far as progress bars use it: colour sequences take no room, a
 * carriage return moves back to the line's start so that what follows overwrites it, a line feed starts the
 * next line. Each row keeps every column ever written on it, so a row longer than the terminal is one that
 * wrapped.
 */
record TerminalScreen(List<String> rows) {

    static TerminalScreen of(String output) {
        String text = output.replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "");
        List<String> rows = new ArrayList<>();
        List<Integer> row = new ArrayList<>();
        int column = 0;
        for (int c : text.codePoints().toArray()) {
            if (c == '\r') {
                column = 0;
            } else if (c == '\n') {
                rows.add(text(row));
                row.clear();
                column = 0;
            } else {
                if (column < row.size()) {
                    row.set(column, c);
                } else {
                    row.add(c);
                }
                column++;
            }
        }
        if (!row.isEmpty()) {
            rows.add(text(row));
        }
        return new TerminalScreen(rows);
    }

    private static String text(List<Integer> codePoints) {
        StringBuilder text = new StringBuilder();
        codePoints.forEach(text::appendCodePoint);
        return text.toString();
    }

    static int width(String row) {
        return row.codePointCount(0, row.length());
    }
}

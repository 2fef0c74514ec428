package io.cnn4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A confusion matrix as text: one row per true class, labelled with its index and name, and one column per
 * predicted class, headed by the index alone, so that ten classes of any names fit 80 columns (the rows are
 * the legend). Names too long for the room left are cut, ending in "..".
 */
final class ConfusionTable {
    /** The width the table keeps to when the classes allow it. */
    static final int WIDTH = 80;
    /** Names are never cut shorter than this, however many classes there are. */
    private static final int MIN_NAME = 6;

    private ConfusionTable() {
    }

    /** The table's lines, {@code confusion[true][predicted]} for classes {@code names}, without line ends. */
    static List<String> lines(int[][] confusion, List<String> names) {
        int classes = names.size();
        int largest = 0;
        for (int[] row : confusion) {
            for (int v : row) {
                largest = Math.max(largest, v);
            }
        }
        int cell = Math.max(Integer.toString(largest).length(), Integer.toString(classes - 1).length()) + 1;
        int index = Integer.toString(classes - 1).length();
        int longest = names.stream().mapToInt(String::length).max().orElse(0);
        // Two spaces, the index, a space, the name, then the cells.
        int room = WIDTH - 2 - index - 1 - cell * classes;
        int nameWidth = Math.max(MIN_NAME, Math.min(longest, room));

        List<String> out = new ArrayList<>();
        out.add("confusion matrix (rows: true class; columns: predicted class, by index):");
        StringBuilder header = new StringBuilder(" ".repeat(2 + index + 1 + nameWidth));
        for (int c = 0; c < classes; c++) {
            header.append(String.format(Locale.ROOT, "%" + cell + "d", c));
        }
        out.add(header.toString());
        for (int t = 0; t < classes; t++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %" + index + "d %-" + nameWidth + "s", t,
                    cut(names.get(t), nameWidth)));
            for (int p = 0; p < classes; p++) {
                row.append(String.format(Locale.ROOT, "%" + cell + "d", confusion[t][p]));
            }
            out.add(row.toString());
        }
        return out;
    }

    private static String cut(String name, int width) {
        return name.length() <= width ? name : name.substring(0, width - 2) + "..";
    }
}

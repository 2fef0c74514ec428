package io.cnn4j.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfusionTableTest {

    @Test
    void rowsAreTrueClassesByIndexAndNameAndColumnsThePredictedOnesByIndex() {
        int[][] confusion = {{50, 2, 0}, {7, 41, 2}, {0, 12, 38}};
        assertEquals(List.of(
                "confusion matrix (rows: true class; columns: predicted class, by index):",
                "             0  1  2",
                "  0 cat     50  2  0",
                "  1 dog      7 41  2",
                "  2 hamster  0 12 38"), ConfusionTable.lines(confusion, List.of("cat", "dog", "hamster")));
    }

    @Test
    void tenClassesOfLongNamesAndLargeCountsFitEightyColumns() {
        int[][] confusion = new int[10][10];
        for (int t = 0; t < 10; t++) {
            confusion[t][t] = 60_000;
        }
        List<String> names = IntStream.range(0, 10).mapToObj(i -> "a rather long class name number " + i).toList();
        List<String> lines = ConfusionTable.lines(confusion, names);
        for (String line : lines) {
            assertTrue(line.length() <= ConfusionTable.WIDTH, line.length() + " columns: " + line);
        }
        assertEquals(ConfusionTable.WIDTH, lines.get(5).length(), "the names take the room there is");
        assertEquals("  3 a rather long ..     0     0     0 60000     0     0     0     0     0     0", lines.get(5));
    }
}

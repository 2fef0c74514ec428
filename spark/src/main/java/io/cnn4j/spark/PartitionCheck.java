package io.cnn4j.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;

import java.util.Iterator;
import java.util.List;

/**
 * Looks at every partition of a training set once before training: a bad row or an empty partition is
 * reported in one sentence on the driver, instead of failing every worker's task (and every retry of it).
 */
final class PartitionCheck {
    private PartitionCheck() {
    }

    /** What one partition holds: its rows, or the first thing wrong with it. */
    private record Summary(int partition, long rows, String problem) implements java.io.Serializable {
    }

    /** The number of rows, once every partition has rows and every row an image and label {@code layout} takes. */
    static long requireUsable(JavaRDD<Row> rows, RowLayout layout, String imageColumn, String labelColumn) {
        List<Summary> summaries = rows.mapPartitionsWithIndex((partition, it) -> summarize(partition, it, layout), false)
                .collect();
        int partitions = summaries.size();
        long total = 0;
        for (Summary s : summaries) {
            if (s.problem() != null) {
                throw new IllegalArgumentException("the training rows are not usable: " + s.problem()
                        + " (image column '" + imageColumn + "', label column '" + labelColumn + "')");
            }
            if (s.rows() == 0) {
                throw new IllegalArgumentException("partition " + s.partition() + " of the training rows' " + partitions
                        + " is empty: remove the filter that emptied it, or repartition the data set");
            }
            total += s.rows();
        }
        return total;
    }

    private static Iterator<Summary> summarize(int partition, Iterator<Row> rows, RowLayout layout) {
        long count = 0;
        try {
            while (rows.hasNext()) {
                Row row = rows.next();
                layout.image(row, partition, count);
                layout.label(row, partition, count);
                count++;
            }
        } catch (IllegalArgumentException e) {
            return List.of(new Summary(partition, count, e.getMessage())).iterator();
        }
        return List.of(new Summary(partition, count, null)).iterator();
    }
}

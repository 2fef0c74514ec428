package io.cnn4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --plots DIR} draws the run's charts as it goes, and a folder it cannot write is refused first. */
class PlotsCliTest {
    private static final int TEST_IMAGES = 16;

    @TempDir
    Path tmp;

    private CliRun train(String... more) throws Exception {
        Path data = TinyData.write(tmp.resolve("data"), 64, TEST_IMAGES);
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", data.toString(), "--batch-size", "16",
                "--threads", "1"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void drawsTheCurvesAndTheTestSetsConfusionAfterEveryEpoch() throws Exception {
        Path plots = tmp.resolve("runs/plots");
        CliRun run = train("--epochs", "2", "--plots", plots.toString());
        assertEquals(0, run.exitCode(), run.toString());
        try (var files = Files.list(plots)) {
            assertEquals(List.of("accuracy.svg", "confusion.svg", "learning-rate.svg", "loss.svg"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
        }
        for (String curve : List.of("loss.svg", "accuracy.svg")) {
            String svg = Files.readString(plots.resolve(curve));
            assertFalse(svg.contains("NaN"), svg);
            Document doc = parse(plots.resolve(curve));
            // No validation set: train and test only, a point per epoch.
            assertEquals("train test", xpath(doc, "normalize-space(concat(//*[@class='series'][1]/@data-name, ' ',"
                    + " //*[@class='series'][2]/@data-name, ' ', //*[@class='series'][3]/@data-name))"));
            assertEquals("4", xpath(doc, "count(//*[@class='point'])"), curve);
        }
        assertEquals("2", xpath(parse(plots.resolve("learning-rate.svg")), "count(//*[@class='point'])"));
        Document confusion = parse(plots.resolve("confusion.svg"));
        assertEquals(Integer.toString(TEST_IMAGES), xpath(confusion, "sum(//*[@class='cell']/@data-count)"));
        int classes = Integer.parseInt(xpath(confusion, "count(//*[@class='true-name'])"));
        assertEquals(Integer.toString(classes * classes), xpath(confusion, "count(//*[@class='cell'])"));
    }

    @Test
    void aResumedRunDrawsWhereItsOwnCommandLineSaysNeverWhereTheCheckpointsRunDid() throws Exception {
        Path checkpoint = tmp.resolve("run.ckpt");
        Path first = tmp.resolve("first");
        assertEquals(0, train("--epochs", "1", "--checkpoint", checkpoint.toString(), "--plots", first.toString()).exitCode());
        Files.delete(first.resolve("loss.svg"));
        Path second = tmp.resolve("second");
        CliRun resumed = CliRun.of("train", "--resume", checkpoint.toString(), "--epochs", "2", "--plots", second.toString());
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertFalse(Files.exists(first.resolve("loss.svg")), "the checkpoint does not carry --plots");
        // The epoch it ran: train and test loss of epoch 2.
        assertEquals("2", xpath(parse(second.resolve("loss.svg")), "count(//*[@class='point'])"));
    }

    private static Document parse(Path svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
    }

    private static String xpath(Document doc, String expression) throws Exception {
        Object value = XPathFactory.newInstance().newXPath().evaluate(expression, doc, XPathConstants.NUMBER);
        return value instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue())
                : XPathFactory.newInstance().newXPath().evaluate(expression, doc);
    }

    @Test
    void aPlotsFolderThatIsAFileIsRefusedBeforeTraining() throws Exception {
        Path file = Files.writeString(tmp.resolve("taken"), "x");
        CliRun run = train("--max-steps", "2", "--plots", file.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertFalse(run.out().contains("epoch 1"), run.toString());
        assertTrue(run.err().contains(file.resolve("loss.svg") + ": cannot write --plots: its folder " + file
                + " does not exist and cannot be created"), run.toString());
        assertFalse(run.err().contains("\tat "), run.toString());
    }
}

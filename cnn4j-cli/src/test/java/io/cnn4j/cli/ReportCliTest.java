package io.cnn4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --report FILE} and {@code report}: the page parses as XML, its confusion matrix is the test
 * set's, its per-class figures are those {@code eval --json} prints, and its pictures decode.
 */
class ReportCliTest {
    private static final int TEST_IMAGES = 24;

    @TempDir
    Path tmp;

    private Path data() throws Exception {
        Path dir = tmp.resolve("data");
        return Files.isDirectory(dir) ? dir : TinyData.write(dir, 96, TEST_IMAGES);
    }

    private CliRun train(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("train", "--data", data().toString(), "--batch-size", "16", "--threads", "1"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void trainingRewritesThePageAfterEveryEpochAndItsNumbersAddUp() throws Exception {
        Path report = tmp.resolve("runs/report.html");
        CliRun run = train("--epochs", "2", "--report", report.toString());
        assertEquals(0, run.exitCode(), run.toString());
        try (var files = Files.list(report.getParent())) {
            assertEquals(List.of("report.html"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
        }
        Document page = parse(report);
        assertEquals("2", xpath(page, "count(//table[@id='epoch-table']/tbody/tr)"));
        assertEquals(Integer.toString(TEST_IMAGES), xpath(page, "sum(//*[title='Confusion matrix (counts)']//*[@class='cell']/@data-count)"),
                "the matrix holds every test image");
        int diagonal = 0;
        NodeList cells = (NodeList) XPathFactory.newInstance().newXPath().evaluate(
                "//*[title='Confusion matrix (counts)']//*[@class='cell']", page, javax.xml.xpath.XPathConstants.NODESET);
        int classes = (int) Math.round(Math.sqrt(cells.getLength()));
        for (int k = 0; k < classes; k++) {
            diagonal += Integer.parseInt(((Element) cells.item(k * classes + k)).getAttribute("data-count"));
        }
        String accuracy = xpath(page, "//*[@id='accuracy']");
        double finalAccuracy = Double.parseDouble(run.out().replaceAll("(?s).*test accuracy ([0-9.]+) after.*", "$1"));
        assertTrue(accuracy.startsWith(String.format(Locale.ROOT, "%d of %d test images right: accuracy %.4f", diagonal, TEST_IMAGES,
                (double) diagonal / TEST_IMAGES)), accuracy);
        assertEquals(finalAccuracy, (double) diagonal / TEST_IMAGES, 1e-4, "the diagonal gives the accuracy the run printed");
        assertTrue(xpath(page, "//table[@id='facts']//td[1]").startsWith("cnn4j train --data "), "the command line comes first");
        assertPicturesDecode(page);
    }

    @Test
    void aSavedModelsPageShowsTheFiguresEvalPrints() throws Exception {
        Path model = tmp.resolve("m.safetensors");
        assertEquals(0, train("--epochs", "1", "--save", model.toString()).exitCode());
        Path report = tmp.resolve("model.html");
        CliRun run = CliRun.of("report", "--model-file", model.toString(), "--data", data().toString(), "--output", report.toString());
        assertEquals(0, run.exitCode(), run.toString());
        CliRun eval = CliRun.of("eval", "--model-file", model.toString(), "--data", data().toString(), "--json");
        assertEquals(0, eval.exitCode(), eval.toString());
        JsonObject json = JsonParser.parseString(eval.out()).getAsJsonObject();

        Document page = parse(report);
        JsonArray names = json.getAsJsonArray("classes");
        JsonArray confusion = json.getAsJsonArray("confusion");
        for (int k = 0; k < names.size(); k++) {
            String row = "//table[@id='per-class']/tbody/tr[" + (k + 1) + "]/td";
            assertEquals(names.get(k).getAsString(), xpath(page, row + "[2]"));
            assertEquals(f4(json.getAsJsonArray("per_class_precision").get(k)), xpath(page, row + "[3]"), "precision of class " + k);
            assertEquals(f4(json.getAsJsonArray("per_class_accuracy").get(k)), xpath(page, row + "[4]"), "recall of class " + k);
            assertEquals(f4(json.getAsJsonArray("per_class_f1").get(k)), xpath(page, row + "[5]"), "F1 of class " + k);
            int support = 0;
            for (var v : confusion.get(k).getAsJsonArray()) {
                support += v.getAsInt();
            }
            assertEquals(Integer.toString(support), xpath(page, row + "[6]"), "support of class " + k);
        }
        assertTrue(xpath(page, "//*[@id='accuracy']").contains(String.format(Locale.ROOT, "accuracy %.4f",
                json.get("accuracy").getAsDouble())));
        assertTrue(xpath(page, "//*[@id='curves']/following-sibling::p[1]").contains("need a run's history"));
        assertPicturesDecode(page);
    }

    @Test
    void aReportThatCannotBeWrittenIsRefusedBeforeTraining() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        CliRun run = train("--epochs", "1", "--report", file.resolve("report.html").toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--report"), run.toString());
        assertFalse(run.out().contains("epoch 1/1"), "refused before training:\n" + run);

        Path same = tmp.resolve("same");
        CliRun both = train("--epochs", "1", "--save", same.toString(), "--report", same.toString());
        assertEquals(1, both.exitCode());
        assertTrue(both.err().contains("--save and --report both name " + same + "; each output needs a file of its own"), both.toString());
    }

    private static String f4(com.google.gson.JsonElement v) {
        return v.isJsonNull() ? "–" : String.format(Locale.ROOT, "%.4f", v.getAsDouble());
    }

    private static void assertPicturesDecode(Document page) throws Exception {
        NodeList images = page.getElementsByTagName("img");
        assertTrue(images.getLength() > 10, "mistakes, Grad-CAM overlays, filters and feature maps");
        for (int i = 0; i < images.getLength(); i++) {
            Element img = (Element) images.item(i);
            String src = img.getAttribute("src");
            assertTrue(src.startsWith("data:image/png;base64,"), "an inline PNG");
            assertNotNull(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(src.substring(22)))), img.getAttribute("alt"));
            assertTrue(Integer.parseInt(img.getAttribute("width")) > 0 && Integer.parseInt(img.getAttribute("height")) > 0);
        }
    }

    /** The page as XML: it is written well-formed, and the HTML doctype is all an XML parser would not take. */
    private static Document parse(Path html) throws Exception {
        String text = Files.readString(html, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("<!DOCTYPE html>\n"));
        assertFalse(text.contains("<script"), "no scripts");
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(
                text.substring("<!DOCTYPE html>\n".length()).getBytes(StandardCharsets.UTF_8)));
    }

    private static String xpath(Document doc, String expression) throws Exception {
        String value = XPathFactory.newInstance().newXPath().evaluate(expression, doc);
        return value.matches("[0-9]+\\.0") ? value.substring(0, value.length() - 2) : value;
    }
}

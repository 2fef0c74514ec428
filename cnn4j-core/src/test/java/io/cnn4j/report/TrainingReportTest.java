package io.cnn4j.report;

import io.cnn4j.data.DataLoader;
import io.cnn4j.data.Dataset;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.MaxPool2d;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.ReLU;
import io.cnn4j.nn.Sequential;
import io.cnn4j.optim.Adam;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.train.EpochMetrics;
import io.cnn4j.train.Evaluation;
import io.cnn4j.train.Evaluator;
import io.cnn4j.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingReportTest {
    /** {@code n} colour 12x12 images in four classes, each a bright square at its class's corner on noise. */
    static Dataset images(int n, long seed) {
        Rng rng = new Rng(seed);
        int side = 12;
        byte[] pixels = new byte[n * 3 * side * side];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(4);
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < side * side; p++) {
                    int y = p / side;
                    int x = p % side;
                    boolean square = (y < 6) == (labels[i] % 2 == 0) && (x < 6) == (labels[i] < 2);
                    pixels[(i * 3 + c) * side * side + p] = (byte) (rng.nextInt(120) + (square ? 100 + 40 * c : 0));
                }
            }
        }
        return Dataset.of(pixels, labels, 3, side, side, List.of("top left", "bottom left", "top right", "bottom <right> & co"),
                "corners");
    }

    private static Module model(long seed) {
        Module model = new Sequential(new Conv2d(3, 6, 3), new ReLU(), new MaxPool2d(2), new Conv2d(6, 8, 3), new ReLU(),
                new Flatten(), new Linear(8 * 3 * 3, 4));
        return model.initialize(new Rng(seed));
    }

    @Test
    void theTrainingPageIsWellFormedAndItsNumbersAreTheRunsOwn(@TempDir Path dir) throws Exception {
        Dataset train = images(96, 1);
        Dataset test = images(40, 2);
        Module model = model(3);
        Path file = dir.resolve("report.html");
        List<Evaluation> tests = new ArrayList<>();
        Map<String, String> facts = new java.util.LinkedHashMap<>();
        facts.put("command line", "cnn4j train <test>");
        facts.put("seed", "3");
        Trainer trainer = new Trainer(model, new Adam(model.parameters(), 0.01))
                .addListener(new TrainingReport(file, model, test, null, facts))
                .addListener(new io.cnn4j.train.TrainingListener() {
                    @Override
                    public void onEvaluation(int epoch, Evaluation validation, Evaluation t) {
                        tests.add(t);
                    }
                });
        List<EpochMetrics> history = trainer.fit(DataLoader.shuffled(train, 16, 4), test, 3);
        String html = Files.readString(file, StandardCharsets.UTF_8);
        ReportHtml page = ReportHtml.parse(html);

        Evaluation last = tests.getLast();
        List<Integer> counts = page.confusionCounts("Confusion matrix (counts)");
        assertEquals(16, counts.size());
        assertEquals(test.size(), counts.stream().mapToInt(Integer::intValue).sum(), "the matrix sums to the test set's size");
        int diagonal = counts.get(0) + counts.get(5) + counts.get(10) + counts.get(15);
        assertEquals(history.getLast().testAccuracy(), (double) diagonal / test.size(), 1e-12, "its diagonal is the accuracy");
        assertTrue(page.byId("accuracy").getTextContent().startsWith(String.format(Locale.ROOT, "%d of %d test images right: accuracy %.4f",
                diagonal, test.size(), history.getLast().testAccuracy())), page.byId("accuracy").getTextContent());
        List<List<String>> perClass = page.table("per-class");
        for (int k = 0; k < 4; k++) {
            assertEquals(List.of(Integer.toString(k), test.className(k), f4(last.precision(k)), f4(last.recall(k)), f4(last.f1(k)),
                    Integer.toString(last.support(k))), perClass.get(k));
        }
        assertEquals(3, page.table("epoch-table").size());
        assertEquals(List.of("cnn4j train <test>"), page.table("facts").getFirst(), "the run's facts first, in their order");
        assertEquals(List.of("3"), page.table("facts").get(1));

        List<BufferedImage> images = page.images();
        assertFalse(images.isEmpty());
        for (BufferedImage image : images) {
            assertTrue(image.getWidth() > 0 && image.getHeight() > 0);
        }
        for (var img : page.elements("img")) {
            assertTrue(Integer.parseInt(img.getAttribute("width")) > 0 && Integer.parseInt(img.getAttribute("height")) > 0);
        }
        for (var svg : page.elements("svg")) {
            assertTrue(svg.getAttribute("viewBox").matches("0 0 [1-9][0-9]* [1-9][0-9]*"), svg.getAttribute("viewBox"));
        }
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "").matches("(?s).*(https?:|src=\"(?!data:)|url\\().*"),
                "nothing outside the page");
        assertTrue(html.contains("bottom &lt;right&gt; &amp; co"), "class names are escaped");
    }

    @Test
    void writingTheReportLeavesTheRunAsItWouldBeWithoutIt(@TempDir Path dir) {
        List<EpochMetrics> plain = run(null);
        List<EpochMetrics> reported = run(dir.resolve("r.html"));
        for (int e = 0; e < plain.size(); e++) {
            assertEquals(plain.get(e).trainLoss(), reported.get(e).trainLoss(), 0.0);
            assertEquals(plain.get(e).testLoss(), reported.get(e).testLoss(), 0.0);
        }
    }

    private static List<EpochMetrics> run(Path report) {
        Dataset test = images(24, 2);
        Module model = new Sequential(new Conv2d(3, 4, 3), new ReLU(), new io.cnn4j.nn.Dropout(0.3f), new Flatten(),
                new Linear(4 * 10 * 10, 4)).initialize(new Rng(5));
        Trainer trainer = new Trainer(model, new Adam(model.parameters(), 0.01));
        if (report != null) {
            trainer.addListener(new TrainingReport(report, model, test, null, Map.of()));
        }
        return trainer.fit(DataLoader.shuffled(images(48, 1), 16, 4), test, 2);
    }

    @Test
    void aTwentyEpochRunsPageStaysUnderTwoMegabytes() {
        Module model = Models.create("seed", Shape.of(1, 28, 28), 10, new Rng(1));
        Rng rng = new Rng(2);
        int n = 2000;
        byte[] pixels = new byte[n * 28 * 28];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(10);
            for (int p = 0; p < 28 * 28; p++) {
                pixels[i * 28 * 28 + p] = (byte) rng.nextInt(256);
            }
        }
        List<String> names = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                "Ankle boot");
        Dataset test = Dataset.of(pixels, labels, 1, 28, 28, names, "noise");
        Evaluation evaluation = Evaluator.evaluate(model, test, 256);
        List<EpochMetrics> history = new ArrayList<>();
        StepCurve losses = new StepCurve();
        StepCurve rates = new StepCurve();
        int stepsPerEpoch = 938;
        for (int e = 1; e <= 20; e++) {
            for (int s = 0; s < stepsPerEpoch; s++) {
                long step = (long) (e - 1) * stepsPerEpoch + s + 1;
                losses.add(step, 2.3 / Math.sqrt(step) + 0.3 * rng.nextInt(1000) / 1000.0);
                rates.add(step, 1e-3 * Math.cos(step / 20000.0));
            }
            history.add(new EpochMetrics(e, stepsPerEpoch, 1.0 / e, 1 - 0.5 / e, 1.1 / e, 1 - 0.6 / e, 1.2 / e, 1 - 0.7 / e,
                    1e-3, 0.01, 10.5, 5700));
        }
        String html = ReportPage.html(new ReportPage.Content("report", "after epoch 20", Map.of("seed", "0"), model, test, null,
                history, losses, rates, evaluation, false, new java.util.HashMap<>()));
        int bytes = html.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes < 2_000_000, "the page takes " + bytes + " bytes");
        ReportHtml.parse(html);
        System.out.println("20-epoch page: " + bytes + " bytes");
    }

    @Test
    void largePicturesAreShrunkSoThatThePageStaysSmall() throws Exception {
        int side = 160;
        int n = 40;
        Rng rng = new Rng(4);
        byte[] pixels = new byte[n * 3 * side * side];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) rng.nextInt(256);
        }
        Dataset test = Dataset.of(pixels, labels, 3, side, side, List.of("a", "b", "c"), "noise photos");
        Module model = new Sequential(new Conv2d(3, 8, 3), new ReLU(), new MaxPool2d(4), new Flatten(), new Linear(8 * 39 * 39, 3))
                .initialize(new Rng(6));
        String html = TrainingReport.forModel(model, test, null, Evaluator.evaluate(model, test, 16), Map.of());
        int bytes = html.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes < 2_000_000, "the page takes " + bytes + " bytes");
        for (BufferedImage image : ReportHtml.parse(html).images()) {
            assertTrue(image.getWidth() <= 128 * 16 && image.getHeight() <= 128 * 2, image.getWidth() + " x " + image.getHeight());
        }
        assertTrue(html.contains("alt=\"feature maps of layer 0\""), "the feature maps are drawn");
    }

    private static String f4(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v);
    }
}

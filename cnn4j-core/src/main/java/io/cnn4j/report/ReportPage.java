package io.cnn4j.report;

import io.cnn4j.data.Dataset;
import io.cnn4j.data.Normalize;
import io.cnn4j.explain.GradCam;
import io.cnn4j.nn.ModelFootprint;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.train.EpochMetrics;
import io.cnn4j.train.Evaluation;
import io.cnn4j.train.ImageOutcomes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report's page, section by section, from what a run (or a saved model's evaluation) gives it. */
final class ReportPage {
    /** The worst mistakes shown. */
    static final int MISTAKES = 20;
    /** Right and wrong answers each given a Grad-CAM overlay. */
    static final int EXPLAINED = 4;
    /** The most-confused pairs listed. */
    static final int PAIRS = 10;
    private static final String WEIGHT_COLOUR = "#0072B2";
    private static final String GRADIENT_COLOUR = "#D55E00";

    /**
     * What the page shows: the run's facts in order, the model and test set, the epochs so far (empty for
     * a saved model), the loss and learning rate of every step, the test set's last evaluation (with each
     * image's outcome), whether the model's parameters hold the last step's gradients, and a line saying
     * how far the run is.
     */
    record Content(String title, String status, Map<String, String> run, Module model, Dataset test, Normalize normalize,
                   List<EpochMetrics> history, StepCurve losses, StepCurve rates, Evaluation evaluation, boolean gradients,
                   Map<Integer, String> thumbnails) {

        /** Test image {@code index} as a PNG data URI, made once for all the pages of a run. */
        String thumbnail(int index) {
            return thumbnails.computeIfAbsent(index, i -> Png.dataUri(new ModelPictures(model, test, normalize).thumbnail(i)));
        }
    }

    private ReportPage() {
    }

    static String html(Content c) {
        Html page = new Html(c.title());
        page.heading(1, null, c.title()).paragraph("status", c.status());
        page.raw("""
                <nav><strong>Contents</strong><ol>
                <li><a href="#run">The run</a></li><li><a href="#curves">Training curves</a></li>
                <li><a href="#results">Test results</a></li><li><a href="#mistakes">Worst mistakes</a></li>
                <li><a href="#gradcam">What the model looks at (Grad-CAM)</a></li>
                <li><a href="#filters">Filters and feature maps</a></li><li><a href="#histograms">Weights and gradients</a></li>
                </ol></nav>
                """);
        run(page, c);
        curves(page, c);
        results(page, c);
        ModelPictures pictures = new ModelPictures(c.model(), c.test(), c.normalize());
        mistakes(page, c);
        Explained explained = gradCam(page, c, pictures);
        filters(page, c, pictures, explained);
        histograms(page, c);
        return page.toHtml();
    }

    private static void run(Html page, Content c) {
        page.heading(2, "run", "The run");
        Map<String, String> facts = new LinkedHashMap<>(c.run());
        Dataset test = c.test();
        facts.put("test set", test.description() + ": " + test.size() + " images");
        facts.put("input", "[" + test.channels() + ", " + test.height() + ", " + test.width() + "] (channels, height, width)"
                + (c.normalize() == null ? "" : ", normalised " + c.normalize().spec()));
        facts.put("classes", test.numClasses() + ": " + String.join(", ", test.classNames()));
        page.facts("facts", facts);
        if (!c.history().isEmpty()) {
            page.heading(3, "epochs", "Epochs");
            boolean validation = false;
            for (EpochMetrics m : c.history()) {
                validation |= !Double.isNaN(m.validationLoss());
            }
            List<String> headers = new ArrayList<>(List.of("epoch", "steps", "train loss", "train acc"));
            if (validation) {
                headers.addAll(List.of("val loss", "val acc"));
            }
            headers.addAll(List.of("test loss", "test acc", "learning rate", "seconds", "images/s"));
            List<List<String>> epochs = new ArrayList<>();
            for (EpochMetrics m : c.history()) {
                List<String> row = new ArrayList<>(List.of(Integer.toString(m.epoch()), Long.toString(m.steps()),
                        f4(m.trainLoss()), f4(m.trainAccuracy())));
                if (validation) {
                    row.addAll(List.of(f4(m.validationLoss()), f4(m.validationAccuracy())));
                }
                row.addAll(List.of(f4(m.testLoss()), f4(m.testAccuracy()), String.format(Locale.ROOT, "%.3g", m.learningRate()),
                        String.format(Locale.ROOT, "%.1f", m.seconds()), String.format(Locale.ROOT, "%,.0f", m.imagesPerSecond())));
                epochs.add(row);
            }
            page.table("epoch-table", headers, epochs);
        }
        page.heading(3, "model", "Model");
        ModelFootprint footprint = ModelFootprint.of(c.model(), test.imageShape());
        List<List<String>> layers = new ArrayList<>();
        for (ModelFootprint.Layer l : footprint.layers()) {
            layers.add(List.of(l.name(), l.layer(), "[N" + l.output().toString().substring(2),
                    String.format(Locale.ROOT, "%,d", l.parameters())));
        }
        page.table("layers", List.of("name", "layer", "output shape", "parameters"), layers);
        page.paragraph("note", String.format(Locale.ROOT, "%,d parameters in all; %,d activation values per image.",
                footprint.parameters(), footprint.activationsPerImage()));
    }

    private static void curves(Html page, Content c) {
        page.heading(2, "curves", "Training curves");
        if (c.history().isEmpty()) {
            page.paragraph("note", "The curves need a run's history, which a saved model does not keep: "
                    + "'cnn4j train ... --report FILE.html' draws them as the run goes.");
            return;
        }
        page.raw("<div class=\"charts\">\n");
        figure(page, TrainingCharts.loss(c.history()), "Mean cross-entropy per epoch: training (over the epoch's batches), validation and test (after the epoch).");
        figure(page, TrainingCharts.accuracy(c.history()), "Accuracy per epoch.");
        if (c.losses().size() > 0) {
            double[][] raw = c.losses().raw();
            double[][] smooth = c.losses().smoothed();
            figure(page, new LineChart("Loss per step", "step", "training batch loss")
                    .series("raw", raw[0], raw[1], LineChart.Style.FAINT)
                    .series("smoothed", smooth[0], smooth[1], LineChart.Style.PLAIN).toSvg(),
                    "Each step's batch loss (faint) and its exponential moving average.");
            double[][] lr = c.rates().thinned();
            figure(page, new LineChart("Learning rate", "step", "learning rate")
                    .series("learning rate", lr[0], lr[1], LineChart.Style.PLAIN).toSvg(), "The rate of every update.");
        }
        page.raw("</div>\n");
    }

    private static void figure(Html page, String svg, String caption) {
        page.raw("<figure>\n").raw(svg).raw("<figcaption>" + Html.escape(caption) + "</figcaption>\n</figure>\n");
    }

    private static void results(Html page, Content c) {
        Evaluation e = c.evaluation();
        List<String> names = c.test().classNames();
        page.heading(2, "results", "Test results");
        page.raw("<p id=\"accuracy\" data-correct=\"" + correct(e) + "\" data-count=\"" + e.count() + "\">"
                + Html.escape(String.format(Locale.ROOT, "%d of %d test images right: accuracy %.4f, mean loss %.4f%s.",
                correct(e), e.count(), e.accuracy(), e.loss(), c.history().isEmpty() ? "" : " after epoch " + c.history().getLast().epoch()))
                + "</p>\n");
        page.raw("<div class=\"charts\">\n");
        figure(page, new ConfusionChart("Confusion matrix (counts)", e.confusion(), names, false).toSvg(),
                "Rows: the true class; columns: the class predicted.");
        figure(page, new ConfusionChart("Confusion matrix (share of each true class)", e.confusion(), names, true).toSvg(),
                "Each row divided by its class's images, so that a rare class's errors show as plainly as a common one's.");
        page.raw("</div>\n");
        page.heading(3, "per-class-heading", "Per class");
        List<List<String>> rows = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            rows.add(List.of(Integer.toString(k), names.get(k), f4(e.precision(k)), f4(e.recall(k)), f4(e.f1(k)),
                    Integer.toString(e.support(k))));
        }
        page.table("per-class", List.of("#", "class", "precision", "recall", "F1", "support"), rows);
        page.heading(3, "confused-heading", "Most-confused pairs");
        List<int[]> pairs = new ArrayList<>();
        for (int t = 0; t < names.size(); t++) {
            for (int p = 0; p < names.size(); p++) {
                if (t != p && e.confusion()[t][p] > 0) {
                    pairs.add(new int[] {t, p, e.confusion()[t][p]});
                }
            }
        }
        // Most images first; the sort is stable, so ties stay in the matrix's order.
        pairs.sort((a, b) -> Integer.compare(b[2], a[2]));
        if (pairs.isEmpty()) {
            page.paragraph("note", "No test image was taken for another class.");
            return;
        }
        List<List<String>> top = new ArrayList<>();
        for (int[] q : pairs.subList(0, Math.min(PAIRS, pairs.size()))) {
            top.add(List.of(names.get(q[0]), names.get(q[1]), Integer.toString(q[2]),
                    String.format(Locale.ROOT, "%.1f%%", 100.0 * q[2] / e.support(q[0]))));
        }
        page.table("confused", List.of("true class", "taken for", "images", "share of the true class"), top);
    }

    private static int correct(Evaluation e) {
        int sum = 0;
        for (int k = 0; k < e.confusion().length; k++) {
            sum += e.confusion()[k][k];
        }
        return sum;
    }

    /** How many test images were taken wrongly. */
    private static int mistakeCount(ImageOutcomes o, Dataset test) {
        int n = 0;
        for (int i = 0; i < o.size(); i++) {
            n += o.predicted()[i] != test.label(i) ? 1 : 0;
        }
        return n;
    }

    /**
     * The {@code n} test images taken wrongly with the highest loss, highest first (the earlier image on a
     * tie): one pass that keeps the best so far in order, rather than a sort of the whole set.
     */
    private static List<Integer> worstMistakes(ImageOutcomes o, Dataset test, int n) {
        int[] best = new int[n];
        int kept = 0;
        for (int i = 0; i < o.size(); i++) {
            if (o.predicted()[i] == test.label(i) || kept == n && o.loss()[i] <= o.loss()[best[n - 1]]) {
                continue;
            }
            int at = Math.min(kept, n - 1);
            while (at > 0 && o.loss()[best[at - 1]] < o.loss()[i]) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = i;
            kept = Math.min(kept + 1, n);
        }
        List<Integer> out = new ArrayList<>(kept);
        for (int k = 0; k < kept; k++) {
            out.add(best[k]);
        }
        return out;
    }

    private static void mistakes(Html page, Content c) {
        page.heading(2, "mistakes", "Worst mistakes");
        ImageOutcomes o = c.evaluation().images();
        List<Integer> wrong = worstMistakes(o, c.test(), MISTAKES);
        if (wrong.isEmpty()) {
            page.paragraph("note", "The model took no test image for another class.");
            return;
        }
        page.paragraph("note", "The test images with the highest loss among the " + mistakeCount(o, c.test())
                + " taken for another class: what the model predicted, with its probability, and the true class.");
        page.raw("<div class=\"tiles\">\n");
        for (int i : wrong) {
            String predicted = c.test().className(o.predicted()[i]);
            String truth = c.test().className(c.test().label(i));
            page.raw("<figure>" + Html.image(c.thumbnail(i), 128, 128, "px",
                    "test image " + i + ", a " + truth + " taken for a " + predicted)
                    + "<figcaption><span class=\"wrong\">" + Html.escape(predicted) + "</span> "
                    + Html.escape(String.format(Locale.ROOT, "%.0f%%", 100.0 * o.confidence()[i])) + "<br/>true: "
                    + Html.escape(truth) + "<br/>" + Html.escape(String.format(Locale.ROOT, "#%d, loss %.2f", i, o.loss()[i]))
                    + "</figcaption></figure>\n");
        }
        page.raw("</div>\n");
    }

    /** The pictures Grad-CAM's pass drew, the first of them {@code first}; null without a convolution. */
    private record Explained(int first, ModelPictures.Drawn drawn) {
    }

    private static Explained gradCam(Html page, Content c, ModelPictures pictures) {
        page.heading(2, "gradcam", "What the model looks at (Grad-CAM)");
        GradCam cam;
        try {
            cam = GradCam.of(c.model());
        } catch (IllegalArgumentException e) {
            page.paragraph("note", "The model has no convolution, so Grad-CAM has no feature maps to weigh.");
            return null;
        }
        page.paragraph("note", "Where the last convolution (layer " + cam.layer() + ") saw evidence for the class the"
                + " model predicted: dark purple none, yellow the most (Selvaraju et al. 2017), beside the picture.");
        ImageOutcomes o = c.evaluation().images();
        List<Integer> right = new ArrayList<>();
        boolean[] classTaken = new boolean[c.test().numClasses()];
        for (int i = 0; i < o.size() && right.size() < EXPLAINED; i++) {
            int label = c.test().label(i);
            if (o.predicted()[i] == label && !classTaken[label]) {
                classTaken[label] = true;
                right.add(i);
            }
        }
        List<Integer> wrong = worstMistakes(o, c.test(), EXPLAINED);
        int[] indices = new int[right.size() + wrong.size()];
        int[] classes = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            indices[k] = k < right.size() ? right.get(k) : wrong.get(k - right.size());
            classes[k] = o.predicted()[indices[k]];
        }
        if (indices.length == 0) {
            page.paragraph("note", "The test set is empty.");
            return null;
        }
        ModelPictures.Drawn drawn = pictures.draw(cam, indices, classes);
        List<byte[]> overlays = drawn.overlays();
        explained(page, c, "Right", right, overlays.subList(0, right.size()));
        explained(page, c, "Wrong", wrong, overlays.subList(right.size(), overlays.size()));
        return new Explained(indices[0], drawn);
    }

    private static void explained(Html page, Content c, String kind, List<Integer> images, List<byte[]> overlays) {
        page.heading(3, null, kind + " predictions");
        if (images.isEmpty()) {
            page.paragraph("note", "None.");
            return;
        }
        ImageOutcomes o = c.evaluation().images();
        page.raw("<div class=\"tiles pairs\">\n");
        for (int k = 0; k < images.size(); k++) {
            int i = images.get(k);
            int predicted = o.predicted()[i];
            String truth = c.test().className(c.test().label(i));
            page.raw("<figure>" + Html.image(c.thumbnail(i), 128, 128, "px", "test image " + i)
                    + " " + Html.image(Png.dataUri(overlays.get(k)), 128, 128, "cam",
                    "Grad-CAM of test image " + i + " for " + c.test().className(predicted))
                    + "<figcaption>" + Html.escape(String.format(Locale.ROOT, "#%d: predicted %s (%.0f%%), true %s", i,
                    c.test().className(predicted), 100.0 * o.confidence()[i], truth)) + "</figcaption></figure>\n");
        }
        page.raw("</div>\n");
    }

    private static void filters(Html page, Content c, ModelPictures pictures, Explained explained) {
        page.heading(2, "filters", "Filters and feature maps");
        Mosaic.Picture filters = pictures.filters();
        if (filters == null) {
            page.paragraph("note", "The model has no convolution.");
            return;
        }
        page.heading(3, null, "The first convolution's filters");
        page.paragraph("note", "Each filter's weights, zero as mid-gray, the largest positive white and the largest negative"
                + " black" + (c.test().channels() == 3 ? ", a colour filter in colour." : "."));
        int scale = Math.max(1, Math.min(12, 900 / filters.width()));
        page.raw("<p>" + Html.image(filters.dataUri(), filters.width() * scale, filters.height() * scale, "px maps",
                "first-layer filters") + "</p>\n");
        if (explained == null) {
            return;
        }
        int index = explained.first();
        page.heading(3, null, "Feature maps of test image #" + index + " (" + c.test().className(c.test().label(index)) + ")");
        page.paragraph("note", "Each convolution's output channels (up to " + ModelPictures.MAX_MAPS
                + "), each in its own range from dark purple to yellow.");
        page.raw("<p>" + Html.image(c.thumbnail(index), 96, 96, "px", "test image " + index) + "</p>\n");
        for (ModelPictures.FeatureMaps maps : explained.drawn().featureMaps()) {
            int s = Math.max(1, Math.min(4, 1000 / maps.picture().width()));
            page.raw("<figure class=\"maps\"><figcaption>" + Html.escape("layer " + maps.layer() + ": " + maps.channels() + " maps of "
                    + maps.height() + " x " + maps.width()) + "</figcaption>"
                    + Html.image(maps.picture().dataUri(), maps.picture().width() * s, maps.picture().height() * s, "px maps",
                    "feature maps of layer " + maps.layer()) + "</figure>\n");
        }
    }

    private static void histograms(Html page, Content c) {
        page.heading(2, "histograms", "Weights and gradients");
        page.paragraph("note", c.gradients()
                ? "Each layer's weights now, and their gradients at the last step of the last epoch."
                : "Each layer's weights; the gradients need a training run ('cnn4j train ... --report').");
        page.raw("<div class=\"charts small\">\n");
        for (Map.Entry<String, Tensor> p : c.model().namedParameters().entrySet()) {
            Tensor t = p.getValue();
            if (t.rank() < 2) {
                continue;
            }
            figure(page, Histogram.svg(p.getKey() + " " + t.shape(), t.data(), WEIGHT_COLOUR), "weights of " + p.getKey());
            if (c.gradients() && t.grad() != null) {
                figure(page, Histogram.svg("gradient of " + p.getKey(), t.grad().data(), GRADIENT_COLOUR),
                        "gradient of " + p.getKey());
            }
        }
        page.raw("</div>\n");
    }

    private static String f4(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v);
    }
}

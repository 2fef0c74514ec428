package io.cnn4j.cli;

import io.cnn4j.cli.browser.Browser;
import io.cnn4j.cli.browser.PageCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training report and a saved model's report open in a real browser: no console error, no request
 * outside the page, every chart and picture drawn with a size; a full-page screenshot of each is kept
 * under target/screenshots.
 */
class ReportInBrowserTest {
    @RegisterExtension
    static final Browser browser = new Browser();

    @TempDir
    Path tmp;

    @Test
    void aRunsReportAndASavedModelsReportRenderCleanlyInChromium() throws IOException {
        Path report = tmp.resolve("run.html");
        Path model = tmp.resolve("model.safetensors");
        CliRun run = CliRun.of("train", "--data", "embedded", "--epochs", "2", "--max-steps", "40", "--validation", "0.1",
                "--save", model.toString(), "--report", report.toString());
        assertEquals(0, run.exitCode(), run.toString());
        PageCheck page = browser.assertRendersCleanly(report, Browser.screenshot("report.png"));
        // Curves, confusion matrices and histograms are SVG; thumbnails, Grad-CAM, filters and feature maps are PNG.
        assertTrue(page.elements().getOrDefault("svg", 0) >= 6, page.toString());
        assertTrue(page.elements().getOrDefault("img", 0) >= 20, page.toString());

        Path saved = tmp.resolve("model.html");
        CliRun report2 = CliRun.of("report", "--model-file", model.toString(), "--data", "embedded", "--output", saved.toString());
        assertEquals(0, report2.exitCode(), report2.toString());
        PageCheck modelPage = browser.assertRendersCleanly(saved, Browser.screenshot("model-report.png"));
        assertTrue(modelPage.elements().getOrDefault("img", 0) >= 20, modelPage.toString());
    }
}

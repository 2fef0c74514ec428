package io.cnn4j.cli;

import io.cnn4j.cli.browser.Browser;
import io.cnn4j.cli.browser.PageCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pictures the command line draws open cleanly in a real browser: the charts of --plots and explain's overlays. */
class ChartsInBrowserTest {
    @RegisterExtension
    static final Browser browser = new Browser();

    @TempDir
    Path tmp;

    @Test
    void everyChartOfPlotsRendersInChromium() throws IOException {
        Path plots = tmp.resolve("plots");
        CliRun run = CliRun.of("train", "--data", "embedded", "--epochs", "2",
                "--plots", plots.toString());
        assertEquals(0, run.exitCode(), run.toString());
        List<String> charts = List.of("accuracy.svg", "confusion.svg", "learning-rate.svg", "loss.svg");
        try (var files = Files.list(plots)) {
            assertEquals(charts, files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        for (String chart : charts) {
            PageCheck check = browser.assertRendersCleanly(plots.resolve(chart), Browser.screenshot("plots/" + chart.replace(".svg", ".png")));
            assertEquals(Map.of("svg", 1), check.elements(), chart);
        }
    }

    @Test
    void explainsOverlaysDecodeInChromiumAsDataUris() throws IOException {
        Path pictures = tmp.resolve("pictures");
        ColourPictures.png(pictures.resolve("blue.png"), 0x2040c0);
        ColourPictures.png(pictures.resolve("red.png"), 0xc04020);
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("explain", "--model-file", ColourPictures.model(tmp).toString(), "--output", out.toString(),
                "--saliency", pictures.toString());
        assertEquals(0, run.exitCode(), run.toString());
        // Inline, as a self-contained page carries its pictures; scaled up, as a person would look at 32x32 maps.
        List<String> images = new ArrayList<>();
        try (var files = Files.list(out)) {
            for (Path png : files.sorted().toList()) {
                images.add("<figure><img id=\"%s\" width=\"128\" height=\"128\" style=\"image-rendering: pixelated\" alt=\"%1$s\""
                        .formatted(png.getFileName()) + " src=\"data:image/png;base64,"
                        + Base64.getEncoder().encodeToString(Files.readAllBytes(png)) + "\"><figcaption>" + png.getFileName()
                        + "</figcaption></figure>");
            }
        }
        assertEquals(4, images.size(), "a Grad-CAM overlay and a saliency map per picture");
        Path gallery = Files.writeString(tmp.resolve("explain.html"), "<!doctype html><html><head><meta charset=\"utf-8\">"
                + "<title>explain</title><style>figure { display: inline-block }</style></head><body>"
                + String.join("\n", images) + "</body></html>");
        assertEquals(Map.of("img", 4), browser.assertRendersCleanly(gallery, Browser.screenshot("explain.png")).elements());
        // And each file on its own, as a browser shows a PNG that is opened.
        browser.assertRendersCleanly(out.resolve("red.gradcam.png"), Browser.screenshot("explain-red-gradcam.png"));
    }
}

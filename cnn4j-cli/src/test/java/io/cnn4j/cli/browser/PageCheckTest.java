package io.cnn4j.cli.browser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness names each kind of fault a page can have, and passes a clean self-contained one. */
class PageCheckTest {
    @RegisterExtension
    static final Browser browser = new Browser();

    @TempDir
    Path tmp;

    @Test
    void aSelfContainedPageWithAChartAPictureAndACanvasRendersCleanly() throws IOException {
        Path page = page("clean", """
                <svg id="chart" width="200" height="100" viewBox="0 0 200 100"><polyline points="0,90 100,40 200,10"
                  fill="none" stroke="#0072b2" stroke-width="3"/></svg>
                <img id="picture" alt="a picture" src="%s">
                <details><summary>more</summary><canvas id="drawing" width="40" height="40"></canvas></details>
                <script>document.getElementById('drawing').getContext('2d').fillRect(5, 5, 30, 30);</script>
                <p style="margin-top: 2400px">the end of a long page</p>
                """.formatted(pngDataUri()));
        PageCheck check = browser.assertRendersCleanly(page, Browser.screenshot("page-check/clean.png"));
        assertEquals(page, check.page());
        assertEquals(Map.of("svg", 1, "img", 1, "canvas", 1), check.elements());
        assertTrue(ImageIO.read(check.screenshot().toFile()).getHeight() > 2400, "the whole page, beyond the window's 900 pixels");
    }

    @Test
    void aConsoleErrorIsReportedWithItsText() throws IOException {
        PageCheck check = check("console-error", "<script>console.error('the chart has', 3, 'series too many');</script>");
        assertEquals(List.of("console error: the chart has 3 series too many"), check.problems());
    }

    @Test
    void anUncaughtExceptionIsReportedWithItsMessageAndWhereItWasThrown() throws IOException {
        PageCheck check = check("exception", "<script>\nthrow new TypeError('no data for the curve');\n</script>");
        assertEquals(List.of("TypeError: no data for the curve (" + url("exception") + ":5)"), check.uncaughtExceptions(), check.toString());
        assertEquals(1, check.problems().size(), check.toString());
    }

    @Test
    void aBrokenImageIsReportedByItsIdAndSource() throws IOException {
        PageCheck check = check("broken-image", "<img id=\"thumbnail\" class=\"mistake\" alt=\"x\" width=\"28\" height=\"28\""
                + " src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAA\">");
        assertEquals(List.of("img#thumbnail.mistake (data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAA)"), check.undecodedImages(),
                check.toString());
        assertEquals(List.of(), check.emptyBoxes(), "the image was given a size, so only its decoding fails");
    }

    @Test
    void aZeroSizeChartIsReportedAsAnEmptyBox() throws IOException {
        PageCheck check = check("empty-svg", "<svg id=\"curves\" class=\"chart\" width=\"0\" height=\"120\"><circle r=\"5\"/></svg>");
        assertEquals(List.of("empty box: svg#curves.chart"), check.problems(), check.toString());
    }

    @Test
    void anImageFromTheNetworkIsAFailedLoadEvenWhereItWouldLoad() throws IOException {
        PageCheck check = check("external-image", "<img id=\"remote\" alt=\"x\" src=\"http://example.com/chart.png\">");
        assertEquals(List.of("http://example.com/chart.png (requested from outside the page, net::ERR_PROXY_CONNECTION_FAILED)"),
                check.failedLoads(), check.toString());
        assertTrue(check.undecodedImages().contains("img#remote (http://example.com/chart.png)"), check.toString());
    }

    @Test
    void aMissingPageIsAFailedLoadOfThePageItself() throws IOException {
        PageCheck check = browser.check(tmp.resolve("nowhere.html"), Browser.screenshot("page-check/nowhere.png"));
        assertEquals(List.of(url("nowhere") + " (net::ERR_FILE_NOT_FOUND)"), check.failedLoads(), check.toString());
    }

    @Test
    void aPageThatNeverLoadsFailsWithinTheTimeoutAndTheBrowserGoesOn() throws IOException {
        Path hung = page("hung", "<script>while (true) {}</script>");
        long start = System.nanoTime();
        try (HeadlessChromium chromium = HeadlessChromium.start(HeadlessChromium.find().orElseThrow(), Duration.ofSeconds(2))) {
            IOException failure = assertThrows(IOException.class, () -> chromium.check(hung, Browser.screenshot("page-check/hung.png")));
            assertEquals(hung + " did not finish loading in headless Chromium within 2 s", failure.getMessage());
            Path fine = page("after-hung", "<p>still here</p>");
            assertEquals(List.of(), chromium.check(fine, Browser.screenshot("page-check/after-hung.png")).problems());
        }
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos(), "bounded: the hung page cost its timeout, not more");
    }

    private PageCheck check(String name, String body) throws IOException {
        PageCheck check = browser.check(page(name, body), Browser.screenshot("page-check/" + name + ".png"));
        assertTrue(Files.size(check.screenshot()) > 0, "a screenshot of a faulty page too");
        return check;
    }

    private Path page(String name, String body) throws IOException {
        return Files.writeString(tmp.resolve(name + ".html"), "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + name
                + "</title></head>\n<body>\n" + body + "\n</body></html>\n");
    }

    private String url(String name) {
        return tmp.resolve(name + ".html").toAbsolutePath().toUri().toString();
    }

    private static String pngDataUri() throws IOException {
        BufferedImage image = new BufferedImage(24, 16, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 24; x++) {
            for (int y = 0; y < 16; y++) {
                image.setRGB(x, y, x < 12 ? 0xe69f00 : 0x56b4e9);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    }
}

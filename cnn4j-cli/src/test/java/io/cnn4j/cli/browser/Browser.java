package io.cnn4j.cli.browser;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One headless Chromium for a test class, which opens cnn4j's pages the way a person would:
 * <pre>{@code
 * @RegisterExtension
 * static final Browser browser = new Browser();
 * ...
 * browser.assertRendersCleanly(page, Browser.screenshot("report.png"));
 * }</pre>
 * Where no browser is installed the class is skipped with a message that says how to install one, except
 * where {@value #REQUIRED_VARIABLE} is set (as CI sets it): there a missing browser fails.
 */
public final class Browser implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    /** Set (to anything) where the browser tests must run rather than skip. */
    public static final String REQUIRED_VARIABLE = "CNN4J_REQUIRE_BROWSER";

    private HeadlessChromium chromium;
    private String missing;

    /** Where a test's screenshot goes: target/screenshots/{@code name} in the module, kept for people to look at. */
    public static Path screenshot(String name) {
        return Path.of(System.getProperty("basedir", "."), "target", "screenshots", name);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Optional<Path> binary = HeadlessChromium.find();
        if (binary.isPresent()) {
            chromium = HeadlessChromium.start(binary.get(), HeadlessChromium.TIMEOUT);
            return;
        }
        String named = System.getenv(HeadlessChromium.BINARY_VARIABLE);
        missing = "no headless Chromium to open pages in: " + (named == null || named.isBlank()
                ? "none of " + String.join(", ", HeadlessChromium.NAMES) + " is on the PATH"
                : HeadlessChromium.BINARY_VARIABLE + "=" + named + " is not an executable file")
                + "; install it with `apt-get install chromium` (Debian, Ubuntu) or set " + HeadlessChromium.BINARY_VARIABLE
                + " to a Chromium or Chrome binary";
        if (System.getenv(REQUIRED_VARIABLE) != null) {
            throw new IllegalStateException(missing + " (" + REQUIRED_VARIABLE + " is set, so the browser tests may not skip)");
        }
    }

    /** Skips each test, so that the report counts them as skipped, each with the reason. */
    @Override
    public void beforeEach(ExtensionContext context) {
        Assumptions.assumeTrue(missing == null, () -> missing);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (chromium != null) {
            chromium.close();
            chromium = null;
        }
    }

    /** Opens {@code page} (an HTML, SVG or PNG file) and returns what is wrong with it; the screenshot is written either way. */
    public PageCheck check(Path page, Path screenshot) throws IOException {
        assertNotNull(chromium, "the Browser extension is registered with @RegisterExtension on a static field");
        return chromium.check(page, screenshot);
    }

    /**
     * Asserts that {@code page} loads without console errors, uncaught exceptions or loads from outside itself,
     * that every svg, img, canvas and object has an area and every image is decoded, and that the screenshot
     * shows more than a blank page.
     */
    public PageCheck assertRendersCleanly(Path page, Path screenshot) throws IOException {
        PageCheck check = check(page, screenshot);
        assertEquals(List.of(), check.problems(), check.toString());
        BufferedImage shot = ImageIO.read(screenshot.toFile());
        assertNotNull(shot, "the screenshot is a PNG: " + screenshot);
        assertTrue(hasTwoColours(shot), "the screenshot of " + page + " is one flat colour: " + screenshot);
        return check;
    }

    private static boolean hasTwoColours(BufferedImage image) {
        int first = image.getRGB(0, 0);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (image.getRGB(x, y) != first) {
                    return true;
                }
            }
        }
        return false;
    }
}

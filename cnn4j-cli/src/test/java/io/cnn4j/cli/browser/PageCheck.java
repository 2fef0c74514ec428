package io.cnn4j.cli.browser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What headless Chromium found wrong with one page, each finding named: the console errors and uncaught
 * exceptions with their text, the loads that failed or left the file (a report must open offline), and the
 * {@code svg}, {@code img}, {@code canvas} and {@code object} elements that have no area or, for images,
 * were not decoded. The full-page screenshot is at {@link #screenshot()} either way, and {@link #elements()}
 * counts the elements of each of those four kinds that were checked (a test can ask for the charts it expects).
 */
public record PageCheck(Path page, List<String> consoleErrors, List<String> uncaughtExceptions, List<String> failedLoads,
                        List<String> emptyBoxes, List<String> undecodedImages, Map<String, Integer> elements, Path screenshot) {

    public PageCheck {
        elements = Map.copyOf(elements);
        consoleErrors = List.copyOf(consoleErrors);
        uncaughtExceptions = List.copyOf(uncaughtExceptions);
        failedLoads = List.copyOf(failedLoads);
        emptyBoxes = List.copyOf(emptyBoxes);
        undecodedImages = List.copyOf(undecodedImages);
    }

    /** Every finding as one line that says its kind, in the order above; empty for a page that renders cleanly. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        consoleErrors.forEach(e -> problems.add("console error: " + e));
        uncaughtExceptions.forEach(e -> problems.add("uncaught exception: " + e));
        failedLoads.forEach(e -> problems.add("failed load: " + e));
        emptyBoxes.forEach(e -> problems.add("empty box: " + e));
        undecodedImages.forEach(e -> problems.add("image not decoded: " + e));
        return problems;
    }

    @Override
    public String toString() {
        List<String> problems = problems();
        return page + " " + new TreeMap<>(elements) + (problems.isEmpty() ? " renders cleanly" : " has " + problems.size() + " problem(s):\n  "
                + String.join("\n  ", problems)) + "\nscreenshot: " + screenshot;
    }
}

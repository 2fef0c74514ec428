package io.cnn4j.cli.browser;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools Protocol: it opens local files in fresh tabs
 * and says what went wrong in each (see {@link PageCheck}). Start one per test class; {@link #close()} always
 * ends the browser and its children and deletes its profile, and every wait is bounded by the timeout it was
 * started with.
 */
final class HeadlessChromium implements AutoCloseable {
    /** Far above what a page of cnn4j's needs (about a second), far below what would stall a build. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Where no browser is found, the environment variable that names one. */
    static final String BINARY_VARIABLE = "CNN4J_CHROMIUM";
    static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    /** Taller pages are cut: a screenshot is for looking at, and Chromium refuses huge bitmaps. */
    private static final int MAX_SCREENSHOT_HEIGHT = 16_384;
    private static final Duration POLL = Duration.ofMillis(25);

    private final Process process;
    private final Path home;
    private final DevTools devTools;
    private final Thread killer;
    private final Duration timeout;

    private HeadlessChromium(Process process, Path home, DevTools devTools, Thread killer, Duration timeout) {
        this.process = process;
        this.home = home;
        this.devTools = devTools;
        this.killer = killer;
        this.timeout = timeout;
    }

    /** The browser named by {@value #BINARY_VARIABLE}, or else the first of Chromium's and Chrome's usual names on the PATH. */
    static Optional<Path> find() {
        String named = System.getenv(BINARY_VARIABLE);
        if (named != null && !named.isBlank()) {
            return Optional.of(Path.of(named)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return NAMES.stream().flatMap(name -> Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))).filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts {@code binary} headless with a fresh profile, cut off from the network, and connects to it;
     * {@code timeout} bounds the start and each step of a check.
     */
    static HeadlessChromium start(Path binary, Duration timeout) throws IOException {
        Path home = Files.createTempDirectory("cnn4j-chromium");
        Path profile = home.resolve("profile");
        Path log = home.resolve("chromium.log");
        Process process = new ProcessBuilder(binary.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
                "--window-size=1280,900", "--force-device-scale-factor=1",
                // Containers often give /dev/shm 64 MB, which a renderer outgrows; /tmp has room.
                "--disable-dev-shm-usage",
                // A report must open offline: no name resolves, and every http(s) and ws request, to loopback too,
                // goes to a proxy that refuses at once, so a stray request fails fast and is reported.
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Thread killer = new Thread(() -> kill(process, Duration.ZERO), "kill headless Chromium");
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            URI endpoint = endpoint(process, profile.resolve("DevToolsActivePort"), log, timeout);
            return new HeadlessChromium(process, home, DevTools.connect(endpoint, timeout), killer, timeout);
        } catch (IOException | RuntimeException e) {
            kill(process, Duration.ZERO);
            Runtime.getRuntime().removeShutdownHook(killer);
            delete(home);
            throw e;
        }
    }

    /** The DevTools address Chromium writes into its profile once it listens on the port it chose. */
    private static URI endpoint(Process process, Path portFile, Path log, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (lines.size() >= 2) {
                    return URI.create("ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip());
                }
            }
            if (!process.isAlive()) {
                throw new IOException("headless Chromium exited with status " + process.exitValue()
                        + " before it listened for DevTools; the end of its output:\n" + tail(log));
            }
            sleep(POLL);
        }
        throw new IOException("headless Chromium did not listen for DevTools within " + timeout.toSeconds()
                + " s; the end of its output:\n" + tail(log));
    }

    /** Opens {@code page} in a new tab, waits for it to load, inspects it and writes a full-page PNG to {@code screenshot}. */
    PageCheck check(Path page, Path screenshot) throws IOException {
        String tab = devTools.call(null, "Target.createTarget", params("url", "about:blank")).get("targetId").getAsString();
        PageCheck check;
        try {
            check = checkIn(tab, page, screenshot);
        } catch (IOException | RuntimeException e) {
            // The tab goes, and the failure that made it go is the one reported.
            try {
                closeTab(tab);
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        closeTab(tab);
        return check;
    }

    private PageCheck checkIn(String tab, Path page, Path screenshot) throws IOException {
        String url = page.toAbsolutePath().toUri().toString();
        JsonObject attach = params("targetId", tab);
        attach.addProperty("flatten", true);
        String session = devTools.call(null, "Target.attachToTarget", attach).get("sessionId").getAsString();
        PageEvents events = new PageEvents(session, url);
        Runnable stopListening = devTools.listen(events::accept);
        try {
            for (String domain : List.of("Runtime", "Log", "Network", "Page")) {
                devTools.call(session, domain + ".enable", null);
            }
            JsonObject lifecycle = new JsonObject();
            lifecycle.addProperty("enabled", true);
            devTools.call(session, "Page.setLifecycleEventsEnabled", lifecycle);
            JsonObject navigation = devTools.call(session, "Page.navigate", params("url", url));
            if (navigation.has("errorText")) {
                events.failedNavigation(navigation.get("errorText").getAsString());
            } else {
                awaitLoad(events, navigation.get("loaderId").getAsString(), page);
            }
            JsonObject found = inspect(session);
            writeScreenshot(session, screenshot);
            return new PageCheck(page, events.consoleErrors(), events.exceptions(), events.failedLoads(),
                    strings(found.getAsJsonArray("empty")), strings(found.getAsJsonArray("undecoded")),
                    counts(found.getAsJsonObject("counts")), screenshot);
        } finally {
            stopListening.run();
        }
    }

    private void closeTab(String tab) throws IOException {
        devTools.call(null, "Target.closeTarget", params("targetId", tab));
    }

    private void awaitLoad(PageEvents events, String loaderId, Path page) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!events.loaded(loaderId)) {
            if (System.nanoTime() > deadline) {
                throw new IOException(page + " did not finish loading in headless Chromium within " + timeout.toSeconds() + " s");
            }
            sleep(POLL);
        }
    }

    /**
     * Runs {@code inspect-page.js} in the page: the boxes without area and the images not decoded, after the
     * images still loading have settled (bounded in the script), with every {@code <details>} opened so that
     * collapsed sections are checked too.
     */
    private JsonObject inspect(String session) throws IOException {
        JsonObject evaluate = params("expression", script());
        evaluate.addProperty("awaitPromise", true);
        evaluate.addProperty("returnByValue", true);
        JsonObject result = devTools.call(session, "Runtime.evaluate", evaluate);
        if (result.has("exceptionDetails")) {
            throw new IOException("the page inspection script failed: " + result.getAsJsonObject("exceptionDetails"));
        }
        return result.getAsJsonObject("result").getAsJsonObject("value");
    }

    private static String script() throws IOException {
        try (var in = HeadlessChromium.class.getResourceAsStream("inspect-page.js")) {
            if (in == null) {
                throw new IOException("inspect-page.js is missing from the test resources beside " + HeadlessChromium.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void writeScreenshot(String session, Path screenshot) throws IOException {
        JsonObject metrics = devTools.call(session, "Page.getLayoutMetrics", null);
        JsonObject size = metrics.getAsJsonObject(metrics.has("cssContentSize") ? "cssContentSize" : "contentSize");
        JsonObject clip = new JsonObject();
        clip.addProperty("x", 0);
        clip.addProperty("y", 0);
        clip.addProperty("width", Math.max(1, Math.ceil(size.get("width").getAsDouble())));
        clip.addProperty("height", Math.clamp(Math.ceil(size.get("height").getAsDouble()), 1, MAX_SCREENSHOT_HEIGHT));
        clip.addProperty("scale", 1);
        JsonObject capture = params("format", "png");
        capture.addProperty("captureBeyondViewport", true);
        capture.add("clip", clip);
        byte[] png = Base64.getDecoder().decode(devTools.call(session, "Page.captureScreenshot", capture).get("data").getAsString());
        Path folder = screenshot.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Files.write(screenshot, png);
    }

    @Override
    public void close() {
        try {
            devTools.call(null, "Browser.close", null);
        } catch (IOException e) {
            // It is killed below.
        }
        devTools.close();
        kill(process, Duration.ofSeconds(5));
        Runtime.getRuntime().removeShutdownHook(killer);
        delete(home);
    }

    /** Gives the browser {@code grace} to exit, then ends it and every process it started. */
    private static void kill(Process process, Duration grace) {
        List<ProcessHandle> children = process.descendants().toList();
        try {
            process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            process.onExit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            // Nothing more can be done; the operating system reaps it.
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // A profile left in the temporary folder harms nothing.
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(its output could not be read: " + e.getMessage() + ")";
        }
    }

    private static JsonObject params(String name, String value) {
        JsonObject params = new JsonObject();
        params.addProperty(name, value);
        return params;
    }

    private static List<String> strings(JsonArray array) {
        List<String> strings = new ArrayList<>();
        array.forEach(element -> strings.add(element.getAsString()));
        return strings;
    }

    private static Map<String, Integer> counts(JsonObject counts) {
        Map<String, Integer> map = new TreeMap<>();
        counts.entrySet().forEach(entry -> map.put(entry.getKey(), entry.getValue().getAsInt()));
        return map;
    }

    private static void sleep(Duration duration) throws IOException {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for headless Chromium", e);
        }
    }
}

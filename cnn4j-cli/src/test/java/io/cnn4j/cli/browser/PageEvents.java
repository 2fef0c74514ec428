package io.cnn4j.cli.browser;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The DevTools events of one page's session, sorted into what a check reports: console errors, uncaught
 * exceptions, and loads that failed or went anywhere but the page's own file and {@code data:} URIs.
 */
final class PageEvents {
    private static final int MAX_TEXT = 300;

    private final String session;
    private final String pageUrl;
    private final List<String> consoleErrors = new ArrayList<>();
    private final List<String> exceptions = new ArrayList<>();
    private final Map<String, String> requests = new HashMap<>();
    private final Map<String, String> failedLoads = new LinkedHashMap<>();
    private final Set<String> lifecycle = new HashSet<>();

    PageEvents(String session, String pageUrl) {
        this.session = session;
        this.pageUrl = pageUrl;
    }

    synchronized void accept(JsonObject event) {
        if (!event.has("sessionId") || !session.equals(event.get("sessionId").getAsString())) {
            return;
        }
        JsonObject params = event.getAsJsonObject("params");
        switch (event.get("method").getAsString()) {
            case "Runtime.consoleAPICalled" -> {
                String type = params.get("type").getAsString();
                if (type.equals("error") || type.equals("assert")) {
                    consoleErrors.add(shorten(params.getAsJsonArray("args").asList().stream()
                            .map(PageEvents::describe).collect(Collectors.joining(" "))));
                }
            }
            case "Log.entryAdded" -> {
                JsonObject entry = params.getAsJsonObject("entry");
                if (entry.get("level").getAsString().equals("error")) {
                    consoleErrors.add(shorten(entry.get("text").getAsString()) + where(entry, "url", "lineNumber"));
                }
            }
            case "Runtime.exceptionThrown" -> {
                JsonObject details = params.getAsJsonObject("exceptionDetails");
                String text = details.has("exception") && details.getAsJsonObject("exception").has("description")
                        ? details.getAsJsonObject("exception").get("description").getAsString().lines().findFirst().orElse("")
                        : details.get("text").getAsString();
                exceptions.add(shorten(text) + where(details, "url", "lineNumber"));
            }
            case "Network.requestWillBeSent" -> {
                String url = params.getAsJsonObject("request").get("url").getAsString();
                requests.put(params.get("requestId").getAsString(), url);
                if (!url.equals(pageUrl) && !url.startsWith("data:") && !url.startsWith("blob:") && !url.startsWith("about:")) {
                    failedLoads.put(url, "requested from outside the page");
                }
            }
            case "Network.loadingFailed" -> {
                String url = requests.getOrDefault(params.get("requestId").getAsString(), "a request");
                String reason = params.get("errorText").getAsString();
                failed(url, reason);
            }
            case "Page.lifecycleEvent" -> lifecycle.add(params.get("loaderId").getAsString() + " " + params.get("name").getAsString());
            default -> {
            }
        }
    }

    /** Whether the navigation {@code loaderId} has fired its load event. */
    synchronized boolean loaded(String loaderId) {
        return lifecycle.contains(loaderId + " load");
    }

    synchronized void failedNavigation(String reason) {
        failed(pageUrl, reason);
    }

    /** Adds {@code reason} to what is said of {@code url}: the navigation and the network may both tell of one failure. */
    private void failed(String url, String reason) {
        failedLoads.merge(url, reason, (before, now) -> List.of(before.split(", ")).contains(now) ? before : before + ", " + now);
    }

    synchronized List<String> consoleErrors() {
        return List.copyOf(consoleErrors);
    }

    synchronized List<String> exceptions() {
        return List.copyOf(exceptions);
    }

    synchronized List<String> failedLoads() {
        return failedLoads.entrySet().stream().map(e -> shorten(e.getKey()) + " (" + e.getValue() + ")").toList();
    }

    private static String describe(JsonElement argument) {
        JsonObject remote = argument.getAsJsonObject();
        for (String field : List.of("value", "description", "unserializableValue")) {
            if (remote.has(field)) {
                return remote.get(field).isJsonPrimitive() ? remote.get(field).getAsString() : remote.get(field).toString();
            }
        }
        return remote.get("type").getAsString();
    }

    private static String where(JsonObject source, String urlField, String lineField) {
        if (!source.has(urlField) || source.get(urlField).getAsString().isEmpty()) {
            return "";
        }
        // DevTools counts lines from 0, editors from 1.
        String line = source.has(lineField) ? ":" + (source.get(lineField).getAsInt() + 1) : "";
        return " (" + shorten(source.get(urlField).getAsString()) + line + ")";
    }

    /** Keeps a data URI or a long message to a readable length in a test failure. */
    private static String shorten(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}

package io.cnn4j.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.cnn4j.train.Prediction;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How {@code cnn4j predict} writes a picture's classes: a line for people, a JSON object per picture on
 * stdout, and the rows of {@code --output}'s CSV or JSON Lines file (path, class, probability, then the
 * top k classes).
 */
final class PredictionFormat {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private PredictionFormat() {
    }

    /** {@code photo.png: Coat 0.912 (Pullover 0.050, Shirt 0.021)}, the first {@code k} classes. */
    static String line(String source, List<Prediction> ranked, int k) {
        StringBuilder sb = new StringBuilder(source).append(": ").append(ranked.getFirst().name())
                .append(String.format(Locale.ROOT, " %.3f", ranked.getFirst().probability()));
        int shown = Math.min(k, ranked.size());
        for (int i = 1; i < shown; i++) {
            sb.append(i == 1 ? " (" : ", ").append(ranked.get(i).name())
                    .append(String.format(Locale.ROOT, " %.3f", ranked.get(i).probability()));
        }
        return shown > 1 ? sb.append(')').toString() : sb.toString();
    }

    /** One JSON object with every class's probability, by class name in label order. */
    static String json(String source, List<Prediction> ranked) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("image", source);
        object.put("class", ranked.getFirst().label());
        object.put("label", ranked.getFirst().name());
        Map<String, Float> probabilities = new LinkedHashMap<>();
        ranked.stream().sorted(java.util.Comparator.comparingInt(Prediction::label))
                .forEach(p -> probabilities.put(p.name(), round(p.probability())));
        object.put("probabilities", probabilities);
        return GSON.toJson(object);
    }

    /** Whether {@code file} is written as CSV (else JSON Lines); null names neither. */
    static Boolean isCsv(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".csv") ? Boolean.TRUE : name.endsWith(".jsonl") ? Boolean.FALSE : null;
    }

    /** The CSV header for the top {@code k} classes. */
    static String csvHeader(int k) {
        List<String> columns = new ArrayList<>(List.of("path", "class", "probability"));
        for (int i = 2; i <= k; i++) {
            columns.add("class_" + i);
            columns.add("probability_" + i);
        }
        return String.join(",", columns);
    }

    /** A CSV row: the path, then each of the top {@code k} classes with its probability. */
    static String csvRow(String source, List<Prediction> ranked, int k) {
        List<String> cells = new ArrayList<>(List.of(csvCell(source)));
        for (int i = 0; i < k; i++) {
            if (i < ranked.size()) {
                cells.add(csvCell(ranked.get(i).name()));
                cells.add(String.format(Locale.ROOT, "%.6f", ranked.get(i).probability()));
            } else {
                cells.add("");
                cells.add("");
            }
        }
        return String.join(",", cells);
    }

    /** A JSON Lines row: path, class, label, probability and {@code top_k}, the top {@code k} classes. */
    static String jsonlRow(String source, List<Prediction> ranked, int k) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("path", source);
        object.put("class", ranked.getFirst().name());
        object.put("label", ranked.getFirst().label());
        object.put("probability", round(ranked.getFirst().probability()));
        List<Map<String, Object>> top = new ArrayList<>();
        for (Prediction p : ranked.subList(0, Math.min(k, ranked.size()))) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("class", p.name());
            entry.put("label", p.label());
            entry.put("probability", round(p.probability()));
            top.add(entry);
        }
        object.put("top_k", top);
        return GSON.toJson(object);
    }

    /** RFC 4180: a cell holding a comma, a quote or a line break is quoted, its quotes doubled. */
    static String csvCell(String text) {
        boolean quote = text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    /** Six decimals, as the CSV has them. */
    private static float round(float probability) {
        return Math.round(probability * 1e6f) / 1e6f;
    }
}

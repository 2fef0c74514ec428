package io.cnn4j.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packages of cnn4j-core form layers, and no package reaches up: kernels and tensors at the
 * bottom, autograd above them, layers, losses and optimizers above that, models and data, files (which
 * record what a model takes, the data's input spec, beside it), then training and
 * explaining (Grad-CAM) above those, and the charts that report on training ({@code report}) on top. Every
 * reference to another cnn4j package in the main sources (import or qualified name) is
 * checked against this table. {@code limits} (the checks readers make before they take memory or
 * open a file) sits at the bottom beside the kernels.
 */
class LayeringTest {
    private static final Map<String, Integer> LEVEL = Map.ofEntries(
            Map.entry("limits", 0),
            Map.entry("kernel", 0),
            Map.entry("tensor", 1),
            Map.entry("autograd", 2),
            Map.entry("onnx", 2),
            Map.entry("nn", 3),
            Map.entry("loss", 3),
            Map.entry("optim", 3),
            Map.entry("models", 4),
            Map.entry("data", 4),
            Map.entry("io", 5),
            Map.entry("train", 6),
            Map.entry("explain", 6),
            Map.entry("report", 7));

    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.cnn4j\\.([a-z]+)\\.");

    @Test
    void noPackageDependsOnAHigherOrEqualLayer() throws IOException {
        Path root = Path.of("src/main/java/io/cnn4j");
        List<String> violations = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertTrue(files.size() > 40, "expected the core sources under " + root.toAbsolutePath());
        for (Path file : files) {
            String own = root.relativize(file).getName(0).toString();
            Integer ownLevel = LEVEL.get(own);
            if (ownLevel == null) {
                violations.add(file + ": package io.cnn4j." + own + " has no layer in LayeringTest; add it");
                continue;
            }
            String source = Files.readString(file).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
            Matcher m = REFERENCE.matcher(source);
            while (m.find()) {
                String used = m.group(1);
                Integer usedLevel = LEVEL.get(used);
                if (used.equals(own) || usedLevel == null && source.contains("package io.cnn4j." + own)) {
                    continue;
                }
                if (usedLevel == null || usedLevel >= ownLevel) {
                    violations.add(root.relativize(file) + " (" + own + ", layer " + ownLevel + ") uses io.cnn4j." + used
                            + (usedLevel == null ? "" : " (layer " + usedLevel + ")"));
                }
            }
        }
        assertEquals(List.of(), violations.stream().distinct().toList());
    }
}

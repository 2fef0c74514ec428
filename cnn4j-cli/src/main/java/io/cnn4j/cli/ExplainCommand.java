package io.cnn4j.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.cnn4j.data.ImageFiles;
import io.cnn4j.data.InputImage;
import io.cnn4j.data.InputSpec;
import io.cnn4j.explain.Explanation;
import io.cnn4j.explain.GradCam;
import io.cnn4j.explain.Heatmap;
import io.cnn4j.explain.Overlay;
import io.cnn4j.explain.Saliency;
import io.cnn4j.io.OutputFiles;
import io.cnn4j.report.Png;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.train.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code cnn4j explain}: a Grad-CAM overlay (and a saliency map) of each picture given. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        customSynopsis = "cnn4j explain --model-file=FILE --output=DIR [OPTIONS] IMAGE...",
        description = {"Show where a saved model looks when it classifies pictures (Grad-CAM).",
                "For each picture it writes DIR/NAME.gradcam.png: the picture as the model sees it, overlaid with the"
                        + " Grad-CAM map in the viridis colormap (dark: no evidence, yellow: the most) at half opacity.",
                "IMAGE is given as to 'cnn4j predict' (files, folders, globs, FILE#INDEX of an IDX file). The model runs"
                        + " in evaluation mode on each picture converted, resized and normalised as its file records.",
                "A picture that cannot be read is reported and the others are still explained; the exit code is then 1."})
final class ExplainCommand implements Callable<Integer> {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    @Spec
    CommandSpec spec;

    @Mixin
    SavedModelOption model;

    @Option(names = "--layer", paramLabel = "NAME",
            description = "The layer to explain, by its name in 'cnn4j summary' (such as 0 or 3.body.3); it must output"
                    + " feature maps (default: the last convolution, in a residual net the last block's last one,"
                    + " not its shortcut).")
    String layer;

    @Option(names = "--class", paramLabel = "C",
            description = "The class to explain, by index (from 0) or name (default: each picture's predicted class).")
    String classChoice;

    @Option(names = "--saliency", description = "Also write DIR/NAME.saliency.png: how much each pixel sways the class's score"
            + " (the largest absolute gradient over the colour channels).")
    boolean saliency;

    @Option(names = "--output", paramLabel = "DIR", required = true,
            description = "The folder to write to (made if missing); each file is replaced atomically.")
    Path output;

    @Option(names = "--format", paramLabel = "png|json", defaultValue = "png",
            description = "png: the overlays only (default); json: also DIR/NAME.gradcam.json with the map before"
                    + " upsampling, its shape, the layer, the class's index, name and score (and the saliency map with"
                    + " --saliency).")
    String format;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Pictures, folders or globs to explain.")
    List<String> images;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("png") && !format.equals("json")) {
            throw new IllegalArgumentException("--format " + format + ": choose png or json");
        }
        return runtime.run(() -> explain(spec.commandLine().getErr()));
    }

    private int explain(PrintWriter err) throws Exception {
        Predictor predictor = model.load();
        InputSpec input = predictor.input();
        if (input.isClip()) {
            throw new IllegalArgumentException(model.file + " takes clips (" + InputSpec.format(input.shape()) + "), and"
                    + " explain draws maps over pictures: classify clips with 'cnn4j predict'");
        }
        GradCam gradCam = layer == null ? GradCam.of(predictor.model()) : GradCam.of(predictor.model(), layer);
        int classIndex = classIndex(input.classNames());
        PictureArguments.Expanded expanded = PictureArguments.expandAll(images, err, "explain");
        List<String> sources = expanded.pictures();
        int failed = expanded.failed();
        makeFolder(output);
        Set<String> names = new HashSet<>();
        for (String source : sources) {
            InputImage image;
            try {
                image = ImageFiles.read(source, input.preprocessing());
            } catch (IOException | IllegalArgumentException e) {
                err.println("explain: " + e.getMessage());
                failed++;
                continue;
            }
            image.notes().forEach(note -> err.println(source + ": note: " + note));
            Tensor pixels = image.tensor();
            Tensor normalised = pixels.copy();
            if (input.normalize() != null) {
                input.normalize().apply(normalised);
            }
            String name = uniqueName(source, names);
            Explanation cam = classIndex < 0 ? gradCam.explain(normalised) : gradCam.explain(normalised, classIndex);
            int h = pixels.dim(2);
            int w = pixels.dim(3);
            OutputFiles.replace(output.resolve(name + ".gradcam.png"), overlay(pixels, cam.map().upsampled(h, w).normalised()));
            Explanation sal = null;
            if (saliency) {
                sal = Saliency.of(predictor.model()).explain(normalised, cam.classIndex());
                OutputFiles.replace(output.resolve(name + ".saliency.png"), overlay(pixels, sal.map().normalised()));
            }
            if (format.equals("json")) {
                OutputFiles.replace(output.resolve(name + ".gradcam.json"),
                        json(source, cam, sal, input.classNames()).getBytes(StandardCharsets.UTF_8));
            }
        }
        if (failed > 0) {
            err.printf(Locale.ROOT, "explain: %d picture(s) or argument(s) could not be explained%n", failed);
            return 1;
        }
        return 0;
    }

    private static void makeFolder(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--output " + dir + " is a file; name a folder to write the pictures into");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("--output " + dir + ": cannot make the folder ("
                    + (e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getClass().getSimpleName()) + ")");
        }
    }

    /** The class --class names, or -1 for each picture's predicted one. */
    private int classIndex(List<String> classNames) {
        if (classChoice == null) {
            return -1;
        }
        int byName = classNames.indexOf(classChoice);
        if (byName >= 0) {
            return byName;
        }
        try {
            int index = Integer.parseInt(classChoice);
            if (index >= 0 && index < classNames.size()) {
                return index;
            }
        } catch (NumberFormatException e) {
            // neither a name nor a number: refused below with the same sentence
        }
        throw new IllegalArgumentException("--class " + classChoice + ": the model's classes are 0 to " + (classNames.size() - 1)
                + " (" + String.join(", ", classNames) + ")");
    }

    /** The picture's file name without its extension ({@code images-7} for {@code images.idx#7}), made unique. */
    static String uniqueName(String source, Set<String> taken) {
        int hash = source.lastIndexOf('#');
        boolean indexed = hash > 0 && hash < source.length() - 1 && source.substring(hash + 1).chars().allMatch(Character::isDigit);
        String file = Path.of(indexed ? source.substring(0, hash) : source).getFileName().toString();
        int dot = file.lastIndexOf('.');
        String base = (dot > 0 ? file.substring(0, dot) : file) + (indexed ? "-" + source.substring(hash + 1) : "");
        String name = base;
        for (int n = 2; !taken.add(name); n++) {
            name = base + "-" + n;
        }
        return name;
    }

    /** {@code pixels} ({@code [1, C, H, W]} in [0, 1]) overlaid with {@code map} ({@code [H, W]}, in [0, 1]) as a PNG. */
    private static byte[] overlay(Tensor pixels, Heatmap map) {
        return Png.encode(pixels.dim(3), pixels.dim(2), Overlay.blend(pixels, map));
    }

    private static String json(String source, Explanation cam, Explanation sal, List<String> classNames) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("image", source);
        object.put("layer", cam.layer());
        object.put("class", cam.classIndex());
        object.put("label", classNames.get(cam.classIndex()));
        object.put("score", cam.score());
        object.put("shape", List.of(cam.map().height(), cam.map().width()));
        object.put("map", cam.map().values());
        if (sal != null) {
            object.put("saliency", Map.of("shape", List.of(sal.map().height(), sal.map().width()), "map", sal.map().values()));
        }
        return GSON.toJson(object) + "\n";
    }
}

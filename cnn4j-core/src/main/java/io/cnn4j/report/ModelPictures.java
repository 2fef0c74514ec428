package io.cnn4j.report;

import io.cnn4j.data.Dataset;
import io.cnn4j.data.Normalize;
import io.cnn4j.explain.Explanation;
import io.cnn4j.explain.GradCam;
import io.cnn4j.explain.NamedLayers;
import io.cnn4j.explain.Overlay;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pictures a report draws from the model itself: Grad-CAM overlays, the first convolution's filters
 * and one image's feature maps at every convolution. Each runs the model in evaluation mode (no dropout,
 * batch norm's running statistics used and left alone, no random numbers drawn) on a handful of images,
 * and puts the model back in the mode it was in, so that writing a report changes nothing of the run.
 */
final class ModelPictures {
    /** Feature maps drawn per convolution at most: the page shows what a layer does, not all its channels. */
    static final int MAX_MAPS = 32;
    /** The largest side of a picture on the page, in pixels: it is shown at 128 CSS pixels. */
    static final int MAX_SIDE = 128;
    /** The largest side of one feature map on the page. */
    private static final int MAX_MAP_SIDE = 48;

    private final Module model;
    private final Dataset data;
    private final Normalize normalize;

    ModelPictures(Module model, Dataset data, Normalize normalize) {
        this.model = model;
        this.data = data;
        this.normalize = normalize;
    }

    /** Images {@code indices} as the model sees them, normalised as in training. */
    private Tensor inputs(int... indices) {
        Tensor x = data.batch(indices);
        if (normalize != null) {
            normalize.apply(x);
        }
        return x;
    }

    /** Test image {@code index} as a PNG, at most {@link #MAX_SIDE} pixels a side. */
    byte[] thumbnail(int index) {
        Tensor pixels = data.image(index);
        Mosaic.Picture p = new Mosaic.Picture(pixels.dim(3), pixels.dim(2), Png.rgb(pixels)).shrunk(MAX_SIDE);
        return Png.encode(p.width(), p.height(), p.rgb());
    }

    /** What one pass over a few pictures gives: their Grad-CAM overlays, and the first one's feature maps. */
    record Drawn(List<byte[]> overlays, List<FeatureMaps> featureMaps) {
    }

    /**
     * The Grad-CAM overlays of images {@code indices} (image {@code indices[i]} for class {@code classes[i]},
     * at the default layer) as PNGs, and the feature maps of image {@code indices[0]} after every
     * convolution, in the order they run, each map in its own range: all from one forward and one backward
     * pass, so that the report runs the model on as few new shapes as it can.
     */
    Drawn draw(GradCam cam, int[] indices, int[] classes) {
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        List<Runnable> unhooks = new ArrayList<>();
        for (Map.Entry<String, Module> e : NamedLayers.of(model).entrySet()) {
            if (e.getValue() instanceof Conv2d) {
                unhooks.add(e.getValue().addForwardHook((layer, in, out) -> outputs.put(e.getKey(), firstImage(out))));
            }
        }
        List<Explanation> maps;
        try {
            maps = inEvalMode(() -> cam.explainEach(inputs(indices), classes));
        } finally {
            for (Runnable unhook : unhooks) {
                unhook.run();
            }
        }
        List<byte[]> overlays = new ArrayList<>();
        for (int i = 0; i < indices.length; i++) {
            Tensor pixels = data.image(indices[i]);
            int[] blend = Overlay.blend(pixels, maps.get(i).map().upsampled(pixels.dim(2), pixels.dim(3)).normalised());
            Mosaic.Picture p = new Mosaic.Picture(pixels.dim(3), pixels.dim(2), blend).shrunk(MAX_SIDE);
            overlays.add(Png.encode(p.width(), p.height(), p.rgb()));
        }
        return new Drawn(overlays, featureMaps(outputs));
    }

    /** The first picture's part of a layer's output, copied: the buffer may be reused after the pass. */
    private static Tensor firstImage(Tensor out) {
        if (out.rank() != 4) {
            return out.copy();
        }
        int size = out.dim(1) * out.dim(2) * out.dim(3);
        return Tensor.of(java.util.Arrays.copyOf(out.data(), size), 1, out.dim(1), out.dim(2), out.dim(3));
    }

    /**
     * The first convolution's filters, one tile each: a three-channel filter in colour, another as gray
     * (its first input channel); each scaled so that zero is mid-gray and its largest weight, either sign,
     * reaches black or white. Null when the model has no convolution.
     */
    Mosaic.Picture filters() {
        Conv2d first = null;
        for (Module m : NamedLayers.of(model).values()) {
            if (m instanceof Conv2d c) {
                first = c;
                break;
            }
        }
        if (first == null) {
            return null;
        }
        Tensor w = first.weight();
        int out = w.dim(0);
        int in = w.dim(1);
        int kh = w.dim(2);
        int kw = w.dim(3);
        float[] v = w.data();
        List<int[]> tiles = new ArrayList<>();
        for (int o = 0; o < out; o++) {
            int base = o * in * kh * kw;
            float max = 1e-12f;
            for (int i = 0; i < in * kh * kw; i++) {
                max = Math.max(max, Math.abs(v[base + i]));
            }
            int[] tile = new int[kh * kw];
            for (int p = 0; p < kh * kw; p++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    int channel = in == 3 ? c : 0;
                    rgb = rgb << 8 | Math.round(Math.clamp(0.5f + 0.5f * v[base + channel * kh * kw + p] / max, 0f, 1f) * 255f);
                }
                tile[p] = rgb;
            }
            tiles.add(tile);
        }
        return Mosaic.of(tiles, kw, kh, 16);
    }

    /** A convolution's output for one image: its name, shape {@code [C, H, W]} and up to {@link #MAX_MAPS} maps. */
    record FeatureMaps(String layer, int channels, int height, int width, Mosaic.Picture picture) {
    }

    private static List<FeatureMaps> featureMaps(Map<String, Tensor> outputs) {
        List<FeatureMaps> out = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
            Tensor t = e.getValue();
            String name = e.getKey();
            if (t.rank() == 4) {
                int channels = t.dim(1);
                int h = t.dim(2);
                int w = t.dim(3);
                List<int[]> tiles = new ArrayList<>();
                Mosaic.Picture tile = null;
                for (int c = 0; c < Math.min(channels, MAX_MAPS); c++) {
                    tile = new Mosaic.Picture(w, h, Mosaic.viridis(t.data(), c * h * w, h * w)).shrunk(MAX_MAP_SIDE);
                    tiles.add(tile.rgb());
                }
                out.add(new FeatureMaps(name, channels, h, w, Mosaic.of(tiles, tile.width(), tile.height(), 16)));
            }
        }
        return out;
    }

    private <T> T inEvalMode(java.util.function.Supplier<T> work) {
        boolean training = model.isTraining();
        model.eval();
        try {
            return work.get();
        } finally {
            model.train(training);
        }
    }
}

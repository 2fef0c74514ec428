package io.cnn4j.cli;

import java.util.Iterator;
import java.util.List;

/**
 * The built-in recipes (docs/RECIPES.md explains each choice). Also picocli's list of candidates for
 * {@code --recipe}, so {@code cnn4j train --help} names them.
 */
final class Recipes implements Iterable<String> {
    static final List<Recipe> ALL = List.of(
            new Recipe("fashion94", "94% test accuracy on the full Fashion-MNIST: 94.09% (94.23% with the final test pass averaged over 9"
                    + " one-pixel shifts); 14 epochs of 60,000 at batch 64, 0.84 million training images, about 17 minutes on"
                    + " 2 Zen 5 cores, 22-23 on 2 Zen 4 or Intel Xeon cores (AVX-512, timed at batch 128), about an hour on 2"
                    + " AVX2 cores (Zen 1); docs/RECIPES.md has the figures",
                    List.of(
                    "--model", "resnet3",
                    "--optimizer", "adamw", "--lr", "0.002", "--weight-decay", "0.05",
                    "--schedule", "onecycle", "--pct-start", "0.25", "--cycle-momentum",
                    "--epochs", "14", "--batch-size", "64", "--label-smoothing", "0.1",
                    "--normalize", "dataset", "--crop-padding", "2",
                    "--tta-shift", "1")));

    static Recipe named(String name) {
        for (Recipe r : ALL) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("--recipe: unknown recipe '" + name + "'; recipes: "
                + ALL.stream().map(Recipe::name).toList() + " (see 'cnn4j recipes')");
    }

    @Override
    public Iterator<String> iterator() {
        return ALL.stream().map(Recipe::name).iterator();
    }
}

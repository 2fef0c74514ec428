package io.cnn4j.cli;

import java.util.List;

/**
 * A named set of {@code cnn4j train} options, written as they would be typed: {@code --recipe NAME} puts
 * them before the user's own options, so anything given explicitly overrides the recipe.
 */
record Recipe(String name, String summary, List<String> options) {
    Recipe {
        options = List.copyOf(options);
    }

    /** The options as one command-line fragment. */
    String commandLine() {
        return String.join(" ", options);
    }
}

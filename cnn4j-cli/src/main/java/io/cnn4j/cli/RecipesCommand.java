package io.cnn4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code cnn4j recipes}: the built-in training recipes and the options each stands for. */
@Command(name = "recipes", mixinStandardHelpOptions = true,
        description = {"List the training recipes and the options each one sets.",
                "Train with one by 'cnn4j train --recipe NAME'."})
final class RecipesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Recipe r : Recipes.ALL) {
            out.println(r.name() + ": " + r.summary());
            out.println("  cnn4j train --recipe " + r.name() + "  =  cnn4j train " + r.commandLine());
        }
        out.println("Options given with --recipe override the recipe's.");
        return 0;
    }
}

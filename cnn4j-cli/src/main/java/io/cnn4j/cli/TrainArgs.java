package io.cnn4j.cli;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The argument lists behind {@code cnn4j train}. A run is defined by its options, so recipes and
 * checkpoints work on them as typed: a recipe's options go before the user's (the last value of an option
 * wins), and a checkpoint saves the run's options so {@code --resume} can rebuild the same run. On resume
 * only the {@link #RUN_OPTIONS} (the run's length, where data comes from and where results go) may be
 * changed; any other option may be repeated only with the value the checkpoint holds.
 */
final class TrainArgs {
    /** Checkpoint metadata key holding the run's options as a JSON array of strings. */
    static final String METADATA_KEY = "cnn4j.train_args";
    /**
     * The options a resumed run may set anew, as {@code --help} and the refusal both spell them. The length
     * of the run may change (the run's schedule checks that its rates stay the same); the others do not
     * change the trained weights (the test-time views only change how the final weights are tested; the
     * cache holds the pictures the saved options decode, wherever it is). How pictures are decoded and split
     * ({@code --color}, {@code --image-size}, {@code --resize}, {@code --test-split},
     * {@code --skip-unreadable}) changes the data, so it is saved.
     */
    static final String ON_RESUME = "--epochs, --max-steps, --data, --cache-dir, --threads, --save, --metrics-out,"
            + " --plots, --report, --checkpoint, --checkpoint-every-steps, --prefetch, --tta-shift, --tta-flip, --reference-kernels";
    static final List<String> RUN_OPTIONS = List.of(ON_RESUME.split(", "));
    /**
     * Options naming files the run writes. They are never saved: output paths come only from the command
     * line the user types, so that a checkpoint (a file anyone may hand over) cannot make a run overwrite
     * whatever its options name.
     */
    static final List<String> OUTPUTS = List.of("--save", "--metrics-out", "--plots", "--report", "--checkpoint");
    /** Options that are not saved: the recipe is already spelled out, and resuming is not part of the run. */
    private static final Set<String> NOT_SAVED = Set.of("--recipe", "--resume", "--save", "--metrics-out", "--plots", "--report",
            "--checkpoint");

    private TrainArgs() {
    }

    /**
     * The recipe's options, then the user's, which override them. A model the user describes with
     * {@code --model-config} replaces the recipe's {@code --model}, which could not stand beside it.
     */
    static List<String> withRecipe(CommandSpec spec, Recipe recipe, List<String> given) {
        boolean ownModel = split(spec, given).stream().anyMatch(o -> name(o.get(0)).equals("--model-config"));
        List<String> out = new ArrayList<>();
        for (List<String> option : split(spec, recipe.options())) {
            if (!(ownModel && name(option.get(0)).equals("--model"))) {
                out.addAll(option);
            }
        }
        out.addAll(given);
        return out;
    }

    /** The options a checkpoint records: all of {@code effective} but {@code --recipe}, {@code --resume} and the {@link #OUTPUTS}. */
    static List<String> toSave(CommandSpec spec, List<String> effective) {
        // The last occurrence of an option is the one that counts: keep only that, where it stands.
        List<List<String>> options = split(spec, effective);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            String name = canonical(spec, name(options.get(i).get(0)));
            boolean overridden = false;
            for (int j = i + 1; j < options.size(); j++) {
                overridden |= canonical(spec, name(options.get(j).get(0))).equals(name);
            }
            if (!overridden && !NOT_SAVED.contains(name)) {
                out.addAll(options.get(i));
            }
        }
        return out;
    }

    /**
     * The options of a resumed run: those saved in the checkpoint but its outputs (which checkpoints of
     * earlier versions recorded), checkpointing to the resumed file again unless told otherwise, then the
     * user's options.
     */
    static List<String> forResume(CommandSpec spec, List<String> saved, Path checkpoint, List<String> given) {
        List<String> out = new ArrayList<>(withoutOutputs(spec, saved));
        out.addAll(List.of("--checkpoint", checkpoint.toString()));
        out.addAll(given);
        return out;
    }

    /**
     * Checks that the {@code given} options of a resumed run change nothing but the {@link #RUN_OPTIONS}:
     * {@code checkpointed} is the run the checkpoint describes, {@code resumed} the run with them.
     *
     * @throws IllegalArgumentException naming the first option that changes a setting, its value in the
     *                                  checkpoint and the one given
     */
    static void requireSettingsKept(CommandSpec spec, CommandSpec checkpointed, CommandSpec resumed, List<String> saved,
                                    List<String> given) {
        for (List<String> option : split(spec, given)) {
            String name = canonical(spec, name(option.get(0)));
            if (RUN_OPTIONS.contains(name) || name.equals("--resume")) {
                continue;
            }
            Object was = checkpointed.findOption(name).getValue();
            Object now = resumed.findOption(name).getValue();
            if (!Objects.equals(was, now)) {
                throw new IllegalArgumentException(name + " cannot be changed with --resume: the checkpoint's run has "
                        + name + " " + shown(was) + ", and " + String.join(" ", option) + " would make it "
                        + shown(now) + "; a resumed run keeps the settings it was started with, which the checkpoint"
                        + " holds (" + String.join(" ", saved) + "). With --resume you may give " + ON_RESUME
                        + ", and any other option only with the checkpoint's value.");
            }
        }
    }

    private static String shown(Object value) {
        return switch (value) {
            case null -> "unset";
            case Boolean on -> on ? "on" : "off";
            default -> value.toString();
        };
    }

    /** The outputs among {@code saved} options, each as its option and value: what a resumed run no longer writes. */
    static List<String> outputs(CommandSpec spec, List<String> saved) {
        List<String> out = new ArrayList<>();
        for (List<String> option : split(spec, saved)) {
            if (OUTPUTS.contains(canonical(spec, name(option.get(0))))) {
                out.add(String.join(" ", option));
            }
        }
        return out;
    }

    private static List<String> withoutOutputs(CommandSpec spec, List<String> saved) {
        List<String> out = new ArrayList<>();
        for (List<String> option : split(spec, saved)) {
            if (!OUTPUTS.contains(canonical(spec, name(option.get(0))))) {
                out.addAll(option);
            }
        }
        return out;
    }

    static String toJson(List<String> args) {
        return new Gson().toJson(args);
    }

    /** The saved options from a checkpoint's metadata value. */
    static List<String> fromJson(Path file, String json) {
        if (json == null) {
            throw new IllegalArgumentException(file + " holds no training options ('" + METADATA_KEY + "'): it was not"
                    + " written by 'cnn4j train --checkpoint', so --resume cannot rebuild its run");
        }
        try {
            return Arrays.asList(new Gson().fromJson(json, String[].class));
        } catch (JsonParseException | NullPointerException e) {
            throw new IllegalArgumentException(file + ": its training options ('" + METADATA_KEY + "') are damaged: " + json, e);
        }
    }

    /** Splits an argument list (already accepted by picocli) into options, each with its value if it takes one. */
    private static List<List<String>> split(CommandSpec spec, List<String> args) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String token = args.get(i);
            OptionSpec option = spec.findOption(canonical(spec, name(token)));
            boolean takesValue = option != null && option.arity().max() > 0 && !token.contains("=");
            if (takesValue && i + 1 < args.size()) {
                out.add(List.of(token, args.get(++i)));
            } else {
                out.add(List.of(token));
            }
        }
        return out;
    }

    private static String name(String token) {
        int eq = token.indexOf('=');
        return eq < 0 ? token : token.substring(0, eq);
    }

    /** {@code --no-hflip} is the negated form of {@code --hflip}. */
    private static String canonical(CommandSpec spec, String name) {
        if (spec.findOption(name) == null && name.startsWith("--no-") && spec.findOption("--" + name.substring(5)) != null) {
            return "--" + name.substring(5);
        }
        return name;
    }
}

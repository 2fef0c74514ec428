package io.cnn4j.cli;

import io.cnn4j.train.StoppedException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one line {@code cnn4j train} ends with when Ctrl-C or SIGTERM stopped it: where training stood, what
 * was saved (or why nothing was), and the command that goes on from the checkpoint, ready to paste.
 *
 * @param step       optimizer steps done (0: none)
 * @param epoch      the epoch training stood in
 * @param batch      the batches of that epoch done
 * @param batches    the batches of an epoch
 * @param checkpoint the checkpoint written where it stopped; null when there is none
 */
record StopReport(long step, int epoch, int batch, int batches, Path checkpoint) {
    /** Metadata key of a model saved by an interrupted run: the step its weights are from. */
    static final String INTERRUPTED_KEY = "cnn4j.interrupted";
    /** Words a shell takes as they are; any other is quoted. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./@%+=:,-]+");

    static StopReport of(StoppedException stop) {
        return new StopReport(stop.step(), stop.epoch(), stop.batch(), stop.batchesPerEpoch(), stop.checkpoint().orElse(null));
    }

    /**
     * The line, given the run's outputs {@code save}, {@code metricsOut}, {@code plots} and {@code report} (null: none), which the resume
     * command names again because a resumed run writes only the outputs on its own command line, and
     * whether the weights so far were saved to {@code save}.
     */
    String line(Path save, boolean weightsSaved, Path metricsOut, Path plots, Path report) {
        String where = step == 0 ? "interrupted before the first step"
                : String.format(Locale.ROOT, "interrupted after step %d (epoch %d, batch %d of %d)", step, epoch, batch, batches);
        List<String> saved = new ArrayList<>();
        if (checkpoint != null) {
            saved.add("the checkpoint to " + checkpoint);
        }
        if (weightsSaved) {
            saved.add("the weights so far to " + save);
        }
        if (saved.isEmpty()) {
            return where + ": nothing saved, as " + (save != null ? "no step was taken" : "neither --checkpoint nor --save was given");
        }
        String what = where + ": saved " + String.join(" and ", saved);
        if (checkpoint == null) {
            return what + "; without --checkpoint the run cannot be resumed";
        }
        List<String> command = new ArrayList<>(List.of("cnn4j", "train", "--resume", checkpoint.toString()));
        if (save != null) {
            command.addAll(List.of("--save", save.toString()));
        }
        if (metricsOut != null) {
            command.addAll(List.of("--metrics-out", metricsOut.toString()));
        }
        if (plots != null) {
            command.addAll(List.of("--plots", plots.toString()));
        }
        if (report != null) {
            command.addAll(List.of("--report", report.toString()));
        }
        return what + "; to go on: " + String.join(" ", command.stream().map(StopReport::shellWord).toList());
    }

    /** {@code word} as a POSIX shell reads it back: as it is when plain, else in single quotes. */
    static String shellWord(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}

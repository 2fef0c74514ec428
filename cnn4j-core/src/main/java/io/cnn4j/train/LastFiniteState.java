package io.cnn4j.train;

import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The last good state of a model in training, to go back to when a step diverges: its parameters and
 * buffers after a step that left them all finite and whose loss on the next batch was finite too. An
 * update with a learning rate far too high can overflow a weight, or leave weights of 1e30 that are
 * finite but give a NaN loss on the next batch; a forward pass can push batch norm's running statistics
 * to infinity. None of these show in the loss or the gradients of the step that caused them.
 *
 * <p>After every update the trainer {@link #stage stages} the model (a finiteness check and a copy); when
 * the next batch's loss is finite it {@link #confirm confirms} that copy, which becomes the state to go
 * back to. Two copies, allocated once and swapped, so that a steady step allocates nothing here.
 */
final class LastFiniteState {
    private final String[] names;
    private final float[][] live;
    private final Set<String> parameterNames;
    private float[][] staged;
    private float[][] kept;
    private long stagedStep;
    /** The step whose state {@link #kept} holds once confirmed; -1 while it holds the start, unconfirmed. */
    private long keptStep = -1;

    /** Copies {@code model} as it stands after {@code step} steps: the state training starts from. */
    LastFiniteState(Module model, long step) {
        Map<String, Tensor> state = model.stateDict();
        names = state.keySet().toArray(String[]::new);
        live = state.values().stream().map(Tensor::data).toArray(float[][]::new);
        parameterNames = model.namedParameters().keySet();
        staged = new float[live.length][];
        kept = new float[live.length][];
        for (int i = 0; i < live.length; i++) {
            staged[i] = live[i].clone();
            kept[i] = live[i].clone();
        }
        stagedStep = step;
    }

    /**
     * Copies the model as it stands after {@code step} when every value is finite, and returns null;
     * otherwise copies nothing and says which tensor is not, e.g. {@code "buffer '1.running_var' became
     * Infinity (3 of 32 values are not finite)"}.
     */
    String stage(long step) {
        for (int i = 0; i < live.length; i++) {
            if (!allFinite(live[i])) {
                return describe(i);
            }
        }
        for (int i = 0; i < live.length; i++) {
            System.arraycopy(live[i], 0, staged[i], 0, live[i].length);
        }
        stagedStep = step;
        return null;
    }

    /** The staged state gave a finite loss: it becomes the one to go back to. */
    void confirm() {
        float[][] previous = kept;
        kept = staged;
        staged = previous;
        keptStep = stagedStep;
    }

    /**
     * Puts the last confirmed state back into the model, or the one training started from when none was
     * confirmed; returns the step of the confirmed state, or -1 for the start.
     */
    long restore() {
        for (int i = 0; i < live.length; i++) {
            System.arraycopy(kept[i], 0, live[i], 0, live[i].length);
        }
        return keptStep;
    }

    private static boolean allFinite(float[] values) {
        return Execution.kernels().allFinite(values, values.length);
    }

    private String describe(int i) {
        float first = Float.NaN;
        int count = 0;
        for (float v : live[i]) {
            if (!Float.isFinite(v)) {
                first = count == 0 ? v : first;
                count++;
            }
        }
        return String.format(Locale.ROOT, "%s '%s' became %s (%d of %d values are not finite)",
                parameterNames.contains(names[i]) ? "parameter" : "buffer", names[i], first, count, live[i].length);
    }
}

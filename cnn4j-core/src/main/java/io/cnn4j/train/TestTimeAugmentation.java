package io.cnn4j.train;

import io.cnn4j.data.HorizontalFlip;
import io.cnn4j.data.Normalize;
import io.cnn4j.data.Shift;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

import java.util.Locale;

/**
 * Test-time augmentation: a classifier's logits averaged over several views of each image, as the
 * ResNet papers test on several crops. The views are every shift of up to {@code shift} pixels each
 * way, zeros filling in as {@link io.cnn4j.data.RandomCrop} fills them ({@code (2 shift + 1)^2} views,
 * the image itself among them), and with {@code flip} each of them mirrored too. It pays for a model
 * trained with random crops: the recipe fashion94's model gains 0.36 points with shifts of one pixel
 * (94.05% to 94.41%, docs/RECIPES.md), at 9 times the inference.
 */
public record TestTimeAugmentation(int shift, boolean flip) {
    /** One view, the image as it is: plain evaluation. */
    public static final TestTimeAugmentation NONE = new TestTimeAugmentation(0, false);
    /**
     * The largest shift: 289 views, each a full pass over the test set. Beyond it evaluation takes hours
     * for no gain; the views of one-pixel shifts already give most of it.
     */
    public static final int MAX_SHIFT = 8;

    public TestTimeAugmentation {
        if (shift < 0 || shift > MAX_SHIFT) {
            throw new IllegalArgumentException("test-time shifts must be from 0 to " + MAX_SHIFT + " pixels ("
                    + (2 * MAX_SHIFT + 1) * (2 * MAX_SHIFT + 1) + " views), got " + shift);
        }
    }

    /** How many forward passes each image takes. */
    public int views() {
        int side = 2 * shift + 1;
        return side * side * (flip ? 2 : 1);
    }

    /**
     * The model's outputs for {@code images} ({@code [N, C, H, W]} as read, which stay as they are), averaged
     * over the views, each view normalised by {@code normalize} (null: none) before its forward pass, whose
     * intermediate results come from {@code workspace}. The model's mode is the caller's to set.
     */
    public Tensor logits(Module model, Tensor images, Normalize normalize, Workspace workspace) {
        boolean clip = images.rank() == 5;
        if (images.rank() != 4 && !(clip && views() == 1)) {
            throw new IllegalArgumentException("test-time augmentation needs images [N, C, H, W], got " + images.shape()
                    + (clip ? ": it shifts and mirrors pictures, not clips" : ""));
        }
        int n = images.dim(0);
        int channels = images.dim(1);
        // The one view of a clip is the clip: its frames pass as one picture T times as high, shifted by nothing.
        int height = images.dim(images.rank() - 2) * (clip ? images.dim(2) : 1);
        int width = images.dim(images.rank() - 1);
        int size = channels * height * width;
        Tensor view = Tensor.zeros(images.shape());
        float[] sum = null;
        int classes = 0;
        for (int v = 0; v < views(); v++) {
            System.arraycopy(images.data(), 0, view.data(), 0, n * size);
            for (int i = 0; i < n; i++) {
                apply(v, view.data(), i * size, channels, height, width);
            }
            if (normalize != null) {
                normalize.apply(view);
            }
            try (var scope = workspace.open()) {
                Tensor out = model.forward(view);
                if (out.rank() != 2 || out.dim(0) != n) {
                    throw new IllegalArgumentException("test-time augmentation averages outputs of shape [N, K], but the model"
                            + " gives " + out.shape() + " for " + n + " images");
                }
                if (sum == null) {
                    classes = out.dim(1);
                    sum = new float[n * classes];
                }
                float[] o = out.data();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += o[i];
                }
            }
        }
        float scale = 1f / views();
        for (int i = 0; i < sum.length; i++) {
            sum[i] *= scale;
        }
        return Tensor.of(sum, n, classes);
    }

    /** Turns one image as read (before normalisation) into view {@code view}, in place. */
    void apply(int view, float[] pixels, int offset, int channels, int height, int width) {
        int side = 2 * shift + 1;
        int grid = side * side;
        if (view >= grid) {
            HorizontalFlip.mirror(pixels, offset, channels, height, width);
        }
        int at = view % grid;
        new Shift(at / side - shift, at % side - shift).apply(pixels, offset, channels, height, width, null);
    }

    @Override
    public String toString() {
        if (views() == 1) {
            return "none";
        }
        return String.format(Locale.ROOT, "%d views: shifts of up to %d pixel(s)%s", views(), shift, flip ? ", mirrored and not" : "");
    }
}

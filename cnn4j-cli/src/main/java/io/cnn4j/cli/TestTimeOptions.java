package io.cnn4j.cli;

import io.cnn4j.train.TestTimeAugmentation;
import picocli.CommandLine.Option;

/** Test-time augmentation for {@code cnn4j eval} and {@code predict}, and for {@code cnn4j train}'s final test pass. */
final class TestTimeOptions {

    @Option(names = "--tta-shift", paramLabel = "N", defaultValue = "0",
            description = "Test-time augmentation: average each image's logits over every shift of it by up to N"
                    + " pixels each way, (2N+1)^2 views, 1 giving 9; for models trained with --crop-padding. 0: off (default).")
    int shift;

    @Option(names = "--tta-flip", negatable = true,
            description = "Test-time augmentation: average over each view mirrored left to right as well (for models"
                    + " trained with --hflip).")
    boolean flip;

    TestTimeAugmentation build() {
        try {
            return new TestTimeAugmentation(shift, flip);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--tta-shift: " + e.getMessage(), e);
        }
    }
}

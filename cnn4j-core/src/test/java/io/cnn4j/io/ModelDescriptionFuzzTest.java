package io.cnn4j.io;

import io.cnn4j.fuzz.HostileInput;
import io.cnn4j.fuzz.Mutation;
import io.cnn4j.limits.InputFileException;
import io.cnn4j.nn.LayerConfig;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Model descriptions mutated every way a fuzzer knows (broken JSON, wrong types, lying and absurd sizes,
 * deep nesting, bytes that are not UTF-8) are parsed or refused with an {@link IllegalArgumentException}
 * (an {@link InputFileException} for a file that is not UTF-8), naming the file when there is one. What
 * parses survives writing and parsing again, and builds or is refused, when it is small enough to build.
 */
class ModelDescriptionFuzzTest {
    @Property(tries = 5000)
    void mutatedDescriptionsAreParsedOrRefused(@ForAll @IntRange(min = 0, max = 2) int seed,
                                                @ForAll("descriptionMutations") List<Mutation> mutations) {
        byte[] bytes = Mutation.applyAll(FuzzModels.DESCRIPTIONS.get(seed).getBytes(StandardCharsets.UTF_8), mutations);
        Path file = HostileInput.write("fuzz-model.json", bytes);
        LayerConfig read = HostileInput.read(file.toString(), () -> ModelDescription.read(file),
                IllegalArgumentException.class, InputFileException.class);
        String text = new String(bytes, StandardCharsets.UTF_8);
        LayerConfig parsed = HostileInput.read(null, () -> ModelDescription.parse(text), IllegalArgumentException.class);
        if (read == null) {
            return;
        }
        if (!text.startsWith("\uFEFF")) {
            assertEquals(read, parsed, "the file and its text describe the same model");
        }
        assertEquals(read, ModelDescription.parse(ModelDescription.toJson(read)), "written and parsed again");
        if (ModelSizes.parameters(read) < ModelSizes.SMALL) {
            HostileInput.read(null, () -> ModelDescription.build(read), IllegalArgumentException.class);
        }
    }

    @Provide
    Arbitrary<List<Mutation>> descriptionMutations() {
        return FuzzModels.mutations();
    }
}

package io.cnn4j.io;

import io.cnn4j.fuzz.HostileInput;
import io.cnn4j.fuzz.Mutation;
import io.cnn4j.nn.LayerConfig;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Model files saved by {@link ModelFile#save}, then mutated in their bytes, in their header, or in the
 * architecture their metadata holds (re-encoded, so that a lying architecture meets real weights), are
 * loaded or refused with a {@link SafeTensorsException} or {@link ModelFileException} naming the file:
 * never another exception, an {@link OutOfMemoryError} or a hang. A loaded model holds exactly the file's
 * tensors.
 *
 * <p>Building the architecture is not the reader's part, and a lying one can ask for gigabytes, so only
 * files whose architecture is small are loaded whole; the others are read as far as their architecture.
 */
class ModelFileFuzzTest {
    private static final List<byte[]> SEEDS = List.of(saved(0), saved(1), saved(2));

    /** Where the mutations go. */
    enum Form {
        BYTES, HEADER, ARCHITECTURE
    }

    @Property(tries = 3000)
    void mutatedModelFilesAreLoadedOrRefused(@ForAll @IntRange(min = 0, max = 2) int seed, @ForAll Form form,
                                              @ForAll("modelMutations") List<Mutation> mutations) {
        byte[] bytes = switch (form) {
            case BYTES -> Mutation.applyAll(SEEDS.get(seed), mutations);
            case HEADER -> SafeTensorsFuzzTest.mutateHeader(SEEDS.get(seed), mutations);
            case ARCHITECTURE -> mutateArchitecture(SEEDS.get(seed), mutations);
        };
        Path file = HostileInput.write("fuzz-model.safetensors", bytes);
        String name = file.toString();
        LayerConfig architecture = HostileInput.read(name, () -> ModelFile.architecture(file),
                SafeTensorsException.class, ModelFileException.class);
        if (architecture != null && ModelSizes.parameters(architecture) >= ModelSizes.SMALL) {
            return;
        }
        SavedModel saved = HostileInput.read(name, () -> ModelFile.read(file),
                SafeTensorsException.class, ModelFileException.class);
        if (architecture == null) {
            assertNull(saved, "a file without a readable architecture cannot load");
        } else if (saved != null) {
            SafeTensorsHeader header = HostileInput.read(name, () -> SafeTensors.readHeader(file));
            assertEquals(header.tensors().stream().map(TensorInfo::name).sorted().toList(),
                    saved.model().stateDict().keySet().stream().sorted().toList());
        }
    }

    @Provide
    Arbitrary<List<Mutation>> modelMutations() {
        return FuzzModels.mutations();
    }

    /** The model file with the architecture in its metadata mutated, and the header written again around it. */
    private static byte[] mutateArchitecture(byte[] file, List<Mutation> mutations) {
        int n = (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        byte[] data = Arrays.copyOfRange(file, 8 + n, file.length);
        SafeTensorsHeader header;
        try {
            header = HeaderCodec.decode(Path.of("seed"), Arrays.copyOfRange(file, 8, 8 + n), 8 + n, data.length);
        } catch (SafeTensorsException e) {
            throw new IllegalStateException("a seed must be valid", e);
        }
        Map<String, String> metadata = new LinkedHashMap<>(header.metadata());
        byte[] architecture = metadata.get(ModelFile.ARCHITECTURE_KEY).getBytes(StandardCharsets.UTF_8);
        metadata.put(ModelFile.ARCHITECTURE_KEY,
                new String(Mutation.applyAll(architecture, mutations), StandardCharsets.UTF_8));
        byte[] json = HeaderCodec.encode(header.tensors(), metadata);
        return ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).put(data).array();
    }

    private static byte[] saved(int description) {
        return SafeTensorsFuzzTest.bytesOf(file -> ModelFile.save(file, FuzzModels.build(description),
                Map.of(ModelFile.MODEL_NAME_KEY, "fuzz seed")));
    }
}

package io.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The choices the kernels make by measurement (a matrix multiply's tile and blocking, a convolution's
 * path for each layer shape), kept per processor model. No fixed rule serves every CPU: tiles and
 * blockings tuned on one microarchitecture lose on the next. So the kernels time their candidates on
 * the machine at hand, once, and keep the winner in a file named for the processor: every later run on
 * that machine makes the same choices and computes the same bits, whatever its thread count.
 *
 * <p>The file lives in {@code $CNN4J_TUNING_DIR} (or the system property {@code cnn4j.tuning.dir}),
 * else in {@code $XDG_CACHE_HOME/cnn4j/tuning} or {@code ~/.cache/cnn4j/tuning}. Setting either to
 * {@code off} turns measurement off: the kernels then follow their fixed rules, which makes results
 * independent of the machine's timing altogether. Where the folder cannot be written, the choices are
 * measured again in each process.
 *
 * <p>Each file has one instance per JVM, shared by every {@link CpuKernels} that uses it: two models
 * training at once must not measure one shape twice and pick differently.
 */
public final class TuningCache {
    private static final String DIR_PROPERTY = "cnn4j.tuning.dir";
    private static final String DIR_VARIABLE = "CNN4J_TUNING_DIR";
    private static final String OFF = "off";
    private static final Map<Path, TuningCache> BY_FILE = new ConcurrentHashMap<>();
    private static final TuningCache NONE = new TuningCache(null, false);

    private final Path file;
    private final boolean measures;
    private final Map<String, String> choices = new TreeMap<>();
    /** The measurements under way, by key: a second caller for one of them waits for its result. */
    private final Map<String, CompletableFuture<String>> measuring = new HashMap<>();
    private boolean loaded;

    private TuningCache(Path file, boolean measures) {
        this.file = file;
        this.measures = measures;
    }

    /**
     * The cache the system property, environment and home folder name (see the class comment), or
     * {@link #none()} where they say {@code off}.
     */
    public static TuningCache defaultCache() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = System.getenv(DIR_VARIABLE);
        }
        if (dir != null && dir.strip().equalsIgnoreCase(OFF)) {
            return NONE;
        }
        if (dir == null || dir.isBlank()) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            return in(base.resolve("cnn4j").resolve("tuning"));
        }
        return in(Path.of(dir.strip()));
    }

    /** The cache of this processor in {@code dir}, one instance per file in this JVM. */
    public static TuningCache in(Path dir) {
        Path file = dir.resolve(processorKey() + ".properties").toAbsolutePath().normalize();
        return BY_FILE.computeIfAbsent(file, f -> new TuningCache(f, true));
    }

    /** No measurement: every kernel follows its fixed rules. */
    public static TuningCache none() {
        return NONE;
    }

    /** Whether choices are made by measurement; false for {@link #none()}. */
    public boolean measures() {
        return measures;
    }

    /** The file the choices are kept in; empty for {@link #none()}. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * The choice kept under {@code key}, measured by {@code measure} and kept if there is none yet; empty
     * where this cache does not measure (the caller then follows its fixed rule). A key is measured once:
     * concurrent callers for it wait for that measurement and get its choice. No lock is held while measuring,
     * so a measurement may ask for other keys, from its own threads too (a convolution's candidates multiply on
     * the worker threads, whose first multiply chooses the matrix multiply's tile).
     */
    public Optional<String> choice(String key, Supplier<String> measure) {
        Objects.requireNonNull(key, "key");
        if (!measures) {
            return Optional.empty();
        }
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> running;
        synchronized (this) {
            load();
            String kept = choices.get(key);
            if (kept != null) {
                return Optional.of(kept);
            }
            running = measuring.putIfAbsent(key, mine);
        }
        if (running != null) {
            return Optional.of(running.join());
        }
        try {
            String measured = Objects.requireNonNull(measure.get(), "measured choice");
            synchronized (this) {
                choices.put(key, measured);
                measuring.remove(key);
                store(key, measured);
            }
            mine.complete(measured);
            return Optional.of(measured);
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                measuring.remove(key);
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** Every choice made so far, by key (for {@code cnn4j bench} and tests). */
    public synchronized Map<String, String> choices() {
        if (!measures) {
            return Map.of();
        }
        load();
        return Map.copyOf(choices);
    }

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        read().forEach(choices::putIfAbsent);
    }

    private Map<String, String> read() {
        Map<String, String> found = new TreeMap<>();
        if (!Files.isRegularFile(file)) {
            return found;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return found; // an unreadable or garbled cache only costs a new measurement
        }
        properties.stringPropertyNames().forEach(name -> found.put(name, properties.getProperty(name)));
        return found;
    }

    /**
     * Adds one choice to the file, keeping what other processes wrote meanwhile (their choice for the same key
     * wins there; this process keeps its own until it ends). Written to a temporary file and moved into place,
     * so a reader never sees half a file.
     */
    private void store(String key, String value) {
        Map<String, String> merged = read();
        merged.putIfAbsent(key, value);
        Properties properties = new Properties();
        merged.forEach(properties::setProperty);
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                properties.store(out, "cnn4j kernel choices measured on " + processorKey());
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // A read-only home: the choice holds for this process and is measured again by the next.
        }
    }

    /**
     * What the choices depend on, fit for a file name: the vendor, family and model of the processor (from
     * {@code /proc/cpuinfo} on Linux, the OS architecture elsewhere) and the kernels' vector width, which
     * {@code -XX:UseAVX} can narrow on one machine. For example {@code AuthenticAMD-25-17-16lanes}.
     */
    public static String processorKey() {
        List<String> cpuinfo = Processor.cpuinfo();
        Optional<String> vendor = Processor.field(cpuinfo, "vendor_id");
        Optional<String> family = Processor.field(cpuinfo, "cpu family");
        Optional<String> model = Processor.field(cpuinfo, "model");
        String cpu = vendor.isPresent() && family.isPresent() && model.isPresent()
                ? vendor.get() + "-" + family.get() + "-" + model.get()
                : System.getProperty("os.arch"); // no /proc/cpuinfo: the architecture alone names the processor
        return (cpu + "-" + FloatVector.SPECIES_PREFERRED.length() + "lanes").replaceAll("[^A-Za-z0-9._-]", "_");
    }
}

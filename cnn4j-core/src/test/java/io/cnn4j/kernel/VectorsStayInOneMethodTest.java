package io.cnn4j.kernel;

import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No method of the kernels (lambdas included) takes or returns a vector, a mask or a shuffle, and no object
 * holds one: such a value is only a register while it stays inside one compiled method. Whether C2 inlines
 * a call depends on the order it compiles methods in (which tiered compilation changes) and on how big the
 * caller has grown; where it does not, the value is boxed, an allocation on every call, and a kernel that
 * boxes in its inner loop runs several times slower. Constants ({@code static final}) are fine.
 */
class VectorsStayInOneMethodTest {
    @Test
    void noKernelMethodTakesOrReturnsAVector() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(CpuKernels.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/cnn4j/kernel");
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
                    .map(n -> "io.cnn4j.kernel." + n.substring(0, n.length() - ".class".length())).sorted().toList();
        }
        assertTrue(names.contains(Gemm.class.getName()), "expected the kernel classes in " + dir);
        List<String> crossings = new ArrayList<>();
        for (String name : names) {
            Class<?> type = Class.forName(name, false, CpuKernels.class.getClassLoader());
            List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredMethods()));
            executables.addAll(List.of(type.getDeclaredConstructors()));
            for (Executable e : executables) {
                for (Class<?> parameter : e.getParameterTypes()) {
                    if (isVector(parameter)) {
                        crossings.add(name + "." + e.getName() + " takes a " + parameter.getSimpleName());
                    }
                }
                if (e instanceof Method m && isVector(m.getReturnType())) {
                    crossings.add(name + "." + m.getName() + " returns a " + m.getReturnType().getSimpleName());
                }
            }
            for (Field f : type.getDeclaredFields()) {
                boolean constant = Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers());
                if (isVector(f.getType()) && !constant) {
                    crossings.add(name + "." + f.getName() + " holds a " + f.getType().getSimpleName());
                }
            }
        }
        assertEquals(List.of(), crossings);
    }

    private static boolean isVector(Class<?> type) {
        return Vector.class.isAssignableFrom(type) || VectorMask.class.isAssignableFrom(type)
                || VectorShuffle.class.isAssignableFrom(type);
    }
}

package io.cnn4j.tensor;

import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.kernel.Kernels;
import io.cnn4j.kernel.ReferenceKernels;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs every test of the annotated class once on each {@link Kernels} implementation: the reference
 * kernels (the specification), and the CPU kernels on one thread and on two. A test computes on them
 * as a program would, through {@link Execution}; a new backend joins {@link Backends#ALL} and proves
 * itself by passing the same gradient checks, golden values and conformance steps.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ClassTemplate
@ExtendWith(OnEveryBackend.Backends.class)
public @interface OnEveryBackend {

    /** One run of the class per backend, each test bound to it. */
    final class Backends implements ClassTemplateInvocationContextProvider {
        /** Shared by every test class; their threads end with the test JVM. */
        static final List<Kernels> ALL = List.of(new ReferenceKernels(), new CpuKernels(1), new CpuKernels(2));

        @Override
        public boolean supportsClassTemplate(ExtensionContext context) {
            return true;
        }

        @Override
        public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
            return ALL.stream().map(kernels -> new ClassTemplateInvocationContext() {
                @Override
                public String getDisplayName(int invocationIndex) {
                    return kernels.name();
                }

                @Override
                public List<Extension> getAdditionalExtensions() {
                    return List.of(new Bound(kernels));
                }
            });
        }
    }

    /** Runs each test method, plain or parameterized, on one backend. */
    record Bound(Kernels kernels) implements InvocationInterceptor {
        @Override
        public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
                                        ExtensionContext context) throws Throwable {
            Execution.call(kernels, invocation::proceed);
        }

        @Override
        public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
                                                ExtensionContext context) throws Throwable {
            Execution.call(kernels, invocation::proceed);
        }
    }
}

package dev.trellis.junit;

import dev.trellis.real.RealRuntime;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

import java.lang.reflect.Method;
import java.util.List;
import java.util.stream.Stream;

/** {@link RealRuntimeTest}: one invocation, the method run as the root task of a real runtime. */
final class RealRuntimeTestExtension implements TestTemplateInvocationContextProvider {
    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getRequiredTestMethod().isAnnotationPresent(RealRuntimeTest.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return Stream.of(new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int index) {
                return "real runtime";
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new MethodBody.Placeholders(), new InvocationInterceptor() {
                    @Override
                    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                                            ExtensionContext ctx) throws Throwable {
                        invocation.skip();
                        RealRuntime.run(() -> {
                            MethodBody.of(call.getExecutable(), call.getTarget().orElse(null), 0, false).run();
                            return null;
                        });
                    }
                });
            }
        });
    }
}

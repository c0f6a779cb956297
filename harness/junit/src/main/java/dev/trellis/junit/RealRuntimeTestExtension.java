package dev.trellis.junit;

import dev.trellis.real.RealRuntime;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
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
    /** The property replaying a simulated execution, or null. */
    static String replaying() {
        for (String p : List.of("trellis.seed", "trellis.schedule")) {
            String v = System.getProperty(p);
            if (v != null && !v.isBlank()) {
                return p;
            }
        }
        return null;
    }

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
                // Replaying one simulated execution (-Dtrellis.seed, -Dtrellis.schedule) runs that alone.
                ExecutionCondition replaying = ctx -> replaying() != null
                        ? ConditionEvaluationResult.disabled("-D" + replaying() + " replays one simulated execution")
                        : ConditionEvaluationResult.enabled("no simulated execution is being replayed");
                return List.of(replaying, new MethodBody.Placeholders(), new InvocationInterceptor() {
                    @Override
                    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                                            ExtensionContext ctx) throws Throwable {
                        invocation.skip();
                        try {
                            RealRuntime.run(() -> {
                                MethodBody.of(call.getExecutable(), call.getTarget().orElse(null), 0, false).run();
                                return null;
                            });
                        } catch (Throwable t) {
                            throw new AssertionError("failed on the real runtime (virtual threads on one carrier, real TCP, "
                                    + "the system clock): " + t, t);
                        }
                    }
                });
            }
        });
    }
}

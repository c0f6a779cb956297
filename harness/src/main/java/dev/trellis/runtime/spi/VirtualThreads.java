package dev.trellis.runtime.spi;

import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;

/**
 * The one place that reaches into the JDK for virtual threads whose continuations run on an
 * executor of ours. Both engines stand on it: the real engine hands continuations to one carrier
 * thread, the simulator to its driver loop.
 *
 * <p>It uses the package-private constructor {@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)},
 * reachable only with {@code --add-opens java.base/java.lang=ALL-UNNAMED} (the trellis jar's manifest
 * carries {@code Add-Opens}, so {@code java -jar} needs no flag).
 */
public final class VirtualThreads {
    private static final Constructor<?> BUILDER;
    private static final Throwable FAILURE;

    static {
        Constructor<?> ctor = null;
        Throwable failure = null;
        try {
            Class<?> type = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            ctor = type.getDeclaredConstructor(Executor.class);
            ctor.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            failure = e;
        }
        BUILDER = ctor;
        FAILURE = failure;
        JdkPollers.start();
    }

    private VirtualThreads() {}

    /** A builder of virtual threads whose continuations are run by {@code scheduler}. */
    public static Thread.Builder.OfVirtual builder(Executor scheduler) {
        if (BUILDER == null) {
            throw new IllegalStateException(
                    "Trellis needs --add-opens java.base/java.lang=ALL-UNNAMED on the java command line "
                            + "(JDK 25 or newer) to schedule virtual threads itself; "
                            + "'java -jar trellis.jar' sets it through the jar manifest. Cause: " + FAILURE,
                    FAILURE);
        }
        try {
            return (Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a virtual thread builder: " + e, e);
        }
    }
}

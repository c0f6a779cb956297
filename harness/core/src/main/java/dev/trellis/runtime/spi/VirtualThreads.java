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
            Constructor<?> found = type.getDeclaredConstructor(Executor.class);
            found.setAccessible(true);   // throws without --add-opens: then there is no builder at all
            ctor = found;
            selfTest(found);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            ctor = null;
            failure = e;
        }
        BUILDER = ctor;
        FAILURE = failure;
        JdkPollers.start();
    }

    /**
     * Checks, once, that the JDK does what both engines stand on: a virtual thread built with our
     * executor hands its continuation to that executor, and runs when we run it. A JDK whose
     * internals moved fails here, with its version, rather than by hanging a first test.
     */
    private static void selfTest(Constructor<?> builder) throws ReflectiveOperationException {
        java.util.ArrayDeque<Runnable> submitted = new java.util.ArrayDeque<>();
        boolean[] ran = {false};
        Thread t = ((Thread.Builder.OfVirtual) builder.newInstance((Executor) submitted::add)).unstarted(() -> ran[0] = true);
        t.start();
        Runnable r;
        while ((r = submitted.poll()) != null) {
            r.run();
        }
        if (!ran[0]) {
            throw new IllegalStateException("JDK " + Runtime.version() + ": a virtual thread built with a custom scheduler "
                    + "did not hand its continuation to that scheduler; Trellis is built and tested on JDK 25");
        }
    }

    private VirtualThreads() {}

    /** A builder of virtual threads whose continuations are run by {@code scheduler}. */
    public static Thread.Builder.OfVirtual builder(Executor scheduler) {
        if (BUILDER == null) {
            if (FAILURE instanceof java.lang.reflect.InaccessibleObjectException) {
                // Name first the flag for where Trellis runs: the class path, or the module path.
                String target = VirtualThreads.class.getModule().isNamed() ? VirtualThreads.class.getModule().getName()
                        : "ALL-UNNAMED";
                throw new IllegalStateException(
                        "Trellis needs --add-opens java.base/java.lang=" + target + " on the java command line (JDK 25 or "
                                + "newer; =ALL-UNNAMED on the class path, =dev.trellis.core on the module path) to schedule "
                                + "virtual threads itself. Under Maven "
                                + "give it to Surefire: <argLine>--add-opens java.base/java.lang=ALL-UNNAMED</argLine>; "
                                + "'java -jar trellis.jar' sets it through the jar's manifest. Cause: " + FAILURE, FAILURE);
            }
            throw new IllegalStateException("Trellis cannot schedule virtual threads on JDK " + Runtime.version()
                    + " (it is built and tested on JDK 25): " + FAILURE, FAILURE);
        }
        try {
            return (Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a virtual thread builder: " + e, e);
        }
    }
}

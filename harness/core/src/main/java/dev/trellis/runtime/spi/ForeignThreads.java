package dev.trellis.runtime.spi;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Virtual threads a task started by itself (Thread.ofVirtual, a virtual-thread executor) rather
 * than with Nursery.start. They inherit their creator's scheduler, a kernel's, but are no task:
 * the simulator cannot schedule them (the run that started one fails) and the real runtime's
 * loop would run them on its one carrier, where a thread that blocks the JDK's way stops every
 * task. From their first continuation on they run on platform threads of their own, as on the
 * JDK's scheduler, so no thread is lost or stuck on a kernel that ended.
 * Membership is by identity and the set is only looked up, never iterated.
 */
public final class ForeignThreads {
    /**
     * Held weakly, so a foreign thread that ended is forgotten: a continuation is a method
     * reference of its thread, whose equals and hashCode are identity's.
     */
    private static final Set<Runnable> KNOWN = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final ExecutorService CARRIERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "trellis-foreign-carrier-" + IDS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private static volatile boolean any;

    private ForeignThreads() {}

    public static boolean isForeign(Runnable continuation) {
        return any && KNOWN.contains(continuation);
    }

    /** Takes a continuation the simulator does not own and runs it on a platform carrier. */
    public static void adopt(Runnable continuation) {
        KNOWN.add(continuation);
        any = true;
        CARRIERS.execute(continuation);
    }

    public static void run(Runnable continuation) {
        CARRIERS.execute(continuation);
    }
}

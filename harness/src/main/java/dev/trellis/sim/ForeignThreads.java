package dev.trellis.sim;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Virtual threads a task started by itself (Thread.ofVirtual, a virtual-thread executor) rather
 * than with Nursery.start. They inherit the simulator's scheduler, but the simulator cannot
 * schedule them as tasks: the run that started one fails, and from then on their continuations
 * run on platform threads of their own, so no thread is lost or stuck on a dead executor.
 * Membership is by identity and the set is only looked up, never iterated.
 */
final class ForeignThreads {
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

    static boolean isForeign(Runnable continuation) {
        return any && KNOWN.contains(continuation);
    }

    /** Takes a continuation the simulator does not own and runs it on a platform carrier. */
    static void adopt(Runnable continuation) {
        KNOWN.add(continuation);
        any = true;
        CARRIERS.execute(continuation);
    }

    static void run(Runnable continuation) {
        CARRIERS.execute(continuation);
    }
}

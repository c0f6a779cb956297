package dev.trellis.runtime.spi;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Finds the task running the calling code, which is how application code finds its runtime
 * without naming it. Three ways, fastest first: the task last found (engines set it before each
 * step); the kernels that track their running task (the simulator); a scoped value bound around
 * the task's body (the real runtime).
 */
final class CurrentTask {
    private static final ScopedValue<Task> BOUND = ScopedValue.newInstance();
    /**
     * The task last found, per slot of thread ids: racy by design (a task's thread belongs to that
     * task alone, so a hit is always right, and a stale or half-seen value only misses), and one
     * cache line a slot, so drivers running executions side by side (on tasks of different
     * threads) neither evict each other's entry nor write to a line the other reads on every step.
     * One shared field thrashed between two drivers and held two jobs to 1.3 times one.
     */
    private static final int SLOTS = 64;
    /** References a cache line holds, at most (compressed: 4 bytes each in 64). */
    private static final int STRIDE = 16;
    private static final Task[] LAST_SEEN = new Task[SLOTS * STRIDE];

    private static int slot(Thread t) {
        return (int) (t.threadId() & (SLOTS - 1)) * STRIDE;
    }
    private static final CopyOnWriteArrayList<Kernel> TRACKING = new CopyOnWriteArrayList<>();

    private CurrentTask() {}

    static void enter(Task task) {
        Thread t = task.thread;
        if (t != null) {
            LAST_SEEN[slot(t)] = task;
        }
    }

    /** A task ended: it must not stay reachable from here, with its kernel, trace and tasks. */
    static void forget(Task task) {
        Thread t = task.thread;
        if (t != null && LAST_SEEN[slot(t)] == task) {
            LAST_SEEN[slot(t)] = null;
        }
    }

    static void track(Kernel kernel, boolean on) {
        if (on) {
            TRACKING.add(kernel);
        } else {
            TRACKING.remove(kernel);
        }
    }

    static void runBound(Task task, Runnable body) {
        ScopedValue.where(BOUND, task).run(body);
    }

    static Task orNull() {
        Thread current = Thread.currentThread();
        int slot = slot(current);
        Task cached = LAST_SEEN[slot];
        if (cached != null && cached.thread == current) {
            return cached;
        }
        Task t = lookUp();
        if (t != null) {
            LAST_SEEN[slot] = t;
        }
        return t;
    }

    static Task get(String what) {
        Task t = orNull();
        if (t == null) {
            throw new IllegalStateException(what + " must be called from a Trellis task, but "
                    + Thread.currentThread() + " is not one: run the code under the real runtime "
                    + "(RealRuntime.run) or the simulator (Simulation.run), and start other tasks "
                    + "with Nursery.start");
        }
        return t;
    }

    /**
     * The slow path: the scoped value an engine bound, or else the kernel whose running task is
     * on this thread. A task's code runs only while it is its kernel's running task, and that
     * field was written by this same carrier, so the scan is exact.
     */
    private static Task lookUp() {
        if (BOUND.isBound()) {
            return BOUND.get();
        }
        Thread me = Thread.currentThread();
        for (Kernel k : TRACKING) {
            Task r = k.runningTask();
            if (r != null && r.thread == me) {
                return r;
            }
        }
        return null;
    }
}

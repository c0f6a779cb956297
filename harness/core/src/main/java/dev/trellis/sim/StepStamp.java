package dev.trellis.sim;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the watchdog reads to tell a running step from a stuck one: odd while step n runs
 * (2n + 1), even between steps. Written with release stores, which cost nothing on x86, instead
 * of a volatile write per step; read with acquire loads from the watchdog's thread.
 */
final class StepStamp {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(StepStamp.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private long value;

    /**
     * Step {@code n} is about to begin: the stamp leaves the odd value of the step before, and
     * whatever is written after this call becomes visible only after that, so a reader that sees
     * it cannot pair it with the old value (the writer's half of a seqlock).
     */
    void starting(long n) {
        VALUE.setRelease(this, 2 * n);
        VarHandle.storeStoreFence();
    }

    /** Step {@code n} has begun. */
    void running(long n) {
        VALUE.setRelease(this, 2 * n + 1);
    }

    /** Step {@code n} has ended. */
    void idle(long n) {
        VALUE.setRelease(this, 2 * n);
    }

    long read() {
        return (long) VALUE.getAcquire(this);
    }

    /**
     * Whether the stamp still reads {@code stamp}, checked after every read made before this
     * call: if so, what those reads saw was written before that stamp was, and not since.
     */
    boolean still(long stamp) {
        VarHandle.loadLoadFence();
        return read() == stamp;
    }

    /** The step a running stamp names. */
    static long step(long stamp) {
        return stamp >>> 1;
    }
}

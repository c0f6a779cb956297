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
}

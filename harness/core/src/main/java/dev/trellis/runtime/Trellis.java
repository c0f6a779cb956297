package dev.trellis.runtime;

import dev.trellis.runtime.spi.Kernel;

import java.time.Duration;

/**
 * Checkpoints and time, for code running in a Trellis task. Which runtime is underneath (real or
 * simulated) is found from the current task; application code never names it.
 */
public final class Trellis {
    private Trellis() {}

    /**
     * A checkpoint (trio's {@code checkpoint()}): lets other ready tasks run first, then throws
     * {@link Cancelled} if the task is cancelled. Cheap when nobody else is ready.
     */
    public static void checkpoint() {
        Kernel.current("Trellis.checkpoint").kernel().checkpoint();
    }

    /** Sleeps for {@code duration} (virtual time in the simulator); a checkpoint, cancellable. */
    public static void sleep(Duration duration) {
        Kernel kernel = Kernel.current("Trellis.sleep").kernel();
        kernel.sleepUntil(saturatedAdd(kernel.nanoTime(), duration.toNanos()));
    }

    /** Time since the runtime started: virtual in the simulator, starting at zero. */
    public static Duration now() {
        return Duration.ofNanos(Kernel.current("Trellis.now").kernel().nanoTime());
    }

    /**
     * A value in [0, bound) from the execution's decision stream: under the simulator it comes
     * from the seed and is recorded, so a replay draws the same; under the real runtime it is
     * random. Use it for anything random in code under test.
     */
    public static long random(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("Trellis.random needs a positive bound, was [" + bound + "]");
        }
        return Kernel.current("Trellis.random").kernel().draw(bound);
    }

    /** Records a line in the execution's trace (ignored by the real runtime). */
    public static void note(String text) {
        Kernel.current("Trellis.note").kernel().note(text);
    }

    /**
     * Records a typed event in the execution's trace: a type and two numbers, say
     * {@code event("chat.broadcast", messageId, senderId)}. Invariants and reports select events
     * by type and read the numbers, never parsing text. Ignored by the real runtime.
     *
     * @throws IllegalArgumentException if {@code type} is blank
     */
    public static void event(String type, long subject, long value) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("Trellis.event needs a type, was [" + type + "]");
        }
        Kernel.current("Trellis.event").kernel().event(type, subject, value);
    }

    /** Whether the calling thread is a Trellis task. */
    public static boolean inTask() {
        return Kernel.currentOrNull() != null;
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}

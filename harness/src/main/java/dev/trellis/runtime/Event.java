package dev.trellis.runtime;

import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.Task;

import java.util.ArrayDeque;

/**
 * A one-shot flag tasks can wait for (trio's Event). Once set it stays set; {@link #await}
 * returns at once from then on.
 */
public final class Event {
    private final ArrayDeque<Task> waiters = new ArrayDeque<>();
    private boolean set;

    /** Sets the flag and wakes every waiter, in the order they started waiting. Not a checkpoint. */
    public void set() {
        Kernel kernel = Kernel.current("Event.set").kernel();
        if (set) {
            return;
        }
        set = true;
        for (Task t : waiters) {
            kernel.wake(t);
        }
        waiters.clear();
    }

    public boolean isSet() {
        return set;
    }

    /** Waits until the flag is set. A checkpoint, cancellable. */
    public void await() {
        Task me = Kernel.current("Event.await");
        Kernel kernel = me.kernel();
        if (set) {
            kernel.checkpoint();
            return;
        }
        kernel.checkpointIfCancelled();
        waiters.addLast(me);
        try {
            kernel.park("event", true);
        } finally {
            waiters.remove(me);
        }
    }

    @Override
    public String toString() {
        return "Event[" + (set ? "set" : waiters.size() + " waiting") + "]";
    }
}

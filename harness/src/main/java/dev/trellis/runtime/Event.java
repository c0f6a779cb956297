package dev.trellis.runtime;

import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.ParkingLot;
import dev.trellis.runtime.spi.Task;

/**
 * A one-shot flag tasks can wait for (trio's Event). Once set it stays set; {@link #await}
 * returns at once from then on.
 */
public final class Event {
    private final ParkingLot waiters = new ParkingLot();
    private boolean set;

    /** Sets the flag and wakes every waiter, in the order they started waiting. Not a checkpoint. */
    public void set() {
        Kernel.current("Event.set");
        if (set) {
            return;
        }
        set = true;
        waiters.unparkAll();
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
        waiters.park("event");
    }

    @Override
    public String toString() {
        return "Event[" + (set ? "set" : waiters.size() + " waiting") + "]";
    }
}

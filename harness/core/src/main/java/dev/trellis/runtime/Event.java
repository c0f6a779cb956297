package dev.trellis.runtime;

import dev.trellis.runtime.spi.Binding;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.ParkingLot;
import dev.trellis.runtime.spi.Task;

/**
 * A one-shot flag tasks can wait for (trio's Event). Once set it stays set; {@link #await}
 * returns at once from then on.
 *
 * <p>An Event belongs to the execution (the simulated run of one seed, or one
 * {@code RealRuntime.run}) whose task uses it first; a task of any other execution that uses it
 * gets an {@link IllegalStateException}. Create it inside the body or task that uses it, not in a
 * static field.
 */
public final class Event {
    private final Binding binding = new Binding(this);
    private final ParkingLot waiters = new ParkingLot();
    private boolean set;

    /** Sets the flag and wakes every waiter, in the order they started waiting. Not a checkpoint. */
    public void set() {
        binding.task("Event.set");
        if (set) {
            return;
        }
        set = true;
        waiters.unparkAll();
    }

    /** Whether the flag is set. Not a checkpoint; callable outside any task too (after a run, say). */
    public boolean isSet() {
        binding.checkIfInTask("Event.isSet");
        return set;
    }

    /** Waits until the flag is set. A checkpoint, cancellable. */
    public void await() {
        Task me = binding.task("Event.await");
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

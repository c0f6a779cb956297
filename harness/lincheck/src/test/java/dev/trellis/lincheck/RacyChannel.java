package dev.trellis.lincheck;

import dev.trellis.runtime.Trellis;

import java.util.Optional;

/**
 * A bounded channel (capacity 2) with a lost update: a send reads the count, logs at a checkpoint,
 * then writes the slot it read. Two sends that interleave there both return true and store one
 * value. Deliberately broken: the check must catch it, with a seed that replays.
 */
public final class RacyChannel {
    private final Object[] slots = new Object[2];
    private int count;

    public boolean trySend(Object value) {
        int n = count;
        if (n == slots.length) {
            return false;
        }
        Trellis.note("storing " + value + " at " + n);   // a checkpoint between the check and the act
        Trellis.checkpoint();
        slots[n] = value;
        count = n + 1;
        return true;
    }

    public Optional<Object> tryReceive() {
        if (count == 0) {
            return Optional.empty();
        }
        Object v = slots[0];
        System.arraycopy(slots, 1, slots, 0, slots.length - 1);
        slots[--count] = null;
        return Optional.of(v);
    }

    public int size() {
        return count;
    }
}

package dev.trellis.runtime.spi;

/**
 * A fair wait queue with cancellation: trio's {@code ParkingLot} ({@code _core/_parking_lot.py}).
 * Every primitive that makes tasks wait (Event, Channel, the simulator's listeners, the in-memory
 * streams) parks them here, so the rules below are written, and tested, once.
 *
 * <ul>
 * <li>First in, first out: {@link #unpark} wakes the tasks that have waited longest, in the order
 *     they arrived. Nothing is ordered by identity, so a run replays in any JVM.
 * <li>Cancellable: a task whose scope is cancelled while it waits leaves the queue at that moment,
 *     before it runs again (trio's abort function), so a waker never picks a task that is about to
 *     raise {@code Cancelled}, and the count {@link #unpark} returns is of tasks that will go on.
 * <li>Waking is not a checkpoint: {@link #unpark} makes tasks ready and returns; the caller keeps
 *     the carrier.
 * </ul>
 *
 * <p>A waiter may carry a value for its waker to read ({@link #park(String, Object)}: a sender's
 * value), and a waker may hand one to it ({@link #unparkFirst}, {@link #unparkAll(Object)}: a
 * received value, or a channel's news that it closed), which is trio's
 * {@code reschedule(task, outcome)}. Only the task on the carrier touches a lot, so nothing here is
 * locked. Parking, leaving and waking one task each cost O(1).
 *
 * {@snippet :
 * ParkingLot waiters = new ParkingLot();
 * // a task:   while (!ready) waiters.park("ready");
 * // another:  ready = true; waiters.unparkAll();
 * }
 */
public final class ParkingLot {
    /** One waiting task, linked in arrival order; {@code lot} is null once it has left. */
    static final class Spot {
        final Task task;
        final Object carried;
        Object handed;
        ParkingLot lot;
        Spot prev;
        Spot next;

        Spot(Task task, Object carried) {
            this.task = task;
            this.carried = carried;
        }
    }

    private Spot head;
    private Spot tail;
    private int size;

    /**
     * Parks the current task until a waker takes it off the queue. A checkpoint for cancellation
     * only: a task already cancelled throws {@code Cancelled} without waiting, and so does one
     * cancelled while it waits, which leaves the queue as it is cancelled.
     *
     * @param reason what the task waits on, for traces and deadlock reports
     * @return what the waker handed over: null after {@link #unpark} or {@link #unparkAll()}
     */
    public Object park(String reason) {
        return park(reason, null);
    }

    /** Parks like {@link #park(String)}, carrying {@code carried} for the waker to read. */
    public Object park(String reason, Object carried) {
        Task me = Kernel.current("park");
        Spot spot = new Spot(me, carried);
        append(spot);
        me.spot = spot;
        try {
            me.kernel.park(reason, true);
        } finally {
            me.spot = null;
            // Still queued: the wait ended by a throw before or without a waker (the task was
            // cancelled before it parked, or the execution is being torn down).
            if (spot.lot == this) {
                remove(spot);
            }
        }
        return spot.handed;
    }

    /**
     * Wakes up to {@code count} tasks, longest waiting first, and returns how many it woke (fewer
     * when fewer wait). Not a checkpoint.
     */
    public int unpark(int count) {
        return wake(count, null);
    }

    /** Wakes every waiting task, in arrival order; returns how many. Not a checkpoint. */
    public int unparkAll() {
        return wake(size, null);
    }

    /** Wakes every waiting task, handing each {@code handed}; returns how many. Not a checkpoint. */
    public int unparkAll(Object handed) {
        return wake(size, handed);
    }

    /**
     * Wakes the task that has waited longest, hands it {@code handed}, and returns what it carried.
     * Not a checkpoint.
     *
     * @throws IllegalStateException if no task waits (check {@link #isEmpty} first)
     */
    public Object unparkFirst(Object handed) {
        Spot s = head;
        if (s == null) {
            throw new IllegalStateException("unparkFirst on an empty parking lot");
        }
        remove(s);
        s.handed = handed;
        s.task.kernel.wake(s.task);
        return s.carried;
    }

    /** How many tasks wait here now. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    private int wake(int count, Object handed) {
        if (count < 0) {
            throw new IllegalArgumentException("unpark count must be zero or positive, was [" + count + "]");
        }
        int woken = 0;
        while (woken < count && head != null) {
            Spot s = head;
            remove(s);
            s.handed = handed;
            s.task.kernel.wake(s.task);
            woken++;
        }
        return woken;
    }

    /**
     * trio's abort function for a lot: the kernel calls this as it cancels a task parked here, so
     * the task is off the queue before anyone else runs.
     */
    static void leave(Task task) {
        Spot s = task.spot;
        if (s != null && s.lot != null) {
            s.lot.remove(s);
        }
    }

    private void append(Spot s) {
        s.lot = this;
        s.prev = tail;
        if (tail == null) {
            head = s;
        } else {
            tail.next = s;
        }
        tail = s;
        size++;
    }

    private void remove(Spot s) {
        if (s.prev == null) {
            head = s.next;
        } else {
            s.prev.next = s.next;
        }
        if (s.next == null) {
            tail = s.prev;
        } else {
            s.next.prev = s.prev;
        }
        s.prev = null;
        s.next = null;
        s.lot = null;
        size--;
    }

    @Override
    public String toString() {
        return "ParkingLot[" + size + " parked]";
    }
}

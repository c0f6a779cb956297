package dev.trellis.runtime.spi;

/**
 * One task: a virtual thread the kernel schedules. Ids are dense and given in spawn order, so
 * every collection of tasks in the engines is ordered by id, never by identity.
 */
public final class Task {
    /** Where a task is in its life, as the kernel sees it. */
    public enum State {
        /** Its continuation is queued: it can be picked. */
        READY,
        /** On the carrier now. */
        RUNNING,
        /** Parked in a kernel wait ({@link Kernel#park}). */
        PARKED,
        /** Giving up the carrier at a schedule point. */
        YIELDING,
        /** Parked by code outside the kernel: a java.util.concurrent lock, a queue, a condition. */
        PARKED_ELSEWHERE,
        /** Its body returned or threw. */
        DONE,
        /**
         * Given up by its engine (see {@link Kernel#abandon}): parked for good where nothing of its
         * execution can wake it. It never runs again; its thread is left to the garbage collector.
         */
        ABANDONED
    }

    /** Told when a task ends, on the task's own thread, as its last action. */
    public interface EndListener {
        void ended(Task task, Throwable failure);
    }

    public final int id;
    public final String name;
    final Kernel kernel;
    final Task spawner;
    /** Who hears of the task's end; changes when trio-style {@code start} moves the task. */
    EndListener listener;
    /** The nursery it belongs to; changes when trio-style {@code start} moves the task. */
    int nurseryId;
    Thread thread;
    State state = State.READY;
    Scope innermost;
    String waitingOn;
    boolean cancellableWait;
    boolean wokenByCancel;
    /** Set while parked in {@link Kernel#parkUntilWoken}: where a cancellation goes instead of a wake. */
    java.util.function.Consumer<Error> abort;
    /** Where the task waits in a {@link ParkingLot}, so a cancellation can take it off the queue; null otherwise. */
    ParkingLot.Spot spot;
    /**
     * The cancelled scope whose cancellation interrupted the task's java.util.concurrent wait, so
     * that one cancellation interrupts one wait once (a wait that ignores interrupts and parks
     * again is not interrupted again and again); null once the task is back in the kernel.
     */
    Scope interruptedFor;
    /**
     * Set when the kernel interrupts the task for a cancellation; cleared when the task comes
     * back to the kernel with the interrupt unused, or when the InterruptedException it caused
     * is turned into a Cancelled. Only then is an InterruptedException the cancellation's; one
     * the application raises itself stays its own.
     */
    boolean cancelInterruptSent;
    long clearAtEpoch = -1;
    Scope clearForScope;
    Throwable failure;
    /** The task's neighbours among its innermost scope's residents (see {@link Scope}); null once it ended. */
    Task prevResident;
    Task nextResident;
    /** Whether the task waits in the kernel's queue of tasks a cancellation is being delivered to. */
    boolean deliveryQueued;
    /** Set by an engine when it learns where a task blocked outside the kernel. */
    StackTraceElement[] blockedAt;

    Task(Kernel kernel, int id, String name, Task spawner, Scope scope, int nurseryId, EndListener listener) {
        this.kernel = kernel;
        this.id = id;
        this.name = name;
        this.spawner = spawner;
        this.innermost = scope;
        this.nurseryId = nurseryId;
        this.listener = listener;
    }

    public State state() { return state; }
    public Thread thread() { return thread; }
    public Kernel kernel() { return kernel; }
    /** The nursery this task was started into, or -1 for a root task. */
    public int nurseryId() { return nurseryId; }
    /** What the task waits on while parked, for deadlock reports; null when not waiting. */
    public String waitingOn() { return waitingOn; }
    public Throwable failure() { return failure; }
    public Scope innermostScope() { return innermost; }
    public StackTraceElement[] blockedAt() { return blockedAt; }
    public void setBlockedAt(StackTraceElement[] frames) { this.blockedAt = frames; }
    public boolean isParked() { return state == State.PARKED; }
    /** Whether a cancellation interrupted this task's wait outside the kernel (a java.util.concurrent one). */
    public boolean interruptedByCancel() { return interruptedFor != null; }

    public void setState(State state) { this.state = state; }

    @Override
    public String toString() { return "task " + id + " '" + name + "'"; }
}

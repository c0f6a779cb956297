package dev.trellis.runtime;

import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.Scope;
import dev.trellis.runtime.spi.Task;
import dev.trellis.trace.TraceKind;

import java.util.ArrayList;
import java.util.List;

/**
 * A place to start tasks that cannot outlive it (trio's nursery). {@link #open} returns only
 * when every task started into the nursery has ended. The first failure cancels everything else
 * in the nursery and is rethrown by {@code open}, with later failures attached as suppressed.
 *
 * {@snippet :
 * Nursery.open(nursery -> {
 *     nursery.start("child1", () -> Trellis.sleep(Duration.ofSeconds(2)));
 *     nursery.start("child2", () -> Trellis.sleep(Duration.ofSeconds(5)));
 * });   // returns at t = 5 s
 * }
 *
 * <p>The block is a lambda rather than a try-with-resources body because the nursery must know
 * whether its block threw (to cancel the children) and must be able to absorb the
 * {@code Cancelled} its own cancellation raised, neither of which a {@code close()} method can.
 */
public final class Nursery {
    /** How a task started with {@link #startAndWait} says it is ready (trio's {@code task_status}). */
    public interface TaskStatus<T> {
        /** Ready: {@code startAndWait} returns {@code value}, and the task moves into its nursery. */
        void started(T value);

        /** Ready, with no value ({@code startAndWait} returns null). */
        default void started() {
            started(null);
        }
    }

    private final Kernel kernel;
    private final int id;
    private final Scope scope;
    private final CancelScope cancelScope;
    private final Task owner;
    private final List<Throwable> failures = new ArrayList<>();
    private int liveChildren;
    private boolean blockRunning = true;
    /** Calls of startAndWait that may yet move a task in: the nursery stays open for them. */
    private int pendingStarts;
    private boolean waiting;
    private boolean closed;

    private Nursery(Kernel kernel, int id, Scope scope, Task owner) {
        this.kernel = kernel;
        this.id = id;
        this.scope = scope;
        this.cancelScope = new CancelScope(kernel, scope);
        this.owner = owner;
    }

    /**
     * Opens a nursery, runs {@code block} in it, and waits for every child before returning.
     * The exit is a checkpoint, as in trio: a cancellation that reaches the owner while it waits
     * (or at the exit, when no child is left) joins the nursery's failures, so a nursery inside a
     * cancelled scope never returns normally unless its own scope absorbs that cancellation.
     */
    public static void open(Block<Nursery> block) throws Exception {
        Task owner = Kernel.current("Nursery.open");
        Kernel kernel = owner.kernel();
        Scope scope = kernel.cancellation().enterScope(false);
        Nursery nursery = new Nursery(kernel, kernel.newNurseryId(), scope, owner);
        kernel.record(TraceKind.NURSERY_OPEN, nursery.id, scope.id);
        try {
            block.run(nursery);
        } catch (Throwable e) {
            nursery.failed(kernel.asCancellation(owner, e), "the nursery's block");
        }
        nursery.awaitChildren();
        Throwable outcome = nursery.cancelScope.close(nursery.firstFailure(), nursery.cancellations());
        kernel.cancellation().exitScope(scope, nursery.cancelScope.cancelledCaught());
        kernel.record(TraceKind.NURSERY_CLOSE, nursery.id, outcome == null ? 0 : 1);
        CancelScope.rethrow(outcome);
    }

    /** trio's {@code _nested_child_finished}, after the block has ended. */
    private void awaitChildren() {
        blockRunning = false;
        checkClosed();
        if (closed) {
            // Nothing to wait for, but the exit is still a checkpoint, and a Cancelled raised
            // there joins the nursery's failures.
            try {
                kernel.checkpoint();
            } catch (Cancelled c) {
                failed(c, "the nursery's exit");
            }
            return;
        }
        // Wait for the children. A cancellation reaching the owner meanwhile is added to the
        // failures (which cancels the nursery's scope, and so the children) and the wait goes on:
        // the nursery outlives its children whatever happens to its owner.
        waiting = true;
        try {
            while (!closed) {
                kernel.parkUntilWoken("nursery close (waiting for its children)",
                        c -> failed(c, "the nursery's owner, waiting at its exit,"));
            }
        } finally {
            waiting = false;
        }
    }

    /**
     * Starts {@code body} as a new task in this nursery; it begins when the scheduler picks it.
     * Any task holding the nursery may start children, until the nursery has closed.
     *
     * @throws IllegalStateException if the nursery has already closed
     */
    public void start(String name, Body body) {
        refuseIfClosed(name);
        spawn(name, body);
    }

    private Task spawn(String name, Body body) {
        liveChildren++;
        return kernel.spawn(name, scope, id, this::childEnded, body::run);
    }

    private void refuseIfClosed(String name) {
        if (closed) {
            throw new IllegalStateException("Nursery " + id + " is closed to new arrivals: it closed when its "
                    + "block and all its children had ended, so '" + name + "' cannot start in it. Start the task while the "
                    + "nursery's block or one of its children is still running, or open a new nursery.");
        }
    }

    /**
     * Starts {@code body} as a new task and waits until it calls {@code status.started(value)},
     * then returns {@code value}, and the task goes on in this nursery (trio's
     * {@code nursery.start}; {@link #start} is trio's {@code start_soon}). Until then the task
     * runs as if inside this call: a failure before {@code started} is thrown here, not into the
     * nursery, and cancelling the caller cancels the task. A server uses it to return its bound
     * address only once it listens:
     *
     * {@snippet :
     * Address address = nursery.startAndWait("server", status -> {
     *     try (Listener listener = net.listen(Address.of("127.0.0.1", 0))) {
     *         status.started(listener.address());
     *         net.serve(listener, handler);
     *     }
     * });
     * }
     *
     * @throws IllegalStateException if the nursery has closed, or the task ended without calling
     *         {@code started}
     */
    public <T> T startAndWait(String name, Block<TaskStatus<T>> body) throws Exception {
        refuseIfClosed(name);
        pendingStarts++;
        try {
            Status<T> status = new Status<>(name);
            // trio: the task starts in a nursery of the caller's, and started() moves it here.
            open(temporary -> {
                status.temporary = temporary;
                status.task = temporary.spawn(name, () -> body.run(status));
            });
            if (!status.called) {
                throw new IllegalStateException("'" + name + "' ended without calling status.started(), so startAndWait "
                        + "has no value to return; call started() once the task is ready, or use start(name, body)");
            }
            return status.value;
        } finally {
            pendingStarts--;
            checkClosed();
        }
    }

    /** trio's {@code _TaskStatus}: one task's way into this nursery. */
    private final class Status<T> implements TaskStatus<T> {
        private final String name;
        Nursery temporary;
        Task task;
        boolean called;
        T value;

        Status(String name) {
            this.name = name;
        }

        @Override
        public void started(T v) {
            if (Kernel.current("TaskStatus.started") != task) {
                throw new IllegalStateException("status.started() must be called by '" + name + "', the task being started");
            }
            if (called) {
                throw new IllegalStateException("status.started() called twice by '" + name + "'");
            }
            called = true;
            value = v;
            // trio: if the caller's side is cancelled, stay there; the task will end on its own, and
            // its Cancelled must not land where no cancelled scope is left to absorb it.
            if (temporary.scope.isEffectivelyCancelled()) {
                return;
            }
            temporary.liveChildren--;
            liveChildren++;
            kernel.cancellation().reparent(task, temporary.scope, scope, id, Nursery.this::childEnded);
            temporary.checkClosed();
        }
    }

    /**
     * The nursery's own cancel scope, the same object on every call: cancelling it cancels the
     * block and every child; once {@link #open} has returned or thrown, its
     * {@link CancelScope#cancelledCaught()} says whether the nursery absorbed a cancellation.
     */
    public CancelScope cancelScope() {
        return cancelScope;
    }

    /** How many children are still running. */
    public int liveChildren() {
        return liveChildren;
    }

    private void childEnded(Task child, Throwable failure) {
        liveChildren--;
        if (failure != null) {
            failed(kernel.asCancellation(child, failure), child.toString());
        }
        checkClosed();
    }

    /**
     * trio's {@code _check_nursery_closed}: once the block has ended and no child is left, the
     * nursery is closed to new arrivals at once, before the owner's exit checkpoint, so a task
     * that starts into it from then on is refused rather than left to run unwatched.
     */
    private void checkClosed() {
        if (blockRunning || liveChildren > 0 || pendingStarts > 0 || closed) {
            return;
        }
        closed = true;
        if (waiting) {
            kernel.wake(owner);
        }
    }

    /**
     * trio's {@code Nursery._add_exc}: every failure, a Cancelled included, is kept and cancels
     * the nursery's scope.
     */
    private void failed(Throwable e, String who) {
        failures.add(e);
        kernel.cancellation().cancel(scope, who + (e instanceof Cancelled ? " ended with Cancelled" : " failed with " + e.getClass().getSimpleName()));
    }

    /*
     * trio gathers a nursery's failures into one MultiError and lets its scope split the
     * Cancelleds out. Java has one exception at a time: the first real failure leaves, the later
     * ones suppressed on it, and a cancellation beside it is handed to the scope separately
     * (CancelScope.close), which absorbs it or attaches it to the failure for an outer scope.
     */

    /** The first real (not Cancelled) failure, the later ones suppressed on it; null if none. */
    private Throwable firstFailure() {
        Throwable first = null;
        for (Throwable e : failures) {
            if (e instanceof Cancelled) {
                continue;
            }
            if (first == null) {
                first = e;
            } else if (first != e) {
                first.addSuppressed(e);
            }
        }
        return first;
    }

    /** Every pending Cancelled among the failures, thrown or riding on one, in order. */
    private List<Cancelled> cancellations() {
        List<Cancelled> out = new ArrayList<>();
        for (Throwable e : failures) {
            Cancelled c = Cancelled.pendingIn(kernel, e);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "Nursery[" + id + ", " + liveChildren + " live]";
    }
}

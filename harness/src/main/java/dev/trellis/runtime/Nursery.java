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
    /** The block of a nursery: starts children, may do work of its own. */
    @FunctionalInterface
    public interface Block {
        void run(Nursery nursery) throws Exception;
    }

    private final Kernel kernel;
    private final int id;
    private final Scope scope;
    private final CancelScope cancelScope;
    private final Task owner;
    private final List<Throwable> failures = new ArrayList<>();
    private int liveChildren;
    private boolean blockRunning = true;
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
    public static void open(Block block) throws Exception {
        Task owner = Kernel.current("Nursery.open");
        Kernel kernel = owner.kernel();
        Scope scope = kernel.enterScope(false);
        Nursery nursery = new Nursery(kernel, kernel.newNurseryId(), scope, owner);
        kernel.record(TraceKind.NURSERY_OPEN, nursery.id, scope.id);
        try {
            block.run(nursery);
        } catch (Throwable e) {
            nursery.failed(kernel.asCancellation(owner, e), "the nursery's block");
        }
        nursery.awaitChildren();
        Throwable outcome = nursery.cancelScope.close(nursery.firstFailure(), nursery.cancellations());
        kernel.exitScope(scope, nursery.cancelScope.cancelledCaught());
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
        if (closed) {
            throw new IllegalStateException("Nursery " + id + " is closed to new arrivals: it closed when its "
                    + "block and all its children had ended, so '" + name + "' cannot start in it. Start the task while the "
                    + "nursery's block or one of its children is still running, or open a new nursery.");
        }
        liveChildren++;
        kernel.spawn(name, scope, id, this::childEnded, body::run);
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
        if (blockRunning || liveChildren > 0 || closed) {
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
        kernel.cancel(scope, who + (e instanceof Cancelled ? " ended with Cancelled" : " failed with " + e.getClass().getSimpleName()));
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

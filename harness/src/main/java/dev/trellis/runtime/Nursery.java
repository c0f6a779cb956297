package dev.trellis.runtime;

import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.Scope;
import dev.trellis.runtime.spi.Task;
import dev.trellis.runtime.spi.TraceKind;

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
    private final Task owner;
    private final List<Throwable> failures = new ArrayList<>();
    private int liveChildren;
    private boolean waiting;
    private boolean closed;

    private Nursery(Kernel kernel, int id, Scope scope, Task owner) {
        this.kernel = kernel;
        this.id = id;
        this.scope = scope;
        this.owner = owner;
    }

    /** Opens a nursery, runs {@code block} in it, and waits for every child before returning. */
    public static void open(Block block) throws Exception {
        Task owner = Kernel.current("Nursery.open");
        Kernel kernel = owner.kernel();
        Scope scope = kernel.enterScope(false);
        Nursery nursery = new Nursery(kernel, kernel.newNurseryId(), scope, owner);
        kernel.record(TraceKind.NURSERY_OPEN, nursery.id, scope.id);
        try {
            block.run(nursery);
        } catch (Throwable e) {
            nursery.failed(e, "the nursery's block");
        }
        nursery.waiting = true;
        try {
            while (nursery.liveChildren > 0) {
                // Not cancellable: cancellation reaches the children through the scope, and the
                // nursery must outlive them whatever happens to its owner.
                kernel.park("nursery close (waiting for its children)", false);
            }
        } finally {
            nursery.waiting = false;
        }
        nursery.closed = true;
        Throwable outcome = nursery.outcome();
        kernel.exitScope(scope, outcome == null && !nursery.failures.isEmpty());
        kernel.record(TraceKind.NURSERY_CLOSE, nursery.id, outcome == null ? 0 : 1);
        if (outcome instanceof Exception e) {
            throw e;
        }
        if (outcome instanceof Error e) {
            throw e;
        }
        if (outcome != null) {
            throw new IllegalStateException(outcome);
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
            throw new IllegalStateException("Nursery " + id + " is closed to new arrivals: it closed when all its "
                    + "children had ended, so '" + name + "' cannot start in it. Start the task while the "
                    + "nursery's block or one of its children is still running, or open a new nursery.");
        }
        liveChildren++;
        kernel.spawn(name, scope, id, this::childEnded, body);
    }

    /** The nursery's own cancel scope: cancelling it cancels the block and every child. */
    public CancelScope cancelScope() {
        return CancelScope.of(kernel, scope);
    }

    /** How many children are still running. */
    public int liveChildren() {
        return liveChildren;
    }

    private void childEnded(Task child, Throwable failure) {
        liveChildren--;
        if (failure != null) {
            failed(failure, child.toString());
        }
        if (liveChildren == 0 && waiting) {
            kernel.wake(owner);
        }
    }

    private void failed(Throwable e, String who) {
        failures.add(e);
        if (!(e instanceof Cancelled)) {
            kernel.cancel(scope, who + " failed with " + e.getClass().getSimpleName());
        }
    }

    /**
     * What {@code open} throws: the first real failure, later ones suppressed; else a Cancelled
     * the nursery's scope does not absorb; else nothing.
     */
    private Throwable outcome() {
        Throwable first = null;
        Cancelled cancelled = null;
        for (Throwable e : failures) {
            if (e instanceof Cancelled c) {
                if (cancelled == null) {
                    cancelled = c;
                }
            } else if (first == null) {
                first = e;
            } else if (first != e) {
                first.addSuppressed(e);
            }
        }
        if (first != null) {
            return first;
        }
        if (cancelled != null && !scope.absorbsCancellation()) {
            return cancelled;
        }
        return null;
    }

    @Override
    public String toString() {
        return "Nursery[" + id + ", " + liveChildren + " live]";
    }
}

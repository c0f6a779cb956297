package dev.trellis.runtime.spi;

import dev.trellis.trace.TraceKind;

import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The cancel state of one kernel's scope tree and its delivery to tasks: opening and closing
 * scopes, cancelling them, deadlines, shields, moving a started task to its nursery, and waking
 * or interrupting the tasks a cancellation reaches. One per {@link Kernel}, reached through
 * {@link Kernel#cancellation()}. (Not to be confused with {@link Kernel.Cancellations}, which
 * only makes the runtime's exception.)
 *
 * <p>Raising the cancellation is the kernel's, on every checkpoint: each change here bumps the
 * kernel's {@code cancelEpoch}, and a checkpoint walks the scope chain only when it moved since
 * the task last found itself clear. Like the kernel, this needs no lock: only the task on the
 * carrier, or the engine between steps, touches it.
 */
public final class Cancellation {
    private final Kernel kernel;
    private int nextScopeId;

    Cancellation(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Opens a scope inside the current task's innermost one and makes it the innermost. */
    public Scope enterScope(boolean shield) {
        Task task = Kernel.current("CancelScope");
        CancelInterrupts.backInKernel(task);
        Scope s = new Scope(kernel, nextScopeId++, task.innermost);
        s.shield = shield;
        Scope.moveResident(task, s.parent, s);
        task.innermost = s;
        kernel.trace(TraceKind.SCOPE_ENTER, task, s.id, s.parent == null ? -1 : s.parent.id, null);
        return s;
    }

    /** Closes the current task's innermost scope, which must be {@code s}. */
    public void exitScope(Scope s, boolean absorbed) {
        Task task = Kernel.current("CancelScope");
        CancelInterrupts.backInKernel(task);
        if (task.innermost != s) {
            throw new IllegalStateException("cancel scopes closed out of order: " + s + " is not the innermost of " + task);
        }
        Scope.moveResident(task, s, s.parent);
        task.innermost = s.parent;
        s.exited = true;
        if (s.deadlineTimer != null) {
            s.deadlineTimer.cancel();
        }
        kernel.trace(TraceKind.SCOPE_EXIT, task, s.id, absorbed ? 1 : 0, null);
    }

    /**
     * Moves {@code task}, started into the nursery whose scope is {@code from}, into the nursery
     * {@code nurseryId} whose scope is {@code to}, with {@code listener} to hear of its end: trio's
     * {@code TaskStatus.started}. The scopes the task opened since move with it, and so does
     * everything started inside them; if the new place is cancelled, the task and everything
     * under it see it from their next checkpoint, and their cancellable waits are woken now.
     */
    public void reparent(Task task, Scope from, Scope to, int nurseryId, Task.EndListener listener) {
        Scope moved = null;
        if (task.innermost == from) {
            Scope.moveResident(task, from, to);
            task.innermost = to;
        } else {
            moved = task.innermost;
            while (moved != null && moved.parent != from) {
                moved = moved.parent;
            }
            if (moved == null) {
                throw new IllegalStateException(task + " is not inside " + from + ", so it cannot be moved out of it");
            }
            moved.moveUnder(to);
        }
        int old = task.nurseryId;
        task.nurseryId = nurseryId;
        task.listener = listener;
        kernel.cancelEpoch++;
        kernel.trace(TraceKind.REPARENT, task, old, nurseryId, null);
        // Only what moved can have a new cancellation status.
        if (moved == null) {
            deliverTo(task);
        } else {
            deliverCancellations(moved);
        }
    }

    /**
     * Cancels a scope: every task parked cancellably under it is woken to see Cancelled. Costs
     * the number of tasks inside the scope (and the scopes they are in), not the number of tasks.
     */
    public void cancel(Scope s, String why) {
        if (s.cancelled) {
            return;
        }
        s.cancelled = true;
        s.cancelReason = why;
        kernel.cancelEpoch++;
        kernel.trace(TraceKind.CANCEL, kernel.running, s.id, 0, why);
        deliverCancellations(s);
    }

    private static final Comparator<Task> BY_ID = Comparator.comparingInt(t -> t.id);
    /** Tasks a delivery has yet to visit, lowest id first; empty between deliveries. */
    private final PriorityQueue<Task> toDeliver = new PriorityQueue<>(BY_ID);
    private long deliveryVisits;

    /**
     * Delivers the cancellation of {@code under}, or the outer one its lifted shield lets in, to
     * the tasks it reaches: those whose chain of scopes passes through {@code under} with no
     * shield below it. Only their cancellation status can have changed. They are visited in id
     * order, as a scan of every task would visit them.
     *
     * <p>A visit can cancel another scope (a nursery's owner, cancelled as it waits at the exit,
     * cancels the nursery's scope), whose delivery runs inside this one. The queue is shared, so
     * that nested delivery visits its own tasks and the ones left in this delivery together, in
     * id order, as a nested scan would; the rest of this delivery then finds the queue empty.
     */
    private void deliverCancellations(Scope under) {
        for (Scope s = under; s != null; s = s.nextReached(under)) {
            for (Task t = s.firstResident; t != null; t = t.nextResident) {
                if (!t.deliveryQueued) {
                    t.deliveryQueued = true;
                    toDeliver.add(t);
                }
            }
        }
        try {
            Task t;
            while ((t = toDeliver.poll()) != null) {
                t.deliveryQueued = false;
                deliveryVisits++;
                deliverTo(t);
            }
        } catch (Throwable e) {
            // A delivery that failed half way leaves nothing queued for a later one to visit.
            for (Task t : toDeliver) {
                t.deliveryQueued = false;
            }
            toDeliver.clear();
            throw e;
        }
    }

    private void deliverTo(Task t) {
        if (t.state == Task.State.DONE) {
            return;
        }
        Scope cancelling = Scope.effectiveCancel(t.innermost);
        if (cancelling == null) {
            return;
        }
        if (t.state == Task.State.PARKED && t.cancellableWait) {
            t.wokenByCancel = true;
            // Off its wait queue now, not when it next runs: until then a waker would pick a
            // task that is about to raise Cancelled instead of one that waits on.
            ParkingLot.leave(t);
            kernel.wake(t);
        } else if (t.state == Task.State.PARKED && t.abort != null) {
            Consumer<Error> abort = t.abort;
            t.abort = null;
            abort.accept(kernel.cancellationOf(t));
        } else {
            CancelInterrupts.send(t, cancelling);
        }
    }

    /**
     * How many times, in this execution, delivering a cancellation has visited a task: each
     * cancel and each lifted shield visits the tasks inside its scope, and no others. For tests
     * and measurements.
     */
    public long visits() {
        return deliveryVisits;
    }

    /** Moves a scope's deadline (ns, engine time); see {@link #setDeadline(Scope, long, boolean)}. */
    public void setDeadline(Scope s, long deadline) {
        setDeadline(s, deadline, false);
    }

    /**
     * Sets or moves a scope's deadline (ns, engine time). As in trio, a scope entered with a
     * deadline already past is cancelled at once ({@code CancelScope.__enter__}); a deadline moved
     * into the past later is due now and fires at the next pass through the scheduler, so moving
     * it out again before that undoes it.
     */
    public void setDeadline(Scope s, long deadline, boolean entering) {
        if (s.deadlineTimer != null) {
            s.deadlineTimer.cancel();
            s.deadlineTimer = null;
        }
        s.deadline = deadline;
        kernel.trace(TraceKind.DEADLINE, kernel.running, s.id, deadline, null);
        if (deadline == Long.MAX_VALUE || s.cancelled || s.exited) {
            return;
        }
        if (entering && deadline <= kernel.nanoTime()) {
            cancel(s, "deadline");
        } else {
            s.deadlineTimer = kernel.timers.add(deadline, null, s);
        }
    }

    public void setShield(Scope s, boolean shield) {
        s.shield = shield;
        kernel.cancelEpoch++;
        if (!shield) {
            // Removing a shield can expose an outer cancellation to the tasks inside.
            deliverCancellations(s);
        }
    }

    /**
     * The cancellation that rides on {@code failure}: a nursery that ends with a real failure and a
     * cancellation its own scope does not absorb throws the failure and records the Cancelled
     * here, for the scope it belongs to (trio's exception group {@code {Cancelled, E}}). Keyed by
     * identity, looked up only, never iterated; it lives as long as the execution.
     */
    public Error riding(Throwable failure) {
        return riding.get(failure);
    }

    /** Records that {@code cancelled} rides on {@code failure}; see {@link #riding}. */
    public void ride(Throwable failure, Error cancelled) {
        riding.put(failure, cancelled);
    }

    /**
     * Forgets what rides on {@code failure}, once the scope it belongs to absorbed it: a server whose
     * connections fail beside a cancellation, thousands a day, would otherwise keep every one.
     */
    public void unride(Throwable failure) {
        riding.remove(failure);
    }

    /** How many failures carry a cancellation now: for tests of what the runtime keeps. */
    public int ridingCount() {
        return riding.size();
    }

    /** Looked up by the failure's identity, never iterated: its hash order can reach nothing. */
    private final Map<Throwable, Error> riding = new IdentityHashMap<>();
}

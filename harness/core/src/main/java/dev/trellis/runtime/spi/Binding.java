package dev.trellis.runtime.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Binds a primitive (an Event, a Channel) to the execution whose task uses it first. A task of
 * any other execution that uses it gets an {@link IllegalStateException} at once.
 *
 * <p>Why: a primitive kept in a static field would otherwise carry its state (a set flag,
 * buffered values, tasks of a finished run still queued) from one seed into the next, and waking
 * its waiters would touch another execution's tasks. Seed N would then depend on the seeds run
 * before it in the same JVM, and a failing seed would not replay alone.
 *
 * <p>Costs a volatile read and an identity comparison per call. Volatile, and bound by a
 * compare-and-set, because executions on two threads (simulations run in parallel, say) may
 * reach one static primitive at once: exactly one of them binds it, and the other fails.
 */
public final class Binding {
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(Binding.class, "owner", Kernel.Identity.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object primitive;
    private volatile Kernel.Identity owner;

    /** {@code primitive} names the primitive in errors, through its {@code toString}. */
    public Binding(Object primitive) {
        this.primitive = primitive;
    }

    /**
     * The calling task, once it is known to belong to the primitive's execution; the first call
     * from a task binds the primitive to that task's execution.
     *
     * @param call the method called, for errors ("Event.await")
     * @throws IllegalStateException if no Trellis task calls, or one of another execution does
     */
    public Task task(String call) {
        Task me = Kernel.current(call);
        Kernel.Identity here = me.kernel.identity();
        Kernel.Identity bound = owner;
        if (bound != here && (bound != null || !OWNER.compareAndSet(this, null, here))) {
            throw foreign(call, me, here);
        }
        return me;
    }

    /**
     * For calls that also work outside any task (reading a flag once a run is over): checks, and
     * binds, only when a task calls.
     */
    public void checkIfInTask(String call) {
        if (Kernel.currentOrNull() != null) {
            task(call);
        }
    }

    private IllegalStateException foreign(String call, Task caller, Kernel.Identity here) {
        return new IllegalStateException(primitive + " belongs to another execution: it was first used in "
                + owner + ", and " + call + " was called from " + caller + " of " + here + ". A primitive "
                + "belongs to the execution that first uses it, so that nothing (a set flag, buffered values, "
                + "waiting tasks) carries over from one run or seed into the next. Create it inside the body "
                + "or task that uses it, not in a static field or any object shared between runs.");
    }
}

package dev.trellis.runtime.spi;

import dev.trellis.trace.TraceKind;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The machinery both engines share: tasks on virtual threads, kernel waits, wake-ups, cancel
 * scopes (their state and its delivery live in {@link Cancellation}), timers. At most one task
 * runs at a time, so none of this state needs a lock: everything here is touched only by the task
 * on the carrier, or by the engine's loop between steps.
 *
 * <p>An engine supplies four things: where continuations go ({@link #submit}), what time it is
 * ({@link #nanoTime}), whether a schedule point should give up the carrier
 * ({@link #othersWaiting}), and, if it records, a trace ({@link #trace}). The loop that runs the
 * continuations is the engine's own.
 */
public abstract class Kernel {
    private boolean tracksRunning;
    private static final LongAdder THREADS_STARTED = new LongAdder();
    private static final LongAdder THREADS_ENDED = new LongAdder();
    private static final LongAdder THREADS_ABANDONED = new LongAdder();

    /** What only the kernel holds, to create the runtime's cancellation exception. */
    public static final class Proof {
        private Proof() {}
    }

    private static final Proof PROOF = new Proof();

    /** The code of a task. */
    @FunctionalInterface
    public interface TaskBody {
        void run() throws Exception;
    }

    /**
     * How the kernel makes the runtime's cancellation exception (the runtime's {@code Cancelled},
     * whose constructor asks for the {@link Proof} only the kernel has) without depending on the
     * runtime's package: {@code Cancelled} registers one as its class is initialised
     * ({@link #register}), and a kernel finds it there, so no exported signature names the kernel.
     */
    public interface Cancellations {
        Error create(String message, Proof proof);

        boolean isCancellation(Throwable t);
    }

    /** The runtime's class that registers its {@link Cancellations}, loaded by name (the kernel does not depend on it). */
    private static final String CANCELLED = "dev.trellis.runtime.Cancelled";
    private static volatile Cancellations registered;

    /** Called once, by the runtime's cancellation class as it is initialised. */
    public static void register(Cancellations kind) {
        registered = kind;
    }

    private static Cancellations registered() {
        if (registered == null) {
            try {
                Class.forName(CANCELLED, true, Kernel.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("the runtime's " + CANCELLED + " is not on the class path", e);
            }
        }
        return registered;
    }

    private final Cancellations cancellations;

    /** Every task spawned, by id, for engines that keep them ({@link #retainsTasks}). */
    protected final List<Task> tasks = new ArrayList<>();
    private int nextTaskId;
    protected final Timers timers = new Timers();
    /** The task on the carrier now, or null between steps. */
    protected Task running;
    /** The task whose thread is being started: its first continuation arrives during start(). */
    protected Task starting;
    /** The thread starting it: a continuation submitted by any other thread is not its first. */
    protected Thread startingOn;
    /** The task the kernel is waking or yielding: its continuation is the next to arrive. */
    protected Task expected;
    protected int live;
    /** Set when the execution is being torn down: every kernel wait then throws. */
    protected volatile String abortReason;
    private final Thread.Builder.OfVirtual builder;
    /** Where this kernel starts its task threads: not the JDK's root container (see TaskThreads). */
    private final TaskThreads taskThreads;
    /** The name of the task thread {@link #newTaskThread} makes next. */
    private String nextThreadName;
    /** True while the kernel itself constructs a task's thread (see {@link #creatingTaskThread}). */
    private boolean creatingTaskThread;
    /** Whether this kernel has abandoned a task (see {@link #abandon}). */
    private boolean abandonedAny;
    /**
     * Bumped by every cancel and shield change ({@link Cancellation}), so a task can remember it
     * was not cancelled. Kept here, not there: every checkpoint reads it.
     */
    long cancelEpoch;
    private int nextNurseryId;

    /** A kernel whose task threads live in {@code taskThreads}, which no other kernel uses meanwhile. */
    protected Kernel(TaskThreads taskThreads) {
        this.cancellations = registered();
        this.taskThreads = taskThreads;
        this.builder = VirtualThreads.builder(this::submit);
    }

    // ---- the engine's part ------------------------------------------------------------------

    /** Receives a continuation to run: a task was started, woken or yielded. Any thread may call. */
    protected abstract void submit(Runnable continuation);

    /** Now, in nanoseconds since the execution began (virtual in the simulator). */
    public abstract long nanoTime();

    /** Whether another task could run now: if not, a schedule point keeps the carrier. */
    protected abstract boolean othersWaiting();

    /**
     * Whether a schedule point parks (the engine then requeues a task it finds YIELDING after
     * its step) rather than calling Thread.yield.
     */
    protected boolean yieldByParking() {
        return false;
    }

    /** A schedule point where nobody else could run: engines count it against their step limit. */
    protected void loneYield(Task task) {}

    /**
     * Decides a schedule point without leaving the carrier: true when the engine picked the
     * yielding task itself to run next (the step is recorded as any other), which saves a park
     * and an unpark. False means another task was picked: the caller then gives up the carrier.
     */
    protected boolean continueAfterYield(Task task) {
        return false;
    }

    /** Records an event; engines that keep no trace ignore it. */
    protected void trace(int kind, Task task, long a, long b, String text) {}

    /** A value in [0, bound) from the execution's decision stream (seeded in the simulator). */
    public abstract long draw(long bound);

    /**
     * A service of this runtime by its type (the network), or null if it offers none. The kernel
     * does not know the runtime's types; each engine answers for the ones it provides.
     */
    public <T> T service(Class<T> type) {
        return null;
    }

    /**
     * What names this execution in messages (which seed, which run), through its
     * {@code toString}, which is read only when a message needs it: an execution does not pay
     * for a name nobody reads. Primitives bound to the execution keep it, so it must hold no
     * part of the execution (a value such as its schedule, not the kernel or its tasks).
     * Called once the engine is running.
     */
    protected Object describe() {
        return getClass().getSimpleName();
    }

    // ---- the execution primitives belong to (see Binding) -----------------------------------

    /**
     * One execution, as the primitives bound to it remember it: its name and nothing else, so a
     * primitive that outlives its execution (one kept in a static field) keeps none of its tasks
     * alive. Compared by identity: two runs of one seed are two executions.
     */
    public static final class Identity {
        private final Object name;

        private Identity(Object name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return String.valueOf(name);
        }
    }

    private Identity identity;

    /** This execution's identity, made on first use (by then the engine can describe itself). */
    public final Identity identity() {
        Identity i = identity;
        if (i == null) {
            i = new Identity(describe());
            identity = i;
        }
        return i;
    }

    // ---- finding the current task (see CurrentTask) -----------------------------------------

    /** Engines call this just before running a task's continuation, so its lookups hit the cache. */
    protected static void enter(Task task) {
        CurrentTask.enter(task);
    }

    /** The task running this code, or null when not called from a Trellis task. */
    public static Task currentOrNull() {
        return CurrentTask.orNull();
    }

    /** The task running this code; {@code what} names the call for the error when there is none. */
    public static Task current(String what) {
        return CurrentTask.get(what);
    }

    /**
     * Engines that track their running task on every step (the simulator) register here, and
     * their tasks skip the scoped-value binding: four fewer frames on every task's stack.
     */
    protected final void trackRunningTask(boolean on) {
        CurrentTask.track(this, on);
        tracksRunning = on;
    }

    /** The task on this kernel's carrier now, or null; read by {@link CurrentTask}. */
    Task runningTask() {
        return running;
    }

    // ---- tasks ------------------------------------------------------------------------------

    /**
     * Whether {@link #tasks} keeps every task spawned (the simulator looks tasks up by id and
     * reports on all of them). An engine that runs servers for days says no: a task it no longer
     * runs must not stay reachable.
     */
    protected boolean retainsTasks() {
        return true;
    }

    /** Starts a task; it becomes ready and runs when the engine picks it. */
    public Task spawn(String name, Scope scope, int nurseryId, Task.EndListener listener, TaskBody body) {
        checkNotAborting();
        Task spawner = running;
        Task task = new Task(this, nextTaskId++, name, spawner, scope, nurseryId, listener);
        if (retainsTasks()) {
            tasks.add(task);
        }
        Scope.moveResident(task, null, scope);
        live++;
        Runnable code = () -> {
            try {
                if (tracksRunning) {
                    runTask(task, body);
                } else {
                    CurrentTask.runBound(task, () -> runTask(task, body));
                }
            } finally {
                THREADS_ENDED.increment();
            }
        };
        THREADS_STARTED.increment();
        trace(TraceKind.SPAWN, task, spawner == null ? -1 : spawner.id, nurseryId, name);
        Task previous = starting;
        Thread previousOn = startingOn;
        starting = task;
        startingOn = Thread.currentThread();
        nextThreadName = name;
        try {
            // Makes the thread (newTaskThread) and starts it; its first continuation arrives meanwhile.
            taskThreads.start(this, code);
        } finally {
            starting = previous;
            startingOn = previousOn;
        }
        return task;
    }

    /**
     * The container's thread factory, called inside {@link #spawn}: the thread of the task being
     * started, a virtual thread whose continuations go to {@link #submit}.
     */
    Thread newTaskThread(Runnable code) {
        creatingTaskThread = true;
        try {
            Thread thread = builder.name(nextThreadName).unstarted(code);
            starting.thread = thread;
            return thread;
        } finally {
            creatingTaskThread = false;
        }
    }

    /** Where this kernel's task threads live. */
    protected final TaskThreads taskThreads() {
        return taskThreads;
    }

    /**
     * Whether this kernel is constructing a task's thread right now: an engine that watches the
     * threads its tasks create (the simulator) tells the kernel's own from the application's.
     */
    protected final boolean creatingTaskThread() {
        return creatingTaskThread;
    }

    private void runTask(Task task, TaskBody body) {
        Throwable failure = null;
        // The simulator set this already; the real runtime learns here that the task is on the
        // carrier, so that until it parks in the kernel, a cancellation knows to interrupt it.
        task.state = Task.State.RUNNING;
        try {
            body.run();
        } catch (Throwable e) {
            failure = e;
        }
        task.failure = failure;
        task.state = Task.State.DONE;
        live--;
        // An ended task leaves its scope's residents (innermost stays: the listener reads it).
        Scope.moveResident(task, task.innermost, null);
        int how = failure == null ? 0
                : cancellations.isCancellation(failure) || CancelInterrupts.caused(task, failure) ? 2
                : failure instanceof ExecutionAborted ? 3 : 1;
        trace(TraceKind.END, task, how, 0, failure == null ? null : failure.getClass().getName());
        if (task.listener != null) {
            task.listener.ended(task, failure);
        }
        // Its last act: nothing of this execution stays reachable through the lookup cache.
        CurrentTask.forget(task);
    }

    /**
     * Task threads started and neither finished nor abandoned, across every kernel in this JVM:
     * zero whenever no execution is running, or a thread has leaked.
     */
    public static long liveTaskThreads() {
        return THREADS_STARTED.sum() - THREADS_ENDED.sum() - THREADS_ABANDONED.sum();
    }

    /**
     * Task threads abandoned so far, across every kernel in this JVM (see {@link #abandon}). They
     * never finish; they are not leaked either, once the garbage collector has taken them.
     */
    public static long abandonedTaskThreads() {
        return THREADS_ABANDONED.sum();
    }

    /**
     * Gives up on a task whose thread is parked where nothing of this execution can wake it: a
     * wait that ignores interrupts (ReentrantLock.lock) on something only other such tasks could
     * release. Such a thread cannot be made to unwind (the JDK has no way to throw into a parked
     * thread), so it is left parked, never to run again, and forgotten: the container it lives in
     * is retired ({@link TaskThreads#retire}), so only this kernel and the thread's own wait still
     * reach it, and the lookup cache lets go of it now. An engine calls this only once the
     * execution is over.
     */
    protected final void abandon(Task task) {
        if (task.state == Task.State.DONE || task.state == Task.State.ABANDONED) {
            return;
        }
        if (!abandonedAny) {
            abandonedAny = true;
            // Later kernels sharing these task threads start theirs in a new container.
            taskThreads.retire();
        }
        task.state = Task.State.ABANDONED;
        live--;
        THREADS_ABANDONED.increment();
        CurrentTask.forget(task);
    }

    // ---- waiting and waking -----------------------------------------------------------------

    /**
     * Parks the current task until {@link #wake} (or, when {@code cancellable}, until a scope on
     * its chain is cancelled, which throws the runtime's {@code Cancelled}). Primitives wait
     * through a {@link ParkingLot}, which queues the task where a waker finds it and takes it off
     * the queue when the wait ends, however it ends.
     */
    public void park(String reason, boolean cancellable) {
        Task task = current("park");
        CancelInterrupts.backInKernel(task);
        if (cancellable) {
            raiseIfCancelled(task);
        }
        checkNotAborting();
        task.state = Task.State.PARKED;
        task.waitingOn = reason;
        task.cancellableWait = cancellable;
        trace(TraceKind.PARK, task, 0, 0, reason);
        parkWhile(task, Task.State.PARKED);
        task.state = Task.State.RUNNING;
        task.waitingOn = null;
        checkNotAborting();
        if (task.wokenByCancel) {
            task.wokenByCancel = false;
            throwIfCancelled(task);
        }
    }

    /**
     * Parks the current task until {@link #wake}, like a non-cancellable {@link #park}, except
     * that a cancellation reaching the task is handed to {@code abort} (once, on the canceller's
     * thread, or at once if the task is already cancelled) and the wait goes on. This is trio's
     * {@code wait_task_rescheduled} with an abort function that returns {@code Abort.FAILED}, as
     * a nursery's exit uses it ({@code _nested_child_finished}).
     */
    public void parkUntilWoken(String reason, Consumer<Error> abort) {
        Task task = current("park");
        checkNotAborting();
        Error already = cancellationOf(task);
        if (already != null) {
            abort.accept(already);
        } else {
            task.abort = abort;
        }
        try {
            park(reason, false);
        } finally {
            task.abort = null;
        }
    }

    /** Parks until the task's state leaves {@code state}; an interrupt (ours) must not make it spin. */
    private static void parkWhile(Task task, Task.State state) {
        do {
            LockSupport.park();
            if (Thread.interrupted()) {
                // Interrupts are the kernel's way to cancel a java.util.concurrent wait; one left
                // over from such a wait would make every later park return at once.
                CancelInterrupts.spent(task);
            }
        } while (task.state == state);
    }

    /** Makes a parked task ready. Waking a task that is not parked does nothing. */
    public void wake(Task task) {
        if (task.state != Task.State.PARKED) {
            return;
        }
        task.state = Task.State.READY;
        trace(TraceKind.WAKE, task, running == null ? -1 : running.id, 0, null);
        expected = task;
        LockSupport.unpark(task.thread);
        expected = null;
    }

    /**
     * A schedule point: other ready tasks may run before this one continues. Does not check for
     * cancellation (trio's cancel_shielded_checkpoint).
     */
    public void yieldNow() {
        Task task = current("checkpoint");
        CancelInterrupts.backInKernel(task);
        checkNotAborting();
        if (!othersWaiting()) {
            trace(TraceKind.YIELD, task, 0, 0, null);
            loneYield(task);
            checkNotAborting();
            return;
        }
        if (continueAfterYield(task)) {
            task.state = Task.State.RUNNING;
            checkNotAborting();
            return;
        }
        task.state = Task.State.YIELDING;
        if (yieldByParking()) {
            // The engine sees YIELDING after the step and hands the continuation back itself:
            // a park and an unpark cost less than Thread.yield.
            parkWhile(task, Task.State.YIELDING);
        } else {
            expected = task;
            Thread.yield();
            expected = null;
        }
        task.state = Task.State.RUNNING;
        checkNotAborting();
    }

    /**
     * Takes a schedule point, then raises the runtime's {@code Cancelled} if the current task is
     * cancelled: trio's {@code checkpoint()}, so a cancel made by a task that ran during the
     * yield is raised here, not at the next checkpoint.
     */
    public void checkpoint() {
        yieldNow();
        checkpointIfCancelled();
    }

    /**
     * Raises the runtime's {@code Cancelled} if the current task is cancelled, after a schedule
     * point (see {@link #raiseIfCancelled}); keeps the carrier when it is not.
     */
    public void checkpointIfCancelled() {
        Task task = current("checkpoint");
        CancelInterrupts.backInKernel(task);
        checkNotAborting();
        raiseIfCancelled(task);
    }

    /**
     * trio raises Cancelled at a blocking call only after a pass through the scheduler (its
     * abort reschedules the task), so other ready tasks run before the cancelled one goes on;
     * so does this, with a schedule point before the raise. Not cancelled: nothing, no yield.
     */
    private void raiseIfCancelled(Task task) {
        if (task.clearAtEpoch == cancelEpoch && task.clearForScope == task.innermost) {
            return;
        }
        if (Scope.effectiveCancel(task.innermost) == null) {
            return;
        }
        yieldNow();
        // Still cancelled unless another task shielded a scope of ours meanwhile.
        throwIfCancelled(task);
    }

    private void throwIfCancelled(Task task) {
        Error c = cancellationOf(task);
        if (c != null) {
            throw c;
        }
    }

    /** The Cancelled a checkpoint of {@code task} raises now (recorded as delivered), or null. */
    Error cancellationOf(Task task) {
        // Nothing changed since this task last found itself not cancelled: skip the walk.
        if (task.clearAtEpoch == cancelEpoch && task.clearForScope == task.innermost) {
            return null;
        }
        Scope s = Scope.effectiveCancel(task.innermost);
        if (s == null) {
            task.clearAtEpoch = cancelEpoch;
            task.clearForScope = task.innermost;
            return null;
        }
        trace(TraceKind.CANCEL_DELIVERED, task, s.id, 0, null);
        return cancellations.create("cancelled by " + s + (s.cancelReason == null ? "" : " (" + s.cancelReason + ")"), PROOF);
    }

    /**
     * What {@code failure}, thrown by code of {@code task}, means to cancel scopes and nurseries:
     * an {@link InterruptedException} from a java.util.concurrent wait that a cancellation
     * interrupted is that cancellation, and becomes the runtime's {@code Cancelled} (the
     * interruption as its cause), even if the task went through the kernel on its way out (a
     * shielded cleanup in a finally block); an InterruptedException the application raised
     * itself, or one after the scope has ended, stays what it is.
     */
    public Throwable asCancellation(Task task, Throwable failure) {
        if (CancelInterrupts.caused(task, failure)) {
            CancelInterrupts.spent(task);
            Scope s = Scope.effectiveCancel(task.innermost);
            Error c = cancellations.create("cancelled by " + (s == null ? "a scope since exited" : s.toString())
                    + " while waiting in a java.util.concurrent wait, which the cancellation interrupted", PROOF);
            c.initCause(failure);
            return c;
        }
        return failure;
    }

    /**
     * For an engine that has just seen {@code task} park outside the kernel: if it is cancelled
     * already (a cancel came before the wait), the wait is interrupted as a cancel during it
     * would have been. trio's checkpoints in a cancelled scope raise at once; this is the
     * nearest a java.util.concurrent wait can come.
     */
    protected final void interruptIfCancelled(Task task) {
        if (task.state != Task.State.DONE) {
            CancelInterrupts.send(task, Scope.effectiveCancel(task.innermost));
        }
    }

    protected final void checkNotAborting() {
        String why = abortReason;
        if (why != null && currentOrNull() != null) {
            throw new ExecutionAborted(why);
        }
    }

    // ---- time -------------------------------------------------------------------------------

    /** Parks the current task until {@code deadline} (ns, engine time); cancellable. */
    public void sleepUntil(long deadline) {
        Task task = current("sleep");
        if (deadline <= nanoTime()) {
            // trio's sleep(0) is checkpoint(), and a sleep already due is a sleep(0).
            checkpoint();
            return;
        }
        CancelInterrupts.backInKernel(task);
        raiseIfCancelled(task);
        Timers.Timer timer = timers.add(deadline, task, null);
        try {
            park("sleep", true);
        } finally {
            timer.cancel();
        }
    }

    /**
     * Fires every timer due at or before {@code now}: wakes sleepers, cancels scopes whose
     * deadline passed. Engines call it between steps. Returns how many fired.
     */
    protected int fireDueTimers(long now) {
        if (timers.nextDeadline() > now) {
            return 0;
        }
        // Deadlines first, then sleepers: a sleep that ends exactly at an enclosing deadline is
        // cancelled, as in trio, where a sleep is itself a scope inside the outer one.
        List<Timers.Timer> due = this.due;
        due.clear();
        Timers.Timer t;
        while ((t = timers.pollDue(now)) != null) {
            if (!t.cancelled) {
                due.add(t);
            }
        }
        for (Timers.Timer d : due) {
            if (d.scope != null) {
                cancellation.cancel(d.scope, "deadline");
            }
        }
        for (Timers.Timer d : due) {
            if (d.task != null) {
                wake(d.task);
            }
        }
        int fired = due.size();
        due.clear();
        return fired;
    }

    private final List<Timers.Timer> due = new ArrayList<>();

    // ---- cancel scopes ----------------------------------------------------------------------

    private final Cancellation cancellation = new Cancellation(this);

    /** This kernel's cancel scopes: entering, cancelling, deadlines, shields, delivery. Never null. */
    public final Cancellation cancellation() {
        return cancellation;
    }

    public int newNurseryId() { return nextNurseryId++; }

    /** Records an application or primitive event in the trace. */
    /**
     * A connection's handler failed and only that connection was closed
     * ({@code OnHandlerFailure.CLOSE_CONNECTION}): noted in the trace; an engine without a trace
     * says it elsewhere (the real runtime, to its log).
     */
    public void handlerFailed(String connection, Throwable failure) {
        note("handler failed and its connection was closed: " + failure);   // the trace's words: its hash reads them
    }

    public void note(String text) {
        trace(TraceKind.NOTE, currentOrNull(), 0, 0, text);
    }

    /** Records a typed application event: its type, a subject and a value. */
    public void event(String type, long subject, long value) {
        trace(TraceKind.EVENT, currentOrNull(), subject, value, type);
    }

    /** A new stream id, unique in this execution, for the stream events of the trace. */
    public int newStreamId() {
        return nextStreamId++;
    }

    private int nextStreamId;

    /** Records a structural event (nursery open/close, child start) in the trace. */
    public void record(int kind, long a, long b) {
        trace(kind, currentOrNull(), a, b, null);
    }

    /** Records an event with a text in the trace. */
    public void record(int kind, long a, long b, String text) {
        trace(kind, currentOrNull(), a, b, text);
    }
}

package dev.trellis.sim;

import dev.trellis.runtime.Body;
import dev.trellis.runtime.spi.ExecutionAborted;
import dev.trellis.runtime.spi.ForeignThreads;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.Task;
import dev.trellis.runtime.spi.TaskThreads;
import dev.trellis.trace.Trace;
import dev.trellis.trace.TraceKind;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * One simulated execution: the driver loop. It runs on a platform thread that is the carrier of
 * every task: take in continuations handed back by JDK threads, fire due timers, order the ready tasks by id, ask the strategy, run the
 * chosen task until it parks, record, repeat. When nothing is ready the virtual clock jumps to
 * the next timer; when there is no timer either, the tasks are deadlocked.
 */
final class Execution extends Kernel {
    final long seed;
    final Strategy strategy;
    final SimConfig config;
    final Schedule schedule;
    final Trace trace;
    private final Thread driver = Thread.currentThread();
    private final long maxTimeNanos;
    private final long foreignGraceNanos;
    private long now;
    private long steps;
    private final ReadySet ready = new ReadySet();
    private Runnable[] continuations = new Runnable[16];
    private final ConcurrentLinkedQueue<Arrival> inbox = new ConcurrentLinkedQueue<>();
    /** A task the strategy chose at an inline schedule point, to run at the next step. */
    private int preselected = -1;
    private volatile SimulationFailure failure;
    /** Threads outside the simulator this execution has seen; driver's thread only. */
    final ForeignSightings foreign = new ForeignSightings();
    /** Read by the watchdog. */
    private final StepStamp stamp = new StepStamp();
    /** Set by the watchdog: the answer the caller got, which this execution returns too. */
    private volatile Result runawayResult;

    private static final VarHandle FAILURE;

    static {
        try {
            FAILURE = MethodHandles.lookup().findVarHandle(Execution.class, "failure", SimulationFailure.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private record Arrival(Runnable continuation, String from) {}

    /**
     * The container each driver thread starts task threads in, one execution after another; an
     * execution that abandons tasks retires it, so their threads go with it (see TaskThreads).
     */
    private static final ThreadLocal<TaskThreads> DRIVER_THREADS = ThreadLocal.withInitial(TaskThreads::new);

    /** {@code strategy} has begun this execution; {@code schedule} holds the spec it gave then. */
    Execution(Schedule schedule, Strategy strategy, Trace trace) {
        super(DRIVER_THREADS.get());
        this.schedule = schedule;
        this.seed = schedule.seed();
        this.trace = trace;
        this.config = schedule.config();
        this.strategy = strategy;
        this.maxTimeNanos = config.maxTime().toNanos();
        this.foreignGraceNanos = config.foreignGrace().toNanos();
    }

    // ---- the kernel's engine hooks ----------------------------------------------------------

    @Override
    protected Object describe() {
        return new Named(RUNS.incrementAndGet(), schedule);
    }

    /** Simulated executions started in this JVM: two runs of one seed still have two names. */
    private static final java.util.concurrent.atomic.AtomicLong RUNS = new java.util.concurrent.atomic.AtomicLong();

    /** This execution's name, built only when a message reads it; holds the schedule alone. */
    private record Named(long run, Schedule schedule) {
        @Override
        public String toString() {
            return "the simulated execution #" + run + " (" + schedule.text() + ")";
        }
    }

    @Override
    protected void submit(Runnable continuation) {
        Thread caller = Thread.currentThread();
        if (caller == driver || (running != null && caller == running.thread())) {
            Task task = starting;
            if (task == null && expected != null && continuations[expected.id] == continuation) {
                // The kernel woke or yielded this task: no lookup needed.
                task = expected;
            } else if (task != null) {
                if (task.id >= continuations.length) {
                    continuations = Arrays.copyOf(continuations, Math.max(task.id + 1, continuations.length * 2));
                }
                continuations[task.id] = continuation;
            } else if (ForeignThreads.isForeign(continuation)) {
                ForeignThreads.run(continuation);
                return;
            } else {
                task = owner(continuation);
            }
            if (task == null) {
                threadStartedOutsideANursery(continuation, caller);
                return;
            }
            makeReady(task);
        } else if (ForeignThreads.isForeign(continuation)) {
            ForeignThreads.run(continuation);
        } else {
            inbox.add(new Arrival(continuation, caller.getName()));
            // The driver may be waiting out the foreign grace (or teardown): it need not wait longer.
            LockSupport.unpark(driver);
        }
    }

    /** A task started a virtual thread of its own: it inherited our scheduler, but is no task. */
    private void threadStartedOutsideANursery(Runnable continuation, Thread caller) {
        ForeignThreads.adopt(continuation);
        Task culprit = running;
        StackTraceElement[] stack = caller.getStackTrace();
        fail(Failures.uncontrolled(this, culprit == null ? tasks.get(0) : culprit, stack,
                "a thread it started outside a nursery",
                "Virtual threads started with Thread.ofVirtual or an executor run outside the simulator's "
                        + "schedule. Start concurrent work with Nursery.start so every step is a scheduling choice."));
        abortReason = "thread started outside a nursery";
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    protected boolean othersWaiting() {
        return ready.size() > 0 || timers.nextDeadline() <= now;
    }

    @Override
    protected void trace(int kind, Task task, long a, long b, String text) {
        if (failure != null) {
            // The trace ends where the run failed; teardown is not part of it.
            return;
        }
        trace.add(kind, task == null ? -1 : task.id, a, b, now, steps, text);
    }

    private SimNetwork network;

    @Override
    public <T> T service(Class<T> type) {
        return type == dev.trellis.runtime.Network.class ? type.cast(network()) : null;
    }

    /** This runtime's network, made on first use. */
    public dev.trellis.runtime.Network network() {
        if (network == null) {
            network = new SimNetwork(this, config.streams());
        }
        return network;
    }

    @Override
    public long draw(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("draw bound must be positive, was [" + bound + "]");
        }
        long v;
        try {
            v = strategy.draw(bound);
        } catch (Replay.ReplayDiverged e) {
            throw diverged(e);
        }
        trace(TraceKind.DRAW, running, bound, v, null);
        return v;
    }

    /** A replay departed from its recording inside a task: fail the run and unwind the task. */
    private ExecutionAborted diverged(Replay.ReplayDiverged e) {
        fail(Failures.divergence(this, e));
        abortReason = "replay diverged";
        return new ExecutionAborted("replay diverged: " + e.getMessage());
    }



    /**
     * The task a continuation belongs to: each virtual thread submits the same Runnable every
     * time, learnt when the thread starts. A scan, on the rare paths where the kernel did not
     * itself wake the task (a java.util.concurrent unpark, a JDK thread), in id order.
     */
    private Task owner(Runnable continuation) {
        for (int id = 0; id < tasks.size(); id++) {
            if (continuations[id] == continuation) {
                return tasks.get(id);
            }
        }
        return null;
    }

    private void makeReady(Task task) {
        task.setState(Task.State.READY);
        ready.add(task.id);
    }

    // ---- the loop ---------------------------------------------------------------------------

    /** Runs {@code body} as the root task to the end, or to the first harness failure. */
    Result run(Body body) {
        Throwable bodyFailure = null;
        Task root = null;
        trackRunningTask(true);
        ThreadBirths.watchFromHere();
        try {
            try {
                root = spawn("main", null, -1, null, body::run);
                loop();
                if (failure == null) {
                    strategy.end();
                }
            } catch (Replay.ReplayDiverged e) {
                fail(Failures.divergence(this, e));
            }
            if (failure != null) {
                Teardown.run(this);
            }
        } finally {
            // Whatever went wrong in the engine itself, the kernel leaves the list of those
            // tracking their running task: a static list every lookup reads, and that keeps it.
            trackRunningTask(false);
        }
        if (failure == null) {
            bodyFailure = root.failure();
            checkInvariants();
        }
        Result frozen = runawayResult;
        if (frozen != null) {
            // The watchdog gave up on this execution while a step ran; that step has ended since.
            return frozen;
        }
        return new Result(schedule, steps, now, trace.hash(), trace, failure, bodyFailure);
    }

    private void loop() {
        while (failure == null) {
            if (!inbox.isEmpty()) {
                drainInbox();
                continue;
            }
            if (timers.nextDeadline() <= now) {
                fireDueTimers(now);
            }
            if (ready.size() == 0) {
                if (live == 0) {
                    return;
                }
                long next = timers.nextDeadline();
                if (next == Long.MAX_VALUE) {
                    // A task parked on a java.util.concurrent object is woken by whoever releases
                    // that object: a task, none of which can run now, or a thread the simulator
                    // does not run. Only if this execution has seen such a thread is it worth
                    // giving it a moment to show itself; otherwise this is a deadlock, at once.
                    foreign.noteWaitsOnlyTheyEnd(tasks);
                    if (foreign.count() > 0 && anyParkedElsewhere() && awaitForeign(foreignGraceNanos)) {
                        continue;
                    }
                    fail(Failures.deadlock(this));
                    return;
                }
                if (next > maxTimeNanos) {
                    fail(Failures.limit(this, "virtual time", "the next timer is at " + next + " ns, past the limit of "
                            + config.maxTime()));
                    return;
                }
                now = next;
                trace(TraceKind.CLOCK, null, now, 0, null);
                continue;
            }
            if (steps >= config.maxSteps()) {
                fail(Failures.limit(this, "steps", "the execution took " + steps + " steps, the limit"));
                return;
            }
            step();
        }
    }

    @Override
    protected void loneYield(Task task) {
        steps++;
        beginStep();
        if (steps >= config.maxSteps()) {
            fail(Failures.limit(this, "steps", "the execution took " + steps + " steps, the limit, " + task
                    + " checkpointing alone in a loop"));
            abortReason = "step limit";
        }
    }

    @Override
    protected boolean continueAfterYield(Task task) {
        if (ready.size() == 0 || steps >= config.maxSteps() || failure != null
                || !inbox.isEmpty()) {
            return false;
        }
        ready.add(task.id);
        ready.last = task.id;
        int count = ready.size();
        int index;
        try {
            index = strategy.pick(ready, steps);
        } catch (Replay.ReplayDiverged e) {
            ready.remove(task.id);
            throw diverged(e);
        }
        int id = ready.idAt(index);
        ready.remove(task.id);
        if (id != task.id) {
            preselected = id;
            return false;
        }
        trace(TraceKind.STEP, task, count, index, null);
        steps++;
        beginStep();
        return true;
    }

    private void step() {
        int count = ready.size();
        int index;
        if (preselected >= 0 && ready.contains(preselected)) {
            // Picked at the schedule point of the task that just yielded; it is ready now.
            index = ready.indexOf(preselected);
        } else {
            index = count == 1 ? 0 : strategy.pick(ready, steps);
        }
        preselected = -1;
        int id = ready.idAt(index);
        ready.last = id;
        ready.remove(id);
        Task task = tasks.get(id);
        task.setState(Task.State.RUNNING);
        running = task;
        enter(task);
        trace(TraceKind.STEP, task, count, index, null);
        steps++;
        beginStep();
        try {
            continuations[id].run();
        } finally {
            stamp.idle(steps);
            running = null;
        }
        Task.State after = task.state();
        if (after == Task.State.YIELDING) {
            requeue(task);
        } else if (after == Task.State.RUNNING) {
            Blocking.classify(this, task);
            if (failure == null && task.state() == Task.State.PARKED_ELSEWHERE) {
                interruptIfCancelled(task);
            }
        }
    }

    /**
     * Marks the trace as it stands, then the step as running. A runaway's result is that marked
     * trace: what the task does once its step has begun depends on how long the watchdog takes
     * to notice it, so none of it may reach the result.
     */
    private void beginStep() {
        stamp.starting(steps);
        trace.mark();
        stamp.running(steps);
    }

    /** For the watchdog: odd while a step runs. */
    long stamp() {
        return stamp.read();
    }

    @Override
    protected boolean yieldByParking() {
        return true;
    }

    /** Hands a task that parked at a schedule point back to the ready set. */
    private void requeue(Task task) {
        expected = task;
        LockSupport.unpark(task.thread());
        expected = null;
        if (task.state() != Task.State.READY) {
            // The JDK did not hand the continuation back synchronously; let the inbox bring it.
            task.setState(Task.State.PARKED_ELSEWHERE);
        }
    }

    private boolean anyParkedElsewhere() {
        for (Task t : tasks) {
            if (t.state() == Task.State.PARKED_ELSEWHERE) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits up to {@code nanos} for a continuation handed back by a thread the simulator does
     * not run. Wall time decides only how long to wait, never what runs next. Returns whether
     * anything arrived (which fails the run, naming the thread). Parks rather than spins: on a
     * busy machine the thread it waits for needs the CPU, and an arrival unparks the driver.
     */
    private boolean awaitForeign(long nanos) {
        long until = System.nanoTime() + nanos;
        while (inbox.isEmpty()) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(this, left);
        }
        drainInbox();
        return true;
    }

    /**
     * Takes in continuations handed back by threads the simulator does not run. Under the
     * simulator every legitimate wake-up happens on the driver's thread, so any arrival here means
     * a task waited on something outside the simulation: the run fails, naming the thread.
     */
    private void drainInbox() {
        Arrival a;
        while ((a = inbox.poll()) != null) {
            Task task = owner(a.continuation());
            if (task == null) {
                fail(new SimulationFailure.Nondeterminism("an unknown continuation arrived",
                        "A continuation no task owns was submitted by thread '" + a.from() + "'.\n" + Failures.footer(this)));
                return;
            }
            // Keep the continuation so teardown can unwind the task; the run has failed.
            makeReady(task);
            foreign.saw("thread '" + a.from() + "' woke " + task);
            fail(Failures.foreignWake(this, task, a.from()));
            return;
        }
    }

    /** Whether the kernel is constructing a task's own thread (for {@link ThreadBirths}). */
    boolean constructingTaskThread() { return creatingTaskThread(); }

    /** Records the run's failure; the first one stands (the watchdog may race the driver). */
    void fail(SimulationFailure f) {
        FAILURE.compareAndSet(this, null, f);
    }

    SimulationFailure failure() { return failure; }

    /**
     * Called by the watchdog thread: the step that {@code stampSeen} names has run {@code millis}
     * ms of wall time. Fails the run with a result frozen at the start of that step (its trace,
     * steps and virtual time, none of which the stuck task can change), and returns it; returns
     * null if the step ended meanwhile or the run failed otherwise first.
     */
    Result runaway(long stampSeen, long millis) {
        Task task = running;
        long at = now;
        Trace frozen = trace.atMark();
        if (task == null || !stamp.still(stampSeen)) {
            return null;
        }
        long step = StepStamp.step(stampSeen);
        SimulationFailure f = Failures.runaway(this, frozen, step, at, task, task.thread().getStackTrace(), millis);
        if (!FAILURE.compareAndSet(this, null, f)) {
            return null;
        }
        abortReason = "runaway task";
        Result r = new Result(schedule, step, at, frozen.hash(), frozen, f, null);
        runawayResult = r;
        return r;
    }

    private void checkInvariants() {
        for (var inv : config.invariants()) {
            var v = inv.check(trace);
            if (v != null) {
                fail(Failures.invariant(this, v));
                return;
            }
        }
    }

    // ---- what teardown and reports need ----------------------------------------------------

    long steps() { return steps; }
    long now() { return now; }
    Task runningTask() { return running; }
    List<Task> allTasks() { return tasks; }
    int liveCount() { return live; }

    void beginAbort(String why) { abortReason = why; }

    /** Runs whatever is ready, in id order, until nothing is; used only to unwind tasks at teardown. */
    void runReadyForTeardown() {
        while (!inbox.isEmpty() || ready.size() > 0) {
            Arrival a;
            while ((a = inbox.poll()) != null) {
                Task t = owner(a.continuation());
                if (t != null && t.state() != Task.State.READY && t.state() != Task.State.DONE
                        && t.state() != Task.State.ABANDONED) {
                    foreign.saw("thread '" + a.from() + "' woke " + t + " at teardown");
                    makeReady(t);
                }
            }
            if (ready.size() == 0) {
                return;
            }
            Task task = tasks.get(ready.idAt(0));
            ready.remove(task.id);
            task.setState(Task.State.RUNNING);
            running = task;
            try {
                continuations[task.id].run();
            } finally {
                running = null;
            }
            if (task.state() == Task.State.YIELDING) {
                requeue(task);
            } else if (task.state() == Task.State.RUNNING) {
                task.setState(Task.State.PARKED_ELSEWHERE);
            }
        }
    }

    boolean inboxEmpty() { return inbox.isEmpty(); }

    /** Parks the driver up to {@code nanos}, or until a continuation arrives from another thread. */
    void awaitArrival(long nanos) {
        if (inbox.isEmpty()) {
            LockSupport.parkNanos(this, nanos);
        }
    }

    /**
     * Gives up on a task teardown cannot unwind (see {@link Teardown}): the kernel forgets it, and
     * so does this execution, which drops its continuation, the one reference to its thread that
     * is not the task's own.
     */
    void abandonAtTeardown(Task task) {
        abandon(task);
        ready.remove(task.id);
        continuations[task.id] = null;
    }

    /** Tasks neither done nor abandoned, in id order. */
    List<Task> aliveTasks() {
        List<Task> out = new ArrayList<>();
        for (Task t : tasks) {
            if (t.state() != Task.State.DONE && t.state() != Task.State.ABANDONED) {
                out.add(t);
            }
        }
        return out;
    }
}

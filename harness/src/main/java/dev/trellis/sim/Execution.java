package dev.trellis.sim;

import dev.trellis.check.Trace;
import dev.trellis.runtime.Body;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.Task;
import dev.trellis.runtime.spi.TraceKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One simulated execution: the driver loop. It runs on a platform thread that is the carrier of
 * every task: settle, fire due timers, order the ready tasks by id, ask the strategy, run the
 * chosen task until it parks, record, repeat. When nothing is ready the virtual clock jumps to
 * the next timer; when there is no timer either, the tasks are deadlocked.
 */
final class Execution extends Kernel {
    private static final String UNBLOCKER = "VirtualThread-unblocker";

    final long seed;
    final Strategy strategy;
    final SimConfig config;
    final Trace trace = new Trace();
    private final Thread driver = Thread.currentThread();
    private final long maxTimeNanos;
    private long now;
    private long steps;
    private int[] ready = new int[16];
    private int readyCount;
    /** Continuations by identity: each virtual thread submits the same Runnable every time. Lookup only. */
    private final HashMap<Runnable, Task> byContinuation = new HashMap<>();
    private Runnable[] continuations = new Runnable[16];
    private final ConcurrentLinkedQueue<Arrival> inbox = new ConcurrentLinkedQueue<>();
    private int monitorBlocked;
    private volatile SimulationFailure failure;
    /** Read by the watchdog: which step is running, and whether one is. */
    volatile long stepStamp;
    volatile boolean inStep;

    private record Arrival(Runnable continuation, String from) {}

    Execution(long seed, Strategy strategy, SimConfig config) {
        this.seed = seed;
        this.strategy = strategy;
        this.config = config;
        this.maxTimeNanos = config.maxTime().toNanos();
        strategy.begin(seed);
    }

    // ---- the kernel's engine hooks ----------------------------------------------------------

    @Override
    protected void submit(Runnable continuation) {
        Thread caller = Thread.currentThread();
        if (caller == driver || (running != null && caller == running.thread())) {
            Task task = starting;
            if (task != null) {
                byContinuation.put(continuation, task);
                if (task.id >= continuations.length) {
                    continuations = Arrays.copyOf(continuations, Math.max(task.id + 1, continuations.length * 2));
                }
                continuations[task.id] = continuation;
            } else {
                task = byContinuation.get(continuation);
            }
            makeReady(task);
        } else {
            inbox.add(new Arrival(continuation, caller.getName()));
        }
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    protected boolean othersWaiting() {
        return readyCount > 0 || timers.nextDeadline() <= now;
    }

    @Override
    protected void trace(int kind, Task task, long a, long b, String text) {
        trace.add(kind, task == null ? -1 : task.id, a, b, now, steps, text);
    }

    @Override
    public long draw(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("draw bound must be positive, was [" + bound + "]");
        }
        long v = strategy.draw(bound);
        trace(TraceKind.DRAW, running, bound, v, null);
        return v;
    }

    private void makeReady(Task task) {
        if (task.state() == Task.State.BLOCKED_ON_MONITOR) {
            monitorBlocked--;
        }
        task.setState(Task.State.READY);
        int id = task.id;
        if (readyCount == ready.length) {
            ready = Arrays.copyOf(ready, ready.length * 2);
        }
        int pos = readyCount;
        if (pos > 0 && ready[pos - 1] > id) {
            pos = Arrays.binarySearch(ready, 0, readyCount, id);
            pos = pos < 0 ? -pos - 1 : pos;
            System.arraycopy(ready, pos, ready, pos + 1, readyCount - pos);
        }
        ready[pos] = id;
        readyCount++;
    }

    private Task takeReady(int index) {
        int id = ready[index];
        System.arraycopy(ready, index + 1, ready, index, readyCount - index - 1);
        readyCount--;
        return tasks.get(id);
    }

    // ---- the loop ---------------------------------------------------------------------------

    /** Runs {@code body} as the root task to the end, or to the first harness failure. */
    Result run(Body body) {
        Throwable bodyFailure = null;
        Task root = null;
        try {
            root = spawn("main", null, -1, null, body);
            loop();
        } catch (Replay.ReplayDiverged e) {
            fail(new SimulationFailure.Nondeterminism("replay departed from its recording",
                    "Replay departed from its recording: " + e.getMessage() + "\n" + Failures.footer(this)));
        }
        if (failure != null) {
            Teardown.run(this);
        } else {
            bodyFailure = root.failure();
            checkInvariants();
        }
        return new Result(seed, strategy.spec(), steps, now, trace.hash(), trace, failure, bodyFailure);
    }

    private void loop() {
        while (failure == null) {
            if (!inbox.isEmpty()) {
                drainInbox(false);
                continue;
            }
            if (timers.nextDeadline() <= now) {
                fireDue();
            }
            if (readyCount == 0) {
                if (live == 0) {
                    return;
                }
                if (monitorBlocked > 0 && settle(config.settleMicros() * 200)) {
                    continue;
                }
                long next = timers.nextDeadline();
                if (next == Long.MAX_VALUE) {
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

    private void fireDue() {
        fireDueTimers(now);
    }

    private void step() {
        int count = readyCount;
        int index = count == 1 ? 0 : strategy.pick(ready, count, steps);
        Task task = takeReady(index);
        task.setState(Task.State.RUNNING);
        running = task;
        trace(TraceKind.STEP, task, count, index, null);
        steps++;
        stepStamp = steps;
        inStep = true;
        try {
            continuations[task.id].run();
        } finally {
            inStep = false;
            running = null;
        }
        Task.State after = task.state();
        if (after == Task.State.RUNNING || after == Task.State.YIELDING) {
            Blocking.classify(this, task);
        }
        if (monitorBlocked > 0) {
            settle(config.settleMicros());
        }
    }

    void blockedOnMonitor(Task task) {
        task.setState(Task.State.BLOCKED_ON_MONITOR);
        monitorBlocked++;
    }

    /**
     * Waits up to {@code micros} for continuations the JDK hands back from its own threads (a
     * task blocked on a monitor is resubmitted by the JDK's unblocker thread once the owner
     * leaves it). Wall time decides only how long to wait, never what runs next. Returns whether
     * anything arrived.
     */
    private boolean settle(long micros) {
        long until = System.nanoTime() + micros * 1_000;
        boolean any = false;
        while (System.nanoTime() < until) {
            if (!inbox.isEmpty()) {
                drainInbox(true);
                any = true;
                until = System.nanoTime() + micros * 1_000;
            }
            Thread.onSpinWait();
        }
        return any;
    }

    /** Accepts continuations handed back from JDK threads. Outside a settle window that is nondeterminism. */
    private void drainInbox(boolean settling) {
        Arrival a;
        while ((a = inbox.poll()) != null) {
            Task task = byContinuation.get(a.continuation());
            if (task == null) {
                fail(new SimulationFailure.Nondeterminism("an unknown continuation arrived",
                        "A continuation no task owns was submitted by thread '" + a.from() + "'.\n" + Failures.footer(this)));
                return;
            }
            if (task.state() == Task.State.BLOCKED_ON_MONITOR && a.from().equals(UNBLOCKER)) {
                if (!settling) {
                    // Arrived after the settle window: on another run of this seed the ready set
                    // may have held this task one step earlier.
                    fail(Failures.lateArrival(this, task));
                    return;
                }
                makeReady(task);
                continue;
            }
            fail(Failures.foreignWake(this, task, a.from()));
            return;
        }
    }

    void fail(SimulationFailure f) {
        if (failure == null) {
            failure = f;
        }
    }

    SimulationFailure failure() { return failure; }

    /** Called by the watchdog thread: the running task has not reached a checkpoint in time. */
    void runaway(SimulationFailure f) {
        fail(f);
        abortReason = "runaway task";
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
        while (!inbox.isEmpty() || readyCount > 0) {
            Arrival a;
            while ((a = inbox.poll()) != null) {
                Task t = byContinuation.get(a.continuation());
                if (t != null && t.state() != Task.State.READY && t.state() != Task.State.DONE) {
                    makeReady(t);
                }
            }
            if (readyCount == 0) {
                return;
            }
            Task task = takeReady(0);
            task.setState(Task.State.RUNNING);
            running = task;
            try {
                continuations[task.id].run();
            } finally {
                running = null;
            }
            if (task.state() == Task.State.RUNNING) {
                task.setState(Task.State.PARKED_ELSEWHERE);
            }
        }
    }

    boolean inboxEmpty() { return inbox.isEmpty(); }

    List<Task> aliveTasks() {
        List<Task> out = new ArrayList<>();
        for (Task t : tasks) {
            if (t.state() != Task.State.DONE) {
                out.add(t);
            }
        }
        return out;
    }
}

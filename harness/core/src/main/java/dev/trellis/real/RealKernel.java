package dev.trellis.real;

import dev.trellis.runtime.spi.ForeignThreads;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.TaskThreads;
import dev.trellis.runtime.spi.Task;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real runtime's kernel ({@link RealRuntime} is its entry point): tasks are virtual threads
 * whose continuations all run on one platform carrier thread, in the order they become ready, so
 * code between two checkpoints never interleaves with another task (trio's guarantee). Time is the system clock; I/O is real.
 *
 * <p>The loop runs tasks in batches, as trio's does: every continuation ready when a batch
 * begins, then one poll of the sockets ({@link IoPoller}), which wakes the tasks whose sockets
 * are ready. When nothing is ready the poll itself is the wait, up to the next timer; a
 * continuation handed in by another thread (a JDK timer, say) interrupts it.
 *
 * {@snippet :
 * String reply = RealRuntime.run(() -> {
 *     Nursery.open(n -> n.start("worker", () -> Trellis.sleep(Duration.ofMillis(10))));
 *     return "done";
 * });
 * }
 */
final class RealKernel extends Kernel {
    /**
     * A poll of the sockets is overdue after this long, even while tasks stay ready without a
     * break, so a task checkpointing in a loop yields to socket readiness within about this.
     */
    private static final long POLL_AT_LEAST_EVERY_NANOS = 100_000;

    /** Continuations handed in; any thread may add (tasks on the carrier, JDK helper threads). */
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** The batch being run; the carrier's alone. */
    private final ArrayDeque<Runnable> batch = new ArrayDeque<>();
    /**
     * Each live task by its continuation, which is one object for the life of its virtual thread.
     * Written at spawn (on the carrier, or before it starts), read and emptied on the carrier.
     */
    private final Map<Runnable, Task> owners = new IdentityHashMap<>();
    private final long origin = System.nanoTime();
    private final SplittableRandom random = new SplittableRandom();
    private final IoPoller io = new IoPoller(this);
    /** True while the loop may block in a poll: a submission must then wake it. */
    private volatile boolean polling;
    private volatile boolean loopEnded;
    /** The platform thread that runs the loop; a submit from it (a socket made ready in a poll) needs no wakeup. */
    private volatile Thread loopThread;
    private long lastPoll;
    private Throwable loopFailure;
    /** Runs started in this JVM, to tell one run from another in messages. */
    private static final AtomicLong RUNS = new AtomicLong();
    private final long run = RUNS.incrementAndGet();

    private RealKernel() {
        super(new TaskThreads());
    }

    @Override
    protected Object describe() {
        return "the real execution RealRuntime.run #" + run + " of this JVM";
    }

    /** {@link RealRuntime#run}. */
    static <T> T run(Callable<T> body) throws Exception {
        if (Kernel.currentOrNull() != null) {
            throw new IllegalStateException("RealRuntime.run cannot be called from inside a Trellis task; "
                    + "start a child with Nursery.start instead");
        }
        RealKernel rt = new RealKernel();
        Object[] result = new Object[1];
        dev.trellis.runtime.CancelScope[] everything = new dev.trellis.runtime.CancelScope[1];
        // The body runs in a scope of its own: what an interrupt of the caller cancels.
        var root = rt.spawn("main", null, -1, null, () -> dev.trellis.runtime.CancelScope.open(scope -> {
            everything[0] = scope;
            rt.everything = scope;
            result[0] = body.call();
        }));
        Thread carrier = new Thread(rt::loop, "trellis-carrier");
        carrier.start();
        try {
            carrier.join();
        } catch (InterruptedException interrupted) {
            // The caller gave up (a JUnit timeout, a shutdown): cancel everything, let the tasks
            // unwind and close their sockets, and only then say so. Left running, the server would
            // go on accepting on its port with nobody to stop it.
            rt.stopAll(everything, carrier);
            Thread.currentThread().interrupt();
            throw interrupted;
        }
        rt.taskThreads().close();
        if (rt.deadlock != null) {
            throw new IllegalStateException(rt.deadlock);
        }
        if (rt.loopFailure != null) {
            throw new IllegalStateException("the real runtime's loop failed: " + rt.loopFailure, rt.loopFailure);
        }
        Throwable failure = root.failure();
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    private final Reports reports = new Reports();
    /** The run's outermost scope, once the body has opened it: what a deadlock or an interrupt cancels. */
    private dev.trellis.runtime.CancelScope everything;
    /** What a deadlock found, once one was: the run then ends with it. */
    private String deadlock;

    /** The real runtime keeps no trace: a handler's failure that closed only its connection is logged. */
    @Override
    public void handlerFailed(String connection, Throwable failure) {
        reports.report("handler " + failure.getClass().getName(), "the handler of " + connection
                + " failed and its connection was closed: " + failure);
    }

    /**
     * Nothing is ready, no timer is pending, no task waits on a socket, and every live task is
     * parked in a kernel wait, which only another task or a timer can end: nothing will ever run
     * again. Instead of a poll that never returns, say so, naming each task's wait, and cancel
     * everything so the run ends (as the simulator reports a {@code Deadlock}). A task parked
     * outside the kernel (a java.util.concurrent wait, which a thread of its own could end) or a
     * task not seen yet rules it out.
     */
    private boolean deadlocked() {
        if (deadlock != null || !queue.isEmpty() || io.waiting() > 0 || live == 0 || owners.size() != live) {
            return false;
        }
        java.util.List<Task> parked = new java.util.ArrayList<>(owners.values());
        if (!parked.stream().allMatch(t -> t.state() == Task.State.PARKED)) {
            return false;
        }
        parked.sort(java.util.Comparator.comparingInt(t -> t.id));
        StringBuilder sb = new StringBuilder("Deadlock: every task of the real runtime waits and nothing can wake one "
                + "(no timer, no socket, no task left to run):");
        for (Task t : parked) {
            sb.append("\n  - ").append(t).append(" waits: ").append(t.waitingOn());
        }
        sb.append("\nThe tasks were cancelled to end the run.");
        deadlock = sb.toString();
        if (everything != null) {
            everything.cancel();
        }
        return true;
    }

    /** How long an interrupted run waits for its tasks to unwind before it leaves them. */
    static final long STOP_WAIT_MILLIS = 10_000;

    /**
     * Cancels the run's outermost scope from the carrier (the only thread that may touch the
     * kernel), wakes the loop, and waits for the carrier to end, ignoring further interrupts.
     */
    private void stopAll(dev.trellis.runtime.CancelScope[] everything, Thread carrier) {
        queue.add(() -> {
            if (everything[0] != null) {
                everything[0].cancel();
            }
        });
        io.wakeup();
        long until = System.nanoTime() + STOP_WAIT_MILLIS * 1_000_000;
        while (carrier.isAlive() && System.nanoTime() < until) {
            try {
                carrier.join(100);
            } catch (InterruptedException again) {
                // keep waiting for the teardown; the caller's interrupt is restored after
            }
        }
        if (!carrier.isAlive()) {
            taskThreads().close();
        }
    }

    /** A server runs for days: a task that ended is dropped, not kept for reports. */
    @Override
    protected boolean retainsTasks() {
        return false;
    }

    @Override
    protected void submit(Runnable continuation) {
        if (ForeignThreads.isForeign(continuation)) {
            ForeignThreads.run(continuation);   // a thread a task started by itself: never the loop's
            return;
        }
        if (starting != null && startingOn == Thread.currentThread()) {
            // A task's first continuation; the same object comes back every time it is ready.
            owners.put(continuation, starting);
        }
        queue.add(continuation);
        if (loopEnded) {
            foreignAfterTheEnd();   // read after the add: the loop's own drain or this one sees it
            return;
        }
        // Read after the add: either the loop sees the continuation before it blocks, or this
        // sees it polling and ends the poll (both fields are volatile, so one of the two holds).
        // The loop's own thread submits while polling only from the poll's ready callback: the
        // poll ends by itself then, and a wakeup would only make the next one return at once.
        if (polling && Thread.currentThread() != loopThread) {
            io.wakeup();
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime() - origin;
    }

    @Override
    protected boolean othersWaiting() {
        if (!batch.isEmpty() || !queue.isEmpty()) {
            return true;
        }
        long now = nanoTime();
        return timers.nextDeadline() <= now || (io.hasWaiters() && now - lastPoll >= POLL_AT_LEAST_EVERY_NANOS);
    }

    private TcpNetwork network;

    @Override
    public <T> T service(Class<T> type) {
        return type == dev.trellis.runtime.Network.class ? type.cast(network()) : null;
    }

    /** For tests: how many times the selector was asked to wake up. */
    long selectorWakeups() {
        return io.wakeups();
    }

    /** This runtime's network, made on first use. */
    public dev.trellis.runtime.Network network() {
        if (network == null) {
            network = new TcpNetwork(this, io, TcpNetwork.SYSTEM_RESOLVER, 0);
        }
        return network;
    }

    @Override
    public long draw(long bound) {
        return random.nextLong(bound);
    }

    /**
     * For tests: a network over this runtime's sockets that resolves names with {@code resolver}
     * and, unless {@code socketBufferBytes} is 0, sizes every socket's buffers to it.
     */
    TcpNetwork network(TcpNetwork.Resolver resolver, int socketBufferBytes) {
        return new TcpNetwork(this, io, resolver, socketBufferBytes);
    }

    private void loop() {
        loopThread = Thread.currentThread();
        try {
            while (live > 0) {
                fireDueTimers(nanoTime());
                // One batch: what is ready now. What it readies waits for the next batch, after a
                // poll of the sockets, so tasks that keep each other busy cannot starve them.
                Runnable next;
                while ((next = queue.poll()) != null) {
                    batch.add(next);
                }
                while ((next = batch.poll()) != null) {
                    if (!owners.containsKey(next)) {
                        // A virtual thread a task started by itself inherited our scheduler, but
                        // is no task: on our one carrier, a blocking wait of its own would stop
                        // every task, and once the run ended nobody would run it. It runs on
                        // platform threads from now on, as on the JDK's scheduler.
                        ForeignThreads.adopt(next);
                        continue;
                    }
                    next.run();
                    afterRun(next);
                }
                pollSockets();
            }
        } catch (Throwable e) {
            loopFailure = e;
            tearDownAfter();
        } finally {
            io.close();
            loopEnded = true;
            foreignAfterTheEnd();
        }
    }

    /**
     * Once the loop has ended no task is left, so whatever is still queued, or submitted from
     * now on, belongs to a virtual thread a task started by itself (its first continuation, queued
     * when it started, or that of a thread one of those started): it runs on platform threads.
     * The loop and a late submitter may both drain; each continuation is polled by one of them.
     */
    private void foreignAfterTheEnd() {
        Runnable r;
        while ((r = queue.poll()) != null) {
            ForeignThreads.adopt(r);
        }
    }

    /**
     * The loop failed (its selector, a timer): without it nothing would ever wake the tasks, and
     * their sockets would stay open, a listener still accepting. Do what the simulator's teardown
     * does: cancel everything and run the tasks until they have unwound and closed what they
     * hold, within {@link #STOP_WAIT_MILLIS}. The selector is closed first, so a task that waits
     * on a socket while it unwinds fails at once instead of waiting for a poll that never comes.
     */
    private void tearDownAfter() {
        try {
            unwindAll();
        } catch (Throwable again) {
            // Failed once more (the same timer, say): what unwound has; the run reports the first failure.
            loopFailure.addSuppressed(again);
        }
        // Tasks still alive past the wait stay parked; should one be woken later, it is taken for a
        // foreign thread (see foreignAfterTheEnd) and runs its unwinding on a platform thread.
    }

    private void unwindAll() {
        io.close();
        if (everything != null) {
            everything.cancel();   // on the loop's thread, the kernel's own, like any queued continuation
        }
        long until = System.nanoTime() + STOP_WAIT_MILLIS * 1_000_000;
        while (live > 0 && System.nanoTime() < until) {
            fireDueTimers(nanoTime());
            boolean ran = false;
            for (Runnable next = queue.poll(); next != null; next = queue.poll()) {
                if (!owners.containsKey(next)) {
                    ForeignThreads.adopt(next);
                    continue;
                }
                next.run();
                afterRun(next);
                ran = true;
            }
            if (!ran) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
    }

    /** For tests: how many tasks are alive. */
    int liveTasks() {
        return live;
    }

    /** For tests: how many timers the heap holds, cancelled ones not yet compacted away included. */
    int heldTimers() {
        return timers.size();
    }

    /** For tests: breaks the loop's selector, as an I/O failure of the loop would. */
    void breakSelectorForTest() {
        io.close();
    }

    /**
     * A task whose continuation gave up the carrier while the kernel still counts it running has
     * parked outside the kernel (a java.util.concurrent wait); if it is cancelled already, that
     * wait is interrupted now, as a cancel arriving during it would.
     */
    private void afterRun(Runnable continuation) {
        Task task = owners.get(continuation);
        if (task == null) {
            return;
        }
        if (task.state() == Task.State.DONE) {
            owners.remove(continuation);
        } else if (task.state() == Task.State.RUNNING) {
            interruptIfCancelled(task);
        }
    }

    private void pollSockets() {
        if (live == 0) {
            return;
        }
        long wait = 0;
        if (queue.isEmpty()) {
            long deadline = timers.nextDeadline();
            wait = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - nanoTime();
        }
        if (wait == Long.MAX_VALUE && deadlocked()) {
            return;   // every task was cancelled: they run next, and the run ends with the report
        }
        if (wait > 0) {
            polling = true;
            if (!queue.isEmpty()) {
                wait = 0;   // arrived before the flag was up: its submitter did not wake us
            }
        }
        try {
            io.poll(wait);
        } finally {
            polling = false;
        }
        lastPoll = nanoTime();
    }
}

package dev.trellis.sim;

import dev.trellis.runtime.spi.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Unwinds every live task after a harness failure, so no virtual thread outlives its execution:
 * kernel waits throw ExecutionAborted, other waits are interrupted and unparked, round after
 * round, until every task has ended or those left cannot unwind.
 *
 * <p>A round in which no task ended, after which every live task is parked in an untimed wait
 * outside the kernel, is a fixed point: each of them ignored the interrupt (ReentrantLock.lock,
 * Semaphore.acquireUninterruptibly) or caught it and waited again, and no task is left that could
 * release them, since the others have ended or are parked the same way. Another round would do the
 * same again. Only a thread outside the simulator could still free such a task, so unless the
 * execution has seen one (see {@link ForeignSightings#saw}) those tasks are abandoned at
 * once ({@link dev.trellis.runtime.spi.Kernel#abandon}); if it has, teardown first waits the
 * foreign grace for that thread. Tasks that wait on something in flight (a monitor a JDK thread
 * hands over, a JDK timer) are waited for up to {@link #IN_FLIGHT_NANOS} of wall time, then
 * abandoned too. The failure names every abandoned task and says why.
 */
final class Teardown {
    /** How long to wait for a task whose wake-up a JDK thread has in flight. */
    private static final long IN_FLIGHT_NANOS = 2_000_000_000L;
    /** How long to park between rounds while waiting; an arrival ends the park early. */
    private static final long POLL_NANOS = 100_000L;

    private Teardown() {}

    static void run(Execution ex) {
        ex.beginAbort("execution aborted after: " + ex.failure().headline());
        // Wall time only bounds how long to wait for stragglers; the trace has already ended.
        long deadline = 0;
        boolean waiting = false;
        boolean stuck = false;
        while (ex.liveCount() > 0) {
            int before = ex.liveCount();
            nudge(ex);
            ex.runReadyForTeardown();
            if (ex.liveCount() == 0) {
                return;
            }
            if (ex.liveCount() < before || !ex.inboxEmpty()) {
                continue;
            }
            stuck = allStuck(ex);
            if (stuck && ex.foreign.count() == 0) {
                break;
            }
            long now = System.nanoTime();
            if (!waiting) {
                waiting = true;
                deadline = now + (stuck ? ex.config.foreignGrace().toNanos() : IN_FLIGHT_NANOS);
            }
            if (now - deadline >= 0) {
                break;
            }
            ex.awaitArrival(Math.min(POLL_NANOS, deadline - now));
        }
        abandonTheRest(ex, stuck);
    }

    /** Wakes kernel waits (they throw ExecutionAborted); interrupts and unparks every other wait. */
    private static void nudge(Execution ex) {
        for (Task t : ex.allTasks()) {
            switch (t.state()) {
                case PARKED -> ex.wake(t);
                case PARKED_ELSEWHERE, RUNNING, YIELDING -> {
                    t.thread().interrupt();
                    LockSupport.unpark(t.thread());
                }
                default -> { }
            }
        }
    }

    /** Whether every live task is parked outside the kernel in an untimed wait, none in flight. */
    private static boolean allStuck(Execution ex) {
        for (Task t : ex.aliveTasks()) {
            if (t.state() != Task.State.PARKED_ELSEWHERE || t.thread().getState() != Thread.State.WAITING) {
                return false;
            }
        }
        return true;
    }

    private static void abandonTheRest(Execution ex, boolean stuck) {
        List<Task> left = ex.aliveTasks();
        if (left.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("Teardown abandoned ").append(left.size())
                .append(" task(s) that cannot unwind:\n");
        List<String> lines = new ArrayList<>();
        for (Task t : left) {
            lines.add("  " + t + ": " + describe(t));
        }
        for (Task t : left) {
            ex.abandonAtTeardown(t);
        }
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        if (stuck) {
            sb.append("Each is parked in a wait that ignored the interrupt teardown sent (or caught the "
                    + "InterruptedException and waited again), and every task that could release it has ended or is "
                    + "parked the same way; ");
            sb.append(ex.foreign.count() == 0
                    ? "the simulator saw no thread outside it in this execution."
                    : "no thread outside the simulator released one within " + ex.config.foreignGrace().toMillis()
                            + " ms (SimConfig.withForeignGrace).");
        } else {
            sb.append("They did not unwind within ").append(IN_FLIGHT_NANOS / 1_000_000)
                    .append(" ms of wall time.");
        }
        sb.append(" Their virtual threads stay parked and the simulator keeps no reference to them, so the garbage "
                + "collector reclaims them with whatever only they reach; something outside the execution that "
                + "reaches one (a lock in a static field, a thread the test keeps) keeps it alive. Waits that can be "
                + "interrupted (lockInterruptibly, Condition.await, BlockingQueue.take), with the "
                + "InterruptedException left to propagate, let a failed run unwind instead.\n");
        ex.failure().noteTeardown(sb.toString());
    }

    /** Where a task is parked: the JDK call it waits in and the application's line that made it. */
    private static String describe(Task t) {
        StackTraceElement[] stack = t.thread().getStackTrace();
        Thread.State state = t.thread().getState();
        int at = Blocking.callSiteIndex(stack);
        String in = at > 0 ? stack[at - 1].getClassName() + "." + stack[at - 1].getMethodName() : "a wait";
        String where = "parked in " + in + (at >= 0 ? ", called at " + stack[at] : "");
        return state == Thread.State.WAITING
                ? where + ", after teardown interrupted it"
                : where + ", still " + state + " (a wake-up was in flight)";
    }
}

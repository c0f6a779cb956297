package dev.trellis.sim;

import dev.trellis.runtime.spi.Task;

import java.util.concurrent.locks.LockSupport;

/**
 * Unwinds every live task after a harness failure, so no virtual thread outlives its execution:
 * kernel waits throw ExecutionAborted, other waits are interrupted and unparked. A task that will
 * not unwind within the time allowed is named in the failure's suppressed list.
 */
final class Teardown {
    private static final long WAIT_NANOS = 2_000_000_000L;

    private Teardown() {}

    static void run(Execution ex) {
        ex.beginAbort("execution aborted after: " + ex.failure().headline());
        // Wall time only bounds how long to wait for stragglers; the trace has already ended.
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (ex.liveCount() > 0 && System.nanoTime() < deadline) {
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
            ex.runReadyForTeardown();
            if (ex.liveCount() > 0) {
                Thread.onSpinWait();
                if (ex.inboxEmpty()) {
                    LockSupport.parkNanos(100_000);
                }
            }
        }
        if (ex.liveCount() > 0) {
            StringBuilder sb = new StringBuilder("tasks that did not unwind at teardown (their threads leak):\n");
            for (Task t : ex.aliveTasks()) {
                sb.append("  ").append(t).append('\n');
                Failures.appendStack(sb, t.thread().getStackTrace(), "      ");
            }
            ex.failure().addSuppressed(new IllegalStateException(sb.toString()));
        }
    }
}

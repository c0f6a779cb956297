package dev.trellis.sim;

import dev.trellis.runtime.spi.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.AbstractQueuedLongSynchronizer;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads outside the simulator one execution has seen take part: one a task created (see
 * {@link ThreadBirths}), one that handed back a task's continuation, one that unparked a task as
 * it parked, one a task's wait implies. Once one is seen, a stall with tasks parked on
 * java.util.concurrent objects waits out the foreign grace before it is a deadlock, and teardown
 * waits as long before it abandons tasks (see {@link Teardown}); until then both act at once.
 * The first few are described, in the order seen, for the report. Driver's thread only.
 */
final class ForeignSightings {
    private static final int DESCRIBED = 3;

    private final List<String> described = new ArrayList<>(0);
    private int count;

    void saw(String what) {
        if (described.size() < DESCRIBED) {
            described.add(what);
        }
        count++;
    }

    /** How many this execution has seen. */
    int count() {
        return count;
    }

    /** The first few, described, in the order seen. */
    List<String> described() {
        return described;
    }

    /**
     * Some java.util.concurrent waits end only when a thread completes something, not when a
     * holder releases a lock: a CompletableFuture's join, a FutureTask's get, a ForkJoinTask.
     * No task of this execution may run that work, so a thread outside the simulator is taking
     * part even if the execution never saw it born (the common pool's workers are made without
     * a trace the simulator can see). Counted as seen, so the stall waits the grace and the
     * report names the wait. Locks, conditions and the queues built on them (their blocker is an
     * AbstractQueuedSynchronizer or one of its conditions) are released by whoever holds them,
     * which may well be a task, and are not counted.
     */
    void noteWaitsOnlyTheyEnd(List<Task> tasks) {
        for (Task t : tasks) {
            if (t.state() != Task.State.PARKED_ELSEWHERE) {
                continue;
            }
            Object blocker = LockSupport.getBlocker(t.thread());
            if (blocker != null && !(blocker instanceof AbstractQueuedSynchronizer)
                    && !(blocker instanceof AbstractQueuedLongSynchronizer) && !(blocker instanceof Condition)) {
                saw(t + " waits on a " + blocker.getClass().getName()
                        + ", which the thread running that work completes, not a task");
            }
        }
    }
}

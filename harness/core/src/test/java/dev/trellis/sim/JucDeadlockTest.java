package dev.trellis.sim;

import dev.trellis.runtime.Event;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deadlocks on java.util.concurrent locks, conditions and queues among tasks are reported at once,
 * without the foreign-thread grace, and torn down at once: tasks in interruptible waits unwind,
 * tasks in waits that ignore interrupts are abandoned and their threads garbage collected.
 * Every config here has a foreign grace far longer than the test's timeout, so a report that
 * waited it out would fail the test: that is how these tests say "at once" without a clock.
 */
@Timeout(60)
class JucDeadlockTest {
    private static final SimConfig NEVER_WAIT = SimConfig.defaults().withForeignGrace(Duration.ofMinutes(10));

    /** Threads of the lock-order program's tasks, held weakly, so the test itself keeps none alive. */
    private static final List<WeakReference<Thread>> TASK_THREADS = Collections.synchronizedList(new ArrayList<>());

    private long liveBefore;

    @BeforeEach
    void countLiveTaskThreads() {
        liveBefore = Kernel.liveTaskThreads();
    }

    /**
     * Teardown, done before Simulation.run returns, unwinds or abandons every task: none is left
     * running. (Against a count taken before, since a runaway of another test class may still be
     * on its way out.)
     */
    @AfterEach
    void noTaskThreadIsLeftRunning() {
        assertThat(Kernel.liveTaskThreads()).as("task threads neither ended nor abandoned").isLessThanOrEqualTo(liveBefore);
    }

    /** Two tasks take two ReentrantLocks in opposite orders, each only once the other holds its first: always a deadlock. */
    static void lockOrderDeadlock() throws Exception {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        Event leftHolds = new Event();
        Event rightHolds = new Event();
        Nursery.open(n -> {
            n.start("left", () -> {
                TASK_THREADS.add(new WeakReference<>(Thread.currentThread()));
                a.lock();
                try {
                    leftHolds.set();
                    rightHolds.await();
                    b.lock();
                    b.unlock();
                } finally {
                    a.unlock();
                }
            });
            n.start("right", () -> {
                TASK_THREADS.add(new WeakReference<>(Thread.currentThread()));
                b.lock();
                try {
                    rightHolds.set();
                    leftHolds.await();
                    a.lock();
                    a.unlock();
                } finally {
                    b.unlock();
                }
            });
        });
    }

    @Test
    void aLockOrderDeadlockIsReportedAtOnceAndItsTwoTasksAreAbandonedAndSaidToBe() {
        long abandoned = Kernel.abandonedTaskThreads();
        Result r = Simulation.result(JucDeadlockTest::lockOrderDeadlock, 3, NEVER_WAIT);

        assertThat(r.failure()).isInstanceOf(SimulationFailure.Deadlock.class);
        String message = r.failure().getMessage();
        assertThat(message)
                .contains("task 1 'left': parked outside Trellis (a java.util.concurrent lock, queue or condition)")
                .contains("task 2 'right': parked outside Trellis")
                .contains("Reported at once: the simulator saw no thread outside it in this execution")
                .contains("Teardown abandoned 2 task(s) that cannot unwind:\n"
                        + "  task 1 'left': parked in java.util.concurrent.locks.ReentrantLock.lock, called at "
                        + "dev.trellis.sim.JucDeadlockTest.lambda$")
                .contains("  task 2 'right': parked in java.util.concurrent.locks.ReentrantLock.lock, called at ")
                .contains("after teardown interrupted it")
                .contains("the simulator saw no thread outside it in this execution. Their virtual threads stay "
                        + "parked and the simulator keeps no reference to them")
                .contains("lockInterruptibly");
        assertThat(message.indexOf("Teardown abandoned")).as("the teardown note comes before the replay footer")
                .isLessThan(message.indexOf(Failures.SCHEDULE_LINE));
        assertThat(message).endsWith("--------------------------------------------------------------------\n");
        assertThat(Kernel.abandonedTaskThreads() - abandoned).isEqualTo(2);

        Result again = Simulation.result(JucDeadlockTest::lockOrderDeadlock, 3, NEVER_WAIT);
        assertThat(again.traceHash()).isEqualTo(r.traceHash());
        assertThat(again.failure().getMessage()).isEqualTo(message);
    }

    /**
     * 10,000 lock-order deadlocks, one after another: each reported and torn down at once (the
     * grace is ten minutes, the timeout five), their 20,000 abandoned threads collected, the heap
     * and the platform threads no larger after the last thousand than after the first.
     */
    @Test
    @Timeout(300)
    void tenThousandLockOrderDeadlocksNeitherSlowDownNorKeepMemoryOrThreads() {
        TASK_THREADS.clear();
        int executions = 10_000;
        int block = 1_000;
        long abandonedBefore = Kernel.abandonedTaskThreads();
        long heapAfterFirst = 0;
        int platformAfterFirst = 0;
        long blockStart = System.nanoTime();
        List<String> speeds = new ArrayList<>();
        for (int seed = 0; seed < executions; seed++) {
            Result r = Simulation.result(JucDeadlockTest::lockOrderDeadlock, seed, NEVER_WAIT);
            assertThat(r.failure()).as("seed %d", seed).isInstanceOf(SimulationFailure.Deadlock.class);
            if (seed % block == block - 1) {
                long ns = System.nanoTime() - blockStart;
                speeds.add(String.format(Locale.ROOT, "%,.0f", block / (ns / 1e9)));
                if (seed == block - 1) {
                    heapAfterFirst = heapAfterGc();
                    platformAfterFirst = platformThreads();
                }
                blockStart = System.nanoTime();
            }
        }
        long heapAfterLast = heapAfterGc();
        int platformAfterLast = platformThreads();
        long cleared = TASK_THREADS.stream().filter(ref -> ref.get() == null).count();
        System.out.printf(Locale.ROOT, "lock-order deadlocks, executions/s by thousand: %s; heap after GC %,d KiB after "
                        + "the first thousand, %,d KiB after the last; platform threads %d then %d; %d of %d task threads "
                        + "collected%n", String.join(" ", speeds), heapAfterFirst / 1024, heapAfterLast / 1024,
                platformAfterFirst, platformAfterLast, cleared, TASK_THREADS.size());

        assertThat(Kernel.abandonedTaskThreads() - abandonedBefore).isEqualTo(2L * executions);
        assertThat(TASK_THREADS).hasSize(2 * executions);
        assertThat(cleared).as("abandoned task threads the garbage collector took").isEqualTo(2L * executions);
        // A leaked execution keeps two parked threads with their stacks and the execution's trace: far
        // more than 1 KiB each, so 9,000 of them would pass this margin many times over.
        assertThat(heapAfterLast).as("heap after GC, after the last thousand").isLessThan(heapAfterFirst + 8L * 1024 * 1024);
        assertThat(platformAfterLast).as("live platform threads").isLessThanOrEqualTo(platformAfterFirst + 2);
        TASK_THREADS.clear();
    }

    /** Runs the garbage collector until the weak references it clears stop changing, then reads the heap. */
    private static long heapAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
            LockSupport.parkNanos(20_000_000L);   // lets reference processing catch up; not a timing assertion
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Live platform threads (virtual threads are not among them). */
    private static int platformThreads() {
        return Thread.getAllStackTraces().size();
    }

    /** Exploring a lock-order bug that deadlocks on some schedules only: the deadlocks cost no more than the rest. */
    @Test
    void exploringALockOrderBugVisitsBothOutcomesQuickly() {
        int seeds = 2_000;
        int deadlocks = 0;
        long start = System.nanoTime();
        for (long seed = 0; seed < seeds; seed++) {
            Result r = Simulation.result(() -> {
                ReentrantLock a = new ReentrantLock();
                ReentrantLock b = new ReentrantLock();
                Nursery.open(n -> {
                    n.start("left", () -> takeBoth(a, b));
                    n.start("right", () -> takeBoth(b, a));
                });
            }, seed, NEVER_WAIT);
            if (r.failure() != null) {
                assertThat(r.failure()).isInstanceOf(SimulationFailure.Deadlock.class);
                deadlocks++;
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "lock-order bug explored: %d executions (%d deadlocks) in %.2f s = %,.0f "
                + "executions/s%n", seeds, deadlocks, secs, seeds / secs);
        assertThat(deadlocks).as("deadlocks among %d seeds", seeds).isBetween(1, seeds - 1);
    }

    private static void takeBoth(ReentrantLock first, ReentrantLock second) {
        first.lock();
        try {
            Trellis.checkpoint();
            second.lock();
            second.unlock();
        } finally {
            first.unlock();
        }
    }

    @Test
    void aConditionAwaitDeadlockUnwindsAtTeardownWithoutAbandoningAnyTask() {
        long abandoned = Kernel.abandonedTaskThreads();
        Result r = Simulation.result(() -> {
            ReentrantLock lock = new ReentrantLock();
            Condition pinged = lock.newCondition();
            Condition ponged = lock.newCondition();
            boolean[] flags = new boolean[2];
            Nursery.open(n -> {
                // Each waits to hear from the other before it answers: nobody ever signals.
                n.start("pinger", () -> awaitThenSignal(lock, ponged, flags, 1, pinged, 0));
                n.start("ponger", () -> awaitThenSignal(lock, pinged, flags, 0, ponged, 1));
            });
        }, 5, NEVER_WAIT);
        assertThat(r.failure()).isInstanceOf(SimulationFailure.Deadlock.class);
        assertThat(r.failure().getMessage())
                .contains("Reported at once")
                .contains("ConditionObject.await")
                .doesNotContain("Teardown abandoned");
        assertThat(Kernel.abandonedTaskThreads()).isEqualTo(abandoned);
    }

    private static void awaitThenSignal(ReentrantLock lock, Condition awaited, boolean[] flags, int flag,
                                        Condition signalled, int mine) throws InterruptedException {
        lock.lock();
        try {
            while (!flags[flag]) {
                awaited.await();
            }
            flags[mine] = true;
            signalled.signal();
        } finally {
            lock.unlock();
        }
    }

    @Test
    void aBlockingQueueTakeDeadlockUnwindsAtTeardownWithoutAbandoningAnyTask() {
        long abandoned = Kernel.abandonedTaskThreads();
        Result r = Simulation.result(() -> {
            LinkedBlockingQueue<String> toLeft = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<String> toRight = new LinkedBlockingQueue<>();
            Nursery.open(n -> {
                n.start("left", () -> toRight.put("reply to " + toLeft.take()));
                n.start("right", () -> toLeft.put("reply to " + toRight.take()));
            });
        }, 5, NEVER_WAIT);
        assertThat(r.failure()).isInstanceOf(SimulationFailure.Deadlock.class);
        assertThat(r.failure().getMessage())
                .contains("Reported at once")
                .contains("LinkedBlockingQueue.take")
                .doesNotContain("Teardown abandoned");
        assertThat(Kernel.abandonedTaskThreads()).isEqualTo(abandoned);
    }

    @Test
    void aTaskWaitingForALockWhoseHolderCanUnwindIsNotAbandoned() {
        long abandoned = Kernel.abandonedTaskThreads();
        Result r = Simulation.result(() -> {
            ReentrantLock lock = new ReentrantLock();
            Event held = new Event();
            Event never = new Event();
            Nursery.open(n -> {
                n.start("holder", () -> {
                    lock.lock();
                    try {
                        held.set();
                        never.await();   // a Trellis wait: teardown ends it, and the finally releases the lock
                    } finally {
                        lock.unlock();
                    }
                });
                n.start("waiter", () -> {
                    held.await();
                    lock.lock();   // ignores interrupts, but the holder lets go at teardown
                    try {
                        Trellis.checkpoint();
                    } finally {
                        lock.unlock();
                    }
                });
            });
        }, 1, NEVER_WAIT);
        assertThat(r.failure()).isInstanceOf(SimulationFailure.Deadlock.class);
        assertThat(r.failure().getMessage()).doesNotContain("Teardown abandoned");
        assertThat(Kernel.abandonedTaskThreads()).isEqualTo(abandoned);
    }

    /** Long enough that no delay of a loaded machine outlasts it; paid only when nothing comes. */
    private static final Duration PATIENT = Duration.ofSeconds(20);

    @Test
    void aThreadATaskStartedThatFeedsItsQueueIsStillNamedAsAForeignWakeUp() {
        Result r = Simulation.result(() -> {
            LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
            Task me = Kernel.current("test");
            Thread feeder = new Thread(() -> {
                awaitParkedOutsideTrellis(me);
                queue.add("hello");
            }, "queue-feeder");
            feeder.setDaemon(true);
            feeder.start();
            queue.take();
        }, 1, SimConfig.defaults().withForeignGrace(PATIENT));
        assertThat(r.failure()).isInstanceOf(SimulationFailure.UncontrolledBlocking.class);
        assertThat(r.failure().getMessage())
                .contains("woken by thread 'queue-feeder'")
                .contains("LinkedBlockingQueue.take");
    }

    /**
     * Waits, in real time, until the driver has seen {@code task} park outside Trellis (see
     * FailureModesTest: the thread's own state says WAITING too early).
     */
    private static void awaitParkedOutsideTrellis(Task task) {
        long deadline = System.nanoTime() + PATIENT.toNanos();
        while (task.state() != Task.State.PARKED_ELSEWHERE && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
    }

    @Test
    void aThreadStartedBeforeTheRunIsNotWaitedForAndTheReportSaysWhatToDo() throws Exception {
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        CountDownLatch runOver = new CountDownLatch(1);
        Thread feeder = new Thread(() -> {
            try {
                runOver.await();
                queue.add("too late");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "feeder-started-before-the-run");
        feeder.setDaemon(true);
        feeder.start();
        try {
            Result r = Simulation.result(queue::take, 1, NEVER_WAIT);
            assertThat(r.failure()).isInstanceOf(SimulationFailure.Deadlock.class);
            assertThat(r.failure().getMessage())
                    .contains("Reported at once: the simulator saw no thread outside it in this execution")
                    .contains("(a thread or executor started before the run, a JDK timer), that is the bug")
                    .doesNotContain("Teardown abandoned");
        } finally {
            runOver.countDown();
            feeder.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}

package dev.trellis.sim;

import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.Channel;
import dev.trellis.runtime.Event;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.Task;
import dev.trellis.trace.Trace;
import dev.trellis.trace.TraceKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Each harness failure ends the run, with a message that says what, where, and how to replay. */
@Timeout(60)
class FailureModesTest {
    /** Teardown unwinds every task of a failed run: no task thread may be left behind. */
    @AfterEach
    void everyTaskThreadEnded() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Kernel.liveTaskThreads() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(Kernel.liveTaskThreads()).as("task threads still alive").isZero();
    }

    private static void assertReplayFooter(SimulationFailure f, long seed) {
        assertThat(f.getMessage())
                .contains("seed       " + seed)
                .contains("strategy   random")
                .contains("Simulation.run(body, Schedule.parse(\"seed=" + seed + " strategy=random")
                .contains("-Dtrellis.seed=" + seed);
    }

    @Nested
    class Deadlocks {
        @Test
        void twoTasksWaitingOnEachOtherAreReportedWithWhatEachWaitsOnAndWhere() {
            Result r = Simulation.result(() -> {
                Channel<String> a = Channel.unbuffered();
                Channel<String> b = Channel.unbuffered();
                Nursery.open(n -> {
                    n.start("left", () -> a.send(b.receive()));
                    n.start("right", () -> b.send(a.receive()));
                });
            }, 7);
            assertThat(r.failure()).isInstanceOf(SimulationFailure.Deadlock.class);
            assertThat(r.failure().headline()).isEqualTo("deadlock with 3 task(s) alive");
            assertThat(r.failure().getMessage())
                    .contains("task 1 'left': waits on receive on an empty channel")
                    .contains("task 2 'right': waits on receive on an empty channel")
                    .contains("task 0 'main': waits on nursery close")
                    .contains("FailureModesTest");
            assertReplayFooter(r.failure(), 7);
        }

        @Test
        void aCancelledWaitThatIgnoresInterruptsIsNamedAsSuch() {
            Result r = Simulation.result(() -> {
                java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
                Event never = new Event();
                CancelScope.moveOnAfter(java.time.Duration.ofMillis(1), () -> Nursery.open(n -> {
                    n.start("holder", () -> {
                        lock.lock();
                        try {
                            CancelScope.openShielded(s -> never.await());
                        } finally {
                            lock.unlock();
                        }
                    });
                    n.start("waiter", () -> {
                        Trellis.checkpoint();
                        lock.lock();
                        try {
                            Trellis.checkpoint();
                        } finally {
                            lock.unlock();
                        }
                    });
                }));
            }, 3);
            assertThat(r.failure()).isInstanceOf(SimulationFailure.Deadlock.class);
            assertThat(r.failure().getMessage())
                    .contains("task 2 'waiter': was cancelled, interrupted once for it, and is parked again outside "
                            + "Trellis: either the java.util.concurrent wait ignores interrupts")
                    .contains("Use an interruptible wait");
        }
    }

    @Nested
    class Runaways {
        private static volatile boolean stop;

        @Test
        void taskThatNeverCheckpointsIsReportedAndTheCallerGetsAnAnswer() {
            stop = false;
            try {
                Result r = Simulation.result(() -> {
                    while (!stop) {
                        Thread.onSpinWait();
                    }
                }, 3, SimConfig.defaults().withRunawayLimit(Duration.ofMillis(200)));
                assertThat(r.failure()).isInstanceOf(SimulationFailure.Runaway.class);
                assertThat(r.failure().getMessage())
                        .contains("without reaching a checkpoint")
                        .contains("FailureModesTest$Runaways")
                        .contains("Trellis.checkpoint()");
                assertReplayFooter(r.failure(), 3);
            } finally {
                stop = true;
            }
        }

        @Test
        void longComputationIsAbortedAtItsNextCheckpoint() {
            Result r = Simulation.result(() -> {
                long until = System.nanoTime() + 600_000_000L;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                Trellis.checkpoint();
                throw new AssertionError("must not get past the checkpoint");
            }, 4, SimConfig.defaults().withRunawayLimit(Duration.ofMillis(100)));
            assertThat(r.failure()).isInstanceOf(SimulationFailure.Runaway.class);
        }

        /** Notes as it goes, without a checkpoint, until told to stop; then returns. */
        private static void spinNoting(AtomicBoolean stop) {
            int i = 0;
            while (!stop.get()) {
                Trellis.note("spin " + (i++ % 4));
                long until = System.nanoTime() + 20_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
        }

        private static Result runSpinner(AtomicBoolean stop) {
            return Simulation.result(() -> Nursery.open(n -> {
                n.start("steady", () -> {
                    for (int i = 0; i < 3; i++) {
                        Trellis.note("steady " + i);
                        Trellis.checkpoint();
                    }
                });
                n.start("spinner", () -> {
                    Trellis.checkpoint();
                    Trellis.note("about to spin");
                    spinNoting(stop);
                });
            }), 11, SimConfig.defaults().withRunawayLimit(Duration.ofMillis(100)));
        }

        @Test
        void theTraceEndsWhereTheRunawayStepBeganTheSameOnEveryRun() throws InterruptedException {
            Set<String> outcomes = new TreeSet<>();
            for (int run = 0; run < 5; run++) {
                AtomicBoolean stop = new AtomicBoolean();
                Result r;
                try {
                    r = runSpinner(stop);
                } finally {
                    stop.set(true);
                }
                Trace t = r.trace();
                int size = t.size();
                long hash = t.hash();
                assertThat(r.failure()).isInstanceOf(SimulationFailure.Runaway.class);
                assertThat(r.failure().getMessage())
                        .as("the report still says where the task was")
                        .contains("spinNoting")
                        .contains("steps      " + r.steps())
                        .contains("trace      " + r.traceHashHex());
                assertThat(r.traceHash()).isEqualTo(hash);
                int last = size - 1;
                assertThat(t.kind(last)).as("the last event begins the runaway step: %s", t.describe(last))
                        .isIn(TraceKind.STEP, TraceKind.YIELD);
                assertThat(t.task(last)).isEqualTo(2);
                assertThat(t.step(last) + 1).isEqualTo(r.steps());
                for (int i = 0; i < size; i++) {
                    assertThat(t.text(i)).as("nothing the runaway step did is in the trace")
                            .isNotIn("about to spin", "spin 0", "spin 1", "spin 2", "spin 3");
                }
                // The abandoned task returns now and the driver tears the run down: the result keeps its trace.
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (Kernel.liveTaskThreads() != 0 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(t.size()).isEqualTo(size);
                assertThat(t.hash()).isEqualTo(hash);
                outcomes.add(r.traceHashHex() + " " + size + " events " + r.steps() + " steps");
            }
            assertThat(outcomes).as("five runs of seed 11").hasSize(1);
        }
    }

    @Nested
    class UncontrolledBlocking {
        @Test
        void threadSleepIsNamedWithItsCallSite() {
            Result r = Simulation.result(() -> Thread.sleep(10), 1);
            assertThat(r.failure()).isInstanceOf(SimulationFailure.UncontrolledBlocking.class);
            assertThat(r.failure().getMessage())
                    .contains("a timed wait outside the virtual clock")
                    .contains("FailureModesTest$UncontrolledBlocking")
                    .contains("Use Trellis.sleep");
            assertReplayFooter(r.failure(), 1);
        }

        @Test
        void realSocketIoIsNamed() throws Exception {
            try (ServerSocket server = new ServerSocket(0)) {
                Result r = Simulation.result(() -> {
                    try (var s = server.accept()) {
                        s.getInputStream().read();
                    }
                }, 1);
                assertThat(r.failure()).isInstanceOf(SimulationFailure.UncontrolledBlocking.class);
                assertThat(r.failure().getMessage()).contains("real I/O").contains("ByteStream");
            }
        }

        @Test
        void virtualThreadStartedOutsideANurseryIsNamedAndStillRuns() throws Exception {
            CountDownLatch ran = new CountDownLatch(1);
            Result r = Simulation.result(() -> {
                Thread.ofVirtual().start(ran::countDown);
                Trellis.checkpoint();
            }, 1);
            assertThat(r.failure()).isInstanceOf(SimulationFailure.UncontrolledBlocking.class);
            assertThat(r.failure().getMessage())
                    .contains("a thread it started outside a nursery")
                    .contains("FailureModesTest$UncontrolledBlocking");
            assertThat(ran.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("the foreign thread ran").isTrue();
        }

        /**
         * The common pool's workers are made without a trace the simulator sees, yet the task
         * waits on work only such a worker completes: the stall must wait for it and name it,
         * not call itself a deadlock among tasks.
         */
        @Test
        void aCommonPoolWorkerCompletingATasksFutureIsNamed() {
            Result r = Simulation.result(() -> {
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
                    return 1;
                }).join();
            }, 1, SimConfig.defaults().withForeignGrace(PATIENT));
            assertThat(r.failure()).isInstanceOf(SimulationFailure.UncontrolledBlocking.class);
            assertThat(r.failure().getMessage()).contains("ForkJoinPool").doesNotContain("Reported at once");
        }

        /** Long enough that no scheduling delay of a loaded machine outlasts it; paid only if nothing comes. */
        private static final Duration PATIENT = Duration.ofSeconds(20);

        /**
         * Waits, in real time (this runs outside the simulator), until the driver has seen {@code task}
         * park outside Trellis. Its thread reading WAITING is not enough: the JDK marks a virtual
         * thread parked before it checks, on the carrier, whether it was unparked meanwhile, and an
         * unpark in that window is handed back by the carrier itself, as if a task had made it.
         */
        private static void awaitParkedOutsideTrellis(Task task) {
            long deadline = System.nanoTime() + PATIENT.toNanos();
            while (task.state() != Task.State.PARKED_ELSEWHERE && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        }

        @Test
        void wakeUpFromAThreadStartedOutsideANurseryIsNamed() {
            // The helper wakes the task only once the driver has seen it wait on the latch, and the
            // grace outlasts the helper's trip however loaded the machine: a foreign wake-up every run.
            Result r = Simulation.result(() -> {
                CountDownLatch latch = new CountDownLatch(1);
                Task me = Kernel.current("test");
                Thread helper = new Thread(() -> {
                    awaitParkedOutsideTrellis(me);
                    latch.countDown();
                }, "rogue-helper");
                helper.setDaemon(true);
                helper.start();
                latch.await();
            }, 1, SimConfig.defaults().withForeignGrace(PATIENT));
            assertThat(r.failure()).isInstanceOf(SimulationFailure.UncontrolledBlocking.class);
            assertThat(r.failure().getMessage())
                    .contains("woken by thread 'rogue-helper'")
                    .contains("Nursery.start")
                    .contains("CountDownLatch")
                    .contains("foreignGrace=PT20S");
        }

        @Test
        void aDeadlockOnAJavaUtilConcurrentWaitIsReportedAtOnceWhenNoForeignThreadTookPart() {
            // A grace longer than the test's timeout: waiting it out would fail the test.
            Result r = Simulation.result(() -> new java.util.concurrent.Semaphore(0).acquire(), 2,
                    SimConfig.defaults().withForeignGrace(Duration.ofMinutes(10)));
            assertThat(r.failure()).isInstanceOf(SimulationFailure.Deadlock.class);
            assertThat(r.failure().getMessage())
                    .contains("task 0 'main': parked outside Trellis (a java.util.concurrent lock, queue or condition)")
                    .contains("Reported at once: the simulator saw no thread outside it in this execution")
                    .contains("a thread or executor started before the run")
                    .contains("Start that work with Nursery.start")
                    .doesNotContain("within 600000 ms");
        }

        @Test
        void aDeadlockOnAJavaUtilConcurrentWaitAfterATaskCreatedAThreadWaitsTheGraceAndNamesTheThread() {
            Result r = Simulation.result(() -> {
                new Thread(() -> { }, "bystander").start();   // touches nothing, but the run cannot know
                new java.util.concurrent.Semaphore(0).acquire();
            }, 2, SimConfig.defaults().withForeignGrace(Duration.ofMillis(10)));
            assertThat(r.failure()).isInstanceOf(SimulationFailure.Deadlock.class);
            assertThat(r.failure().getMessage())
                    .contains("within 10 ms of wall time (SimConfig.withForeignGrace)")
                    .contains("  - task 0 'main' created a thread at dev.trellis.sim.FailureModesTest$UncontrolledBlocking")
                    .contains("FailureModesTest.java:")
                    .doesNotContain("Reported at once");
        }

        @Test
        void aDeadlockAmongTrellisWaitsDoesNotWaitOutTheForeignGrace() {
            long start = System.nanoTime();
            Result r = Simulation.result(() -> {
                Channel<String> a = Channel.unbuffered();
                Channel<String> b = Channel.unbuffered();
                Nursery.open(n -> {
                    n.start("left", () -> a.send(b.receive()));
                    n.start("right", () -> b.send(a.receive()));
                });
            }, 7, SimConfig.defaults().withForeignGrace(Duration.ofMinutes(10)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(r.failure()).isInstanceOf(SimulationFailure.Deadlock.class);
            assertThat(r.failure().getMessage()).doesNotContain("withForeignGrace");
            assertThat(took).as("no task waits outside Trellis: nothing to wait for").isLessThan(Duration.ofSeconds(30));
        }
    }

    @Nested
    class Limits {
        @Test
        void livelockHitsTheStepLimit() {
            Result r = Simulation.result(() -> Nursery.open(n -> {
                n.start("spinner-a", () -> { while (true) Trellis.checkpoint(); });
                n.start("spinner-b", () -> { while (true) Trellis.checkpoint(); });
            }), 5, SimConfig.defaults().withMaxSteps(10_000));
            assertThat(r.failure()).isInstanceOf(SimulationFailure.LimitExceeded.class);
            assertThat(r.failure().getMessage()).contains("Limit exceeded (steps)").contains("withMaxSteps");
            assertThat(r.steps()).isEqualTo(10_000);
        }

        @Test
        void loneTaskCheckpointingForeverHitsTheStepLimitToo() {
            Result r = Simulation.result(() -> { while (true) Trellis.checkpoint(); }, 5,
                    SimConfig.defaults().withMaxSteps(5_000));
            assertThat(r.failure()).isInstanceOf(SimulationFailure.LimitExceeded.class);
        }

        @Test
        void endlessSleepingHitsTheVirtualTimeLimit() {
            Result r = Simulation.result(() -> { while (true) Trellis.sleep(Duration.ofHours(1)); }, 5,
                    SimConfig.defaults().withMaxTime(Duration.ofDays(2)));
            assertThat(r.failure()).isInstanceOf(SimulationFailure.LimitExceeded.class);
            assertThat(r.failure().getMessage()).contains("virtual time").contains("PT48H");
            assertThat(r.endTime()).isEqualTo(Duration.ofDays(2));
        }
    }
}

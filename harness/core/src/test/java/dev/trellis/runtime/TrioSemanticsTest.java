package dev.trellis.runtime;

import dev.trellis.real.RealRuntime;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.sim.Sims;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The programs, each with trio 0.22's outcome as the expected one (measured by running the
 * same program in trio under {@code MockClock(autojump_threshold=0)}; see also the trio corpus),
 * on both engines. Under the simulator times are exact and every seed must agree; under the real
 * runtime the program runs 50 times slower and only the outcome and a coarse time are checked.
 */
@Timeout(60)
class TrioSemanticsTest {
    /** Runs a body on one engine; {@code unit} is the program's millisecond. */
    enum Engine {
        SIM(Duration.ofMillis(1)),
        REAL(Duration.ofMillis(50));

        final Duration unit;

        Engine(Duration unit) {
            this.unit = unit;
        }

        <T> T run(Callable<T> body) throws Exception {
            if (this == REAL) {
                return RealRuntime.run(body);
            }
            T first = null;
            for (long seed = 0; seed < 20; seed++) {
                Object[] value = new Object[1];
                String strategy = seed % 2 == 0 ? "random" : "pct:3";
                Result r = Simulation.result(() -> value[0] = body.call(), seed, SimConfig.defaults().withStrategy(strategy));
                if (r.failure() != null) {
                    throw r.failure();
                }
                if (r.bodyFailure() != null) {
                    CancelScope.rethrow(r.bodyFailure());
                }
                @SuppressWarnings("unchecked")
                T v = (T) value[0];
                if (seed == 0) {
                    first = v;
                } else {
                    assertThat(v).as("seed %d (%s) gives what seed 0 gave", seed, strategy).isEqualTo(first);
                }
            }
            return first;
        }

        Duration ms(long n) {
            return unit.multipliedBy(n);
        }

        /** The program's time now, in its own milliseconds, rounded down (real timers fire late, never early). */
        long now() {
            return Trellis.now().toNanos() / unit.toNanos();
        }

        /**
         * Checks what a program saw, its end time last: exactly under the simulator; under the real
         * runtime the time may run late by up to four program milliseconds (a loaded machine), never early.
         */
        void check(List<Object> seen, Object... expected) {
            assertThat(seen).hasSize(expected.length);
            int last = expected.length - 1;
            assertThat(seen.subList(0, last)).isEqualTo(List.of(expected).subList(0, last));
            long time = (Long) seen.get(last);
            long want = (Long) expected[last];
            if (this == SIM) {
                assertThat(time).as("virtual end time").isEqualTo(want);
            } else {
                assertThat(time).as("real end time, in units of %s", unit).isBetween(want, want + 4);
            }
        }
    }

    static final class E extends RuntimeException {
        E(String name) {
            super(name, null, false, false);
        }
    }

    @Nested
    class NurseryExitIsACheckpoint {
        /** trio: TooSlow at 4 ms (the nursery's exit raised the deadline's Cancelled after the shielded child ended). */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aDeadlineThatPassesWhileTheNurseryWaitsStillFires(Engine engine) throws Exception {
            long end = engine.run(() -> {
                assertThatThrownBy(() -> CancelScope.failAfter(engine.ms(2), () ->
                        Nursery.open(n -> n.start("child", () ->
                                CancelScope.openShielded(s -> Trellis.sleep(engine.ms(4)))))))
                        .isInstanceOf(TooSlow.class);
                return engine.now();
            });
            engine.check(List.<Object>of(end), 4L);
        }

        /** trio: ends cleanly at 2 ms with s1.cancelled_caught; the code after the nursery never runs. */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aCancelArrivingWhileTheOwnerWaitsEndsTheEnclosingScope(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                CancelScope s1 = CancelScope.open(s -> {
                    Nursery.open(n -> n.start("child", () -> {
                        Trellis.sleep(engine.ms(2));
                        s.cancel();
                    }));
                    CancelScope.openShielded(x -> {
                        Trellis.sleep(engine.ms(1));
                        throw new E("E3");
                    });
                });
                return List.of(s1.cancelledCaught(), engine.now());
            });
            engine.check(seen, true, 2L);
        }

        /** trio: ends at 4 ms: the shielded sleep after the nursery never runs. */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void codeAfterANurseryInsideAnExpiredScopeDoesNotRun(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                List<String> ran = new ArrayList<>();
                CancelScope scope = CancelScope.moveOnAfter(engine.ms(2), () -> {
                    Nursery.open(n -> n.start("child", () ->
                            CancelScope.openShielded(s -> Trellis.sleep(engine.ms(4)))));
                    CancelScope.openShielded(s -> {
                        ran.add("after");
                        Trellis.sleep(engine.ms(8));
                    });
                });
                return List.of(scope.cancelledCaught(), ran, engine.now());
            });
            engine.check(seen, true, List.of(), 4L);
        }

        /** trio: t1 ends with Cancelled (its inner nursery re-raises the outer cancellation). */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void anInnerNurseryReraisesAnOuterNurserysCancellation(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                List<Object> t1Ended = Collections.synchronizedList(new ArrayList<>());
                Nursery[] n1 = new Nursery[1];
                Nursery.open(outer -> {
                    n1[0] = outer;
                    outer.start("t1", () -> {
                        try {
                            Nursery.open(inner -> inner.start("canceller", () -> {
                                Trellis.sleep(engine.ms(1));
                                outer.cancelScope().cancel();
                            }));
                            t1Ended.add("normally");
                        } catch (Cancelled c) {
                            t1Ended.add("Cancelled");
                            throw c;
                        }
                    });
                });
                return List.of(t1Ended, n1[0].cancelScope().cancelledCaught(), engine.now());
            });
            engine.check(seen, List.of("Cancelled"), true, 1L);
        }

        /** trio: a nursery whose children all ended still checkpoints at its exit. */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aNurseryWithNoChildLeftRaisesAPendingCancellationAtItsExit(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                List<String> ran = new ArrayList<>();
                CancelScope scope = CancelScope.open(s -> {
                    Nursery.open(n -> s.cancel());
                    ran.add("after the nursery");
                });
                return List.of(scope.cancelledCaught(), ran);
            });
            assertThat(seen).containsExactly(true, List.of());
        }
    }

    /** trio's checkpoint() is a schedule point first, then a cancel check. */
    @Nested
    class CheckpointYieldsBeforeItChecks {
        /**
         * A cancel made by a task that runs while another yields at a checkpoint is raised at that
         * checkpoint. The simulator explores both orders; the real runtime runs the new task first.
         */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aCancelMadeDuringTheYieldIsRaisedAtThatCheckpoint(Engine engine) throws Exception {
            aCancelMadeDuringTheYieldIsRaisedAt(engine, Trellis::checkpoint);
        }
    }

    /**
     * Runs {@code point} in a scope a new task cancels: on the real runtime the new task runs during
     * the yield, so the point raises; the simulator explores both orders, and never lets the point
     * return after the cancel.
     */
    static void aCancelMadeDuringTheYieldIsRaisedAt(Engine engine, Body point) throws Exception {
        Set<List<String>> outcomes = new TreeSet<>(Comparator.comparing(List::toString));
        Body program = () -> {
            List<String> log = new ArrayList<>();
            CancelScope.open(s -> Nursery.open(n -> {
                n.start("canceller", () -> {
                    log.add("cancel");
                    s.cancel();
                });
                try {
                    point.run();
                    log.add("after the point");
                } catch (Cancelled c) {
                    log.add("Cancelled at the point");
                    throw c;
                }
            }));
            synchronized (outcomes) {
                outcomes.add(log);
            }
        };
        if (engine == Engine.REAL) {
            RealRuntime.run(() -> { program.run(); return null; });
            assertThat(outcomes).containsExactly(List.of("cancel", "Cancelled at the point"));
        } else {
            Sims.everySeed(200, "random", program);
            // Never "cancel" then "after the point": the yield comes before the check.
            assertThat(outcomes).containsExactlyInAnyOrder(
                    List.of("cancel", "Cancelled at the point"), List.of("after the point", "cancel"));
        }
    }

    /** trio's sleep(0) is checkpoint(), and a blocking call in a cancelled scope passes through the scheduler first. */
    @Nested
    class CancelledCallsAreSchedulePoints {
        @ParameterizedTest
        @EnumSource(Engine.class)
        void sleepZeroIsACheckpoint(Engine engine) throws Exception {
            aCancelMadeDuringTheYieldIsRaisedAt(engine, () -> Trellis.sleep(Duration.ZERO));
        }

        /** A ready task runs before a cancelled sleep raises (always on the real runtime, on some seeds in the simulator). */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void otherTasksRunBeforeACancelledCallRaises(Engine engine) throws Exception {
            Set<Boolean> otherRanFirst = Collections.synchronizedSet(new TreeSet<>());
            Body program = () -> {
                boolean[] ran = {false};
                Nursery.open(n -> {
                    n.start("other", () -> ran[0] = true);
                    CancelScope.open(s -> {
                        s.cancel();
                        try {
                            Trellis.sleep(Duration.ofMillis(1));
                        } catch (Cancelled c) {
                            otherRanFirst.add(ran[0]);
                            throw c;
                        }
                    });
                });
            };
            if (engine == Engine.REAL) {
                RealRuntime.run(() -> { program.run(); return null; });
                assertThat(otherRanFirst).containsExactly(true);
            } else {
                Sims.everySeed(100, "random", program);
                assertThat(otherRanFirst).contains(true);
            }
        }
    }

    /** Deadlines: entering with one past cancels at once; moving one into the past fires at the next pass, as in trio. */
    @Nested
    class Deadlines {
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aDeadlineMovedIntoThePastAndBackOutBeforeACheckpointDoesNothing(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                CancelScope scope = CancelScope.open(s -> {
                    s.setDeadline(Duration.ZERO);
                    s.setDeadline(null);
                    Trellis.checkpoint();
                });
                return List.of(scope.cancelCalled(), scope.cancelledCaught());
            });
            assertThat(seen).containsExactly(false, false);
        }

        @ParameterizedTest
        @EnumSource(Engine.class)
        void aDeadlineMovedIntoThePastFiresAtTheNextCheckpoint(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                List<Boolean> calledBefore = new ArrayList<>();
                CancelScope scope = CancelScope.open(s -> {
                    s.setDeadline(Duration.ZERO);
                    calledBefore.add(s.cancelCalled());
                    Trellis.checkpoint();
                });
                return List.of(calledBefore, scope.cancelCalled(), scope.cancelledCaught());
            });
            assertThat(seen).containsExactly(List.of(false), true, true);
        }

        @ParameterizedTest
        @EnumSource(Engine.class)
        void aScopeEnteredWithAPastDeadlineIsCancelledAtOnce(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                List<Boolean> calledAtEntry = new ArrayList<>();
                Trellis.sleep(Duration.ofMillis(1));
                CancelScope scope = CancelScope.moveOnAt(Duration.ZERO, () -> {
                    calledAtEntry.add(Trellis.now().isPositive());
                    Trellis.checkpoint();
                });
                return List.of(calledAtEntry, scope.cancelledCaught());
            });
            assertThat(seen).containsExactly(List.of(true), true);
        }
    }

    @Nested
    class CancellationBesideAFailure {
        /**
         * trio: E4 escapes and s1.cancelled_caught is True (the group {Cancelled, Cancelled, E4}
         * loses its Cancelleds at s1). Trellis throws E4 and s1 counts the Cancelled riding on it.
         */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aFailureLeavesAndTheScopeStillCountsTheCancellation(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                CancelScope[] s1 = new CancelScope[1];
                List<String> after = new ArrayList<>();
                Throwable thrown = null;
                try {
                    CancelScope.open(s -> {
                        s1[0] = s;
                        Nursery.open(n -> {
                            n.start("canceller", () -> {
                                Trellis.sleep(engine.ms(1));
                                s.cancel();
                            });
                            n.start("sleeper", () -> Trellis.sleep(engine.ms(8)));
                            n.start("failer", () -> CancelScope.openShielded(x -> {
                                Trellis.sleep(engine.ms(2));
                                throw new E("E4");
                            }));
                        });
                        after.add("after the nursery");
                    });
                } catch (E e) {
                    thrown = e;
                }
                return List.of(thrown == null ? "nothing" : thrown.getMessage(), s1[0].cancelledCaught(), after, engine.now());
            });
            engine.check(seen, "E4", true, List.of(), 2L);
        }

        /** The Cancelled an inner scope absorbed is not counted again by an outer cancelled scope. */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aShieldedScopeKeepsItsCancellationFromTheScopeOutside(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                CancelScope[] inner = new CancelScope[1];
                CancelScope outer = CancelScope.open(o -> {
                    o.cancel();
                    try {
                        CancelScope.openShielded(s -> {
                            inner[0] = s;
                            Nursery.open(n -> {
                                n.start("canceller", () -> s.cancel());
                                n.start("failer", () -> CancelScope.openShielded(x -> {
                                    Trellis.sleep(engine.ms(1));
                                    throw new E("E5");
                                }));
                            });
                        });
                    } catch (E e) {
                        Trellis.checkpoint();   // the outer scope's own cancellation arrives here
                    }
                });
                return List.of(inner[0].cancelledCaught(), outer.cancelledCaught());
            });
            assertThat(seen).containsExactly(true, true);
        }
    }

    @Nested
    class NurseryCancelScope {
        /** trio: n1.cancel_scope.cancelled_caught is True. */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void cancelledCaughtIsTrueWhenTheNurseryAbsorbedItsCancellation(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                Nursery[] n1 = new Nursery[1];
                Nursery.open(n -> {
                    n1[0] = n;
                    n.start("canceller", () -> {
                        Trellis.sleep(engine.ms(1));
                        n.cancelScope().cancel();
                    });
                    n.start("sleeper", () -> Trellis.sleep(engine.ms(2)));
                });
                return List.of(n1[0].cancelScope() == n1[0].cancelScope(), n1[0].cancelScope().cancelledCaught(), engine.now());
            });
            engine.check(seen, true, true, 1L);
        }

        /** trio: a child's failure cancels the nursery's scope, which absorbs the owner's Cancelled. */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aChildsFailureIsRethrownAndTheNurseryCaughtItsOwnCancellation(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                Nursery[] n1 = new Nursery[1];
                Throwable thrown = null;
                try {
                    Nursery.open(n -> {
                        n1[0] = n;
                        n.start("failer", () -> {
                            Trellis.sleep(engine.ms(1));
                            throw new E("E6");
                        });
                        n.start("sleeper", () -> Trellis.sleep(engine.ms(5)));
                    });
                } catch (E e) {
                    thrown = e;
                }
                return List.of(thrown.getMessage(), thrown.getSuppressed().length, n1[0].cancelScope().cancelledCaught(), engine.now());
            });
            engine.check(seen, "E6", 0, true, 1L);
        }
    }

    @Nested
    class JavaUtilConcurrentWaits {
        /** A cancelled nursery whose child waits in queue.take() ends: the wait surfaces as Cancelled. */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aCancelledTakeEndsAsACancellation(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
                List<String> how = Collections.synchronizedList(new ArrayList<>());
                CancelScope scope = CancelScope.moveOnAfter(engine.ms(3), () ->
                        Nursery.open(n -> n.start("taker", () -> {
                            try {
                                queue.take();
                                how.add("took");
                            } catch (InterruptedException e) {
                                how.add("interrupted");
                                throw e;
                            }
                        })));
                return List.of(how, scope.cancelledCaught(), engine.now());
            });
            engine.check(seen, List.of("interrupted"), true, 3L);
        }

        /** A wait that is cancelled, caught, and followed by a checkpoint sees Cancelled there. */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aSwallowedInterruptIsFollowedByCancelledAtTheNextCheckpoint(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                Semaphore never = new Semaphore(0);
                List<String> how = Collections.synchronizedList(new ArrayList<>());
                CancelScope scope = CancelScope.moveOnAfter(engine.ms(3), () -> {
                    try {
                        never.acquire();
                    } catch (InterruptedException e) {
                        how.add("interrupted");
                    }
                    try {
                        Trellis.checkpoint();
                        how.add("no Cancelled");
                    } catch (Cancelled c) {
                        how.add("Cancelled");
                        throw c;
                    }
                });
                return List.of(how, scope.cancelledCaught());
            });
            assertThat(seen).containsExactly(List.of("interrupted", "Cancelled"), true);
        }

        /** A task cancelled before it waits is interrupted when it parks, as trio's checkpoint raises at once. */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aWaitBegunAfterTheCancelIsInterrupted(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
                List<String> how = Collections.synchronizedList(new ArrayList<>());
                CancelScope scope = CancelScope.open(s -> {
                    s.cancel();
                    try {
                        queue.take();
                        how.add("took");
                    } catch (InterruptedException e) {
                        how.add("interrupted");
                        throw e;
                    }
                });
                return List.of(how, scope.cancelledCaught());
            });
            assertThat(seen).containsExactly(List.of("interrupted"), true);
        }

        /** A child cancelled before it first runs is interrupted at its first j.u.c. wait. */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aChildCancelledBeforeItRunsIsInterruptedInItsWait(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                Semaphore never = new Semaphore(0);
                List<String> how = Collections.synchronizedList(new ArrayList<>());
                Nursery[] held = new Nursery[1];
                Nursery.open(n -> {
                    held[0] = n;
                    n.start("waiter", () -> {
                        try {
                            never.acquire();
                        } catch (InterruptedException e) {
                            how.add("interrupted");
                            throw e;
                        }
                    });
                    n.cancelScope().cancel();
                });
                return List.of(how, held[0].cancelScope().cancelledCaught());
            });
            assertThat(seen).containsExactly(List.of("interrupted"), true);
        }

        /**
         * An interrupt that was swallowed does not stop the next cancellation: after the task has
         * been back in the kernel (a shielded sleep) a new wait in the cancelled scope is interrupted
         * again, and a wait under a later scope is interrupted by that scope's cancel.
         */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aSwallowedInterruptDoesNotStopTheNextCancellation(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                Semaphore never = new Semaphore(0);
                List<String> how = Collections.synchronizedList(new ArrayList<>());
                CancelScope first = CancelScope.open(s -> {
                    s.cancel();
                    try {
                        never.acquire();
                    } catch (InterruptedException e) {
                        how.add("interrupted, swallowed");
                    }
                    CancelScope.openShielded(x -> Trellis.sleep(engine.ms(1)));
                    try {
                        never.acquire();
                    } catch (InterruptedException e) {
                        how.add("interrupted again, swallowed");
                    }
                });
                CancelScope second = CancelScope.moveOnAfter(engine.ms(2), () -> {
                    never.acquire();
                    how.add("acquired");
                });
                return List.of(how, first.cancelledCaught(), second.cancelledCaught(), engine.now());
            });
            engine.check(seen, List.of("interrupted, swallowed", "interrupted again, swallowed"), false, true, 3L);
        }

        /**
         * A task woken from a j.u.c. wait and cancelled before it runs again is not interrupted: it
         * is not waiting, and an interrupt left over would break a later wait the cancellation does
         * not reach (here one inside a shield).
         */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aWokenTaskIsNotInterruptedByACancelThatFindsItQueued(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                LinkedBlockingQueue<Integer> first = new LinkedBlockingQueue<>();
                LinkedBlockingQueue<Integer> second = new LinkedBlockingQueue<>();
                List<Integer> got = Collections.synchronizedList(new ArrayList<>());
                CancelScope[] taker = new CancelScope[1];
                Nursery.open(n -> {
                    n.start("taker", () -> CancelScope.open(s -> {
                        taker[0] = s;
                        got.add(first.take());
                        CancelScope.openShielded(x -> got.add(second.take()));
                    }));
                    n.start("giver", () -> {
                        Trellis.sleep(engine.ms(1));
                        assertThat(taker[0]).as("the taker's scope").isNotNull();
                        first.put(1);
                        taker[0].cancel();
                        Trellis.sleep(engine.ms(1));
                        second.put(2);
                    });
                });
                return List.of(got, taker[0].cancelledCaught(), engine.now());
            });
            engine.check(seen, List.of(1, 2), false, 2L);
        }

        /** What the waiter of {@link #lockedThenGiven} is given to work with, and logs into. */
        interface Waiter {
            void run(ReentrantLock lock, LinkedBlockingQueue<String> queue, List<String> log) throws Exception;
        }

        /**
         * A lock held from 0 to 3 ms, an item put in a queue at 5 ms, and {@code waiter} starting at
         * half a millisecond; returns what the waiter logged and the end time.
         */
        List<Object> lockedThenGiven(Engine engine, Waiter waiter) throws Exception {
            return engine.run(() -> {
                ReentrantLock lock = new ReentrantLock();
                LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
                List<String> log = Collections.synchronizedList(new ArrayList<>());
                Nursery.open(n -> {
                    n.start("holder", () -> {
                        lock.lock();
                        try {
                            Trellis.sleep(engine.ms(3));
                        } finally {
                            lock.unlock();
                        }
                    });
                    n.start("giver", () -> {
                        Trellis.sleep(engine.ms(5));
                        queue.put("item");
                    });
                    n.start("waiter", () -> {
                        Trellis.sleep(engine.ms(1).dividedBy(2));
                        waiter.run(lock, queue, log);
                    });
                });
                return List.of(log, engine.now());
            });
        }

        /**
         * A wait that ignores the cancellation's interrupt (lock.lock) returns with the interrupt
         * flag set again; the kernel takes it back at the task's next kernel call, so a shielded
         * wait after it is not broken.
         */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void anUnusedInterruptDoesNotBreakAShieldedWaitAfterIt(Engine engine) throws Exception {
            List<Object> seen = lockedThenGiven(engine, (lock, queue, log) ->
                    CancelScope.moveOnAfter(engine.ms(1), () -> {
                        lock.lock();
                        try {
                            log.add("locked");
                            CancelScope.openShielded(x -> log.add("took " + queue.take()));
                        } finally {
                            lock.unlock();
                        }
                    }));
            engine.check(seen, List.of("locked", "took item"), 5L);
        }

        /** The same after the scope has ended: a plain wait outside any cancelled scope is not interrupted. */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void anUnusedInterruptDoesNotOutliveItsScope(Engine engine) throws Exception {
            List<Object> seen = lockedThenGiven(engine, (lock, queue, log) -> {
                CancelScope.moveOnAfter(engine.ms(1), () -> {
                    lock.lock();
                    lock.unlock();
                });
                log.add("took " + queue.take());
            });
            engine.check(seen, List.of("took item"), 5L);
        }

        /** An InterruptedException the application throws itself is its own, even in a cancelled scope. */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void anInterruptedExceptionOfTheApplicationsIsNotACancellation(Engine engine) throws Exception {
            String escaped = engine.run(() -> {
                try {
                    CancelScope.open(s -> {
                        s.cancel();
                        throw new InterruptedException("mine");
                    });
                    return "nothing";
                } catch (InterruptedException e) {
                    return e.getMessage();
                }
            });
            assertThat(escaped).isEqualTo("mine");
        }
    }
}

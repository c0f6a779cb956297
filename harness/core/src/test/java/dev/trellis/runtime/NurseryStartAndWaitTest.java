package dev.trellis.runtime;

import dev.trellis.runtime.TrioSemanticsTest.Engine;
import dev.trellis.sim.Sims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Nursery#startAndWait}, trio's {@code nursery.start}: the caller waits for the task to say
 * it is ready; until then the task lives under the caller (its failure is the caller's, the
 * caller's cancellation is its), afterwards in the nursery. Both engines; the simulator on every
 * seed, with the structural invariants checked on each run.
 */
@Timeout(60)
class NurseryStartAndWaitTest {
    @ParameterizedTest
    @EnumSource(Engine.class)
    void returnsTheValueOnceReadyAndTheTaskGoesOnInTheNursery(Engine engine) throws Exception {
        List<Object> seen = engine.run(() -> {
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            Nursery.open(n -> {
                int port = n.startAndWait("server", status -> {
                    Trellis.sleep(engine.ms(1));
                    status.started(8080);
                    Trellis.sleep(engine.ms(2));
                    log.add("server ends");
                });
                log.add("ready with " + port);
            });
            return List.of(log, engine.now());
        });
        engine.check(seen, List.of("ready with 8080", "server ends"), 3L);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFailureBeforeStartedIsTheCallersAndLeavesTheNurseryAlone(Engine engine) throws Exception {
        List<Object> seen = engine.run(() -> {
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            Nursery.open(n -> {
                n.start("sibling", () -> {
                    Trellis.sleep(engine.ms(2));
                    log.add("sibling finished");
                });
                assertThatThrownBy(() -> n.startAndWait("server", status -> {
                    Trellis.sleep(engine.ms(1));
                    throw new IOException("cannot bind");
                })).isInstanceOf(IOException.class).hasMessage("cannot bind");
                log.add("caller saw the failure");
            });
            return List.of(log, engine.now());
        });
        engine.check(seen, List.of("caller saw the failure", "sibling finished"), 2L);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFailureAfterStartedIsTheNurserys(Engine engine) throws Exception {
        List<Object> seen = engine.run(() -> {
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            assertThatThrownBy(() -> Nursery.open(n -> {
                n.start("sibling", () -> {
                    try {
                        Trellis.sleep(engine.ms(10));
                        log.add("sibling finished");
                    } catch (Cancelled c) {
                        log.add("sibling cancelled");
                        throw c;
                    }
                });
                n.startAndWait("server", status -> {
                    status.started();
                    Trellis.sleep(engine.ms(1));
                    throw new IOException("lost the socket");
                });
                log.add("caller went on");
            })).isInstanceOf(IOException.class).hasMessage("lost the socket");
            return List.of(log, engine.now());
        });
        engine.check(seen, List.of("caller went on", "sibling cancelled"), 1L);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void cancellingTheCallerBeforeStartedCancelsTheTaskAndNotTheNursery(Engine engine) throws Exception {
        List<Object> seen = engine.run(() -> {
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            Nursery.open(n -> {
                n.start("sibling", () -> {
                    Trellis.sleep(engine.ms(3));
                    log.add("sibling finished");
                });
                CancelScope timeout = CancelScope.moveOnAfter(engine.ms(1), () ->
                        n.startAndWait("slow", status -> {
                            try {
                                Trellis.sleep(engine.ms(5));
                                status.started();
                            } catch (Cancelled c) {
                                log.add("slow cancelled");
                                throw c;
                            }
                        }));
                log.add("timed out: " + timeout.cancelledCaught());
            });
            return List.of(log, engine.now());
        });
        engine.check(seen, List.of("slow cancelled", "timed out: true", "sibling finished"), 3L);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void afterStartedTheCallersCancellationNoLongerReachesTheTaskNorWhatItStarted(Engine engine) throws Exception {
        List<Object> seen = engine.run(() -> {
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            Nursery.open(n -> {
                CancelScope.open(callers -> {
                    n.startAndWait("server", status -> Nursery.open(inner -> {
                        inner.start("worker", () -> {
                            Trellis.sleep(engine.ms(3));
                            log.add("worker finished");
                        });
                        status.started();
                        Trellis.sleep(engine.ms(2));
                        log.add("server finished");
                    }));
                    callers.cancel();
                    Trellis.checkpoint();
                });
                log.add("caller's scope ended");
            });
            return List.of(log, engine.now());
        });
        engine.check(seen, List.of("caller's scope ended", "server finished", "worker finished"), 3L);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void cancellingTheNurseryAfterStartedCancelsTheTask(Engine engine) throws Exception {
        List<Object> seen = engine.run(() -> {
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            Nursery[] held = new Nursery[1];
            Nursery.open(n -> {
                held[0] = n;
                n.startAndWait("server", status -> {
                    status.started();
                    try {
                        Trellis.sleep(engine.ms(10));
                    } catch (Cancelled c) {
                        log.add("server cancelled");
                        throw c;
                    }
                });
                Trellis.sleep(engine.ms(1));
                n.cancelScope().cancel();
            });
            return List.of(log, held[0].cancelScope().cancelledCaught(), engine.now());
        });
        engine.check(seen, List.of("server cancelled"), true, 1L);
    }

    /** What the task started before it was ready moves with it: cancelling the nursery reaches it. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void cancellingTheNurseryAfterStartedReachesWhatTheTaskStartedBefore(Engine engine) throws Exception {
        List<Object> seen = engine.run(() -> {
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            Nursery.open(n -> {
                n.startAndWait("server", status -> Nursery.open(inner -> {
                    inner.start("worker", () -> {
                        try {
                            Trellis.sleep(engine.ms(10));
                        } catch (Cancelled c) {
                            log.add("worker cancelled");
                            throw c;
                        }
                    });
                    CancelScope.openShielded(x -> Trellis.sleep(engine.ms(1)));
                    status.started();
                    Trellis.sleep(engine.ms(10));
                }));
                Trellis.sleep(engine.ms(2));
                n.cancelScope().cancel();
            });
            return List.of(log, engine.now());
        });
        engine.check(seen, List.of("worker cancelled"), 3L);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTaskThatNeverSaysStartedIsAnErrorThatSaysSo(Engine engine) throws Exception {
        String message = engine.run(() -> {
            String[] out = new String[1];
            Nursery.open(n -> {
                try {
                    n.startAndWait("forgetful", status -> Trellis.sleep(engine.ms(1)));
                } catch (IllegalStateException e) {
                    out[0] = e.getMessage();
                }
            });
            return out[0];
        });
        assertThat(message).contains("'forgetful' ended without calling status.started()");
    }

    @Test
    void startedTwiceOrFromAnotherTaskIsRefused() {
        Sims.everySeed(50, "random", () -> {
            List<String> errors = new ArrayList<>();
            Nursery.open(n -> {
                Nursery.TaskStatus<?>[] leaked = new Nursery.TaskStatus<?>[1];
                n.startAndWait("twice", status -> {
                    leaked[0] = status;
                    status.started();
                    try {
                        status.started();
                    } catch (IllegalStateException e) {
                        errors.add(e.getMessage());
                    }
                });
                try {
                    leaked[0].started();
                } catch (IllegalStateException e) {
                    errors.add(e.getMessage());
                }
            });
            assertThat(errors).containsExactly("status.started() called twice by 'twice'",
                    "status.started() must be called by 'twice', the task being started");
        });
    }

    /** A pending start keeps its nursery open even when every other child has ended (trio's _pending_starts). */
    @Test
    void aPendingStartKeepsTheNurseryOpen() {
        Sims.everySeed(200, "random", () -> {
            List<String> log = new ArrayList<>();
            Nursery.open(outer -> Nursery.open(inner -> {
                inner.start("short", () -> Trellis.sleep(java.time.Duration.ofMillis(1)));
                outer.start("starter", () -> {
                    inner.startAndWait("late", status -> {
                        Trellis.sleep(java.time.Duration.ofMillis(2));
                        status.started();
                        Trellis.sleep(java.time.Duration.ofMillis(1));
                        log.add("late finished inside the nursery at " + Trellis.now().toMillis());
                    });
                    log.add("started at " + Trellis.now().toMillis());
                });
            }));
            assertThat(log).containsExactly("started at 2", "late finished inside the nursery at 3");
        });
    }
}

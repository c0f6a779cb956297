package dev.trellis.runtime;

import dev.trellis.runtime.TrioSemanticsTest.Engine;
import dev.trellis.runtime.spi.Cancellation;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.Scope;
import dev.trellis.sim.Sims;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivering a cancellation follows the cancelled scope's own tasks (the kernel's
 * {@code deliverCancellations}): a cancel, and a lifted shield, visit the tasks whose chain of
 * scopes passes through that scope with no shield below it, and no other task. The counts come
 * from {@link Cancellation#visits()}; a scan of every task, as delivery once was, fails them.
 */
@Timeout(60)
class CancelDeliveryTest {
    /** Visits so far in the current execution. */
    static long visits() {
        return Kernel.current("visits").kernel().cancellation().visits();
    }

    /** The scope the calling code runs in: inside {@code Nursery.open}'s block, the nursery's. */
    static Scope currentScope() {
        return Kernel.current("currentScope").innermostScope();
    }

    @Nested
    class VisitsOnlyTheCancelledScopesTasks {
        @Test
        void aCancelVisitsTheTaskInsideAndNoneOfTheBystanders() {
            Sims.everySeed(10, "random", () -> {
                CancelScope[] scope = new CancelScope[1];
                long[] visited = new long[1];
                Nursery.open(n -> {
                    for (int i = 0; i < 500; i++) {
                        n.start("bystander", () -> Trellis.sleep(Duration.ofSeconds(10)));
                    }
                    n.start("worker", () -> CancelScope.open(s -> {
                        scope[0] = s;
                        Trellis.sleep(Duration.ofSeconds(10));
                    }));
                    Trellis.sleep(Duration.ofSeconds(1));
                    long before = visits();
                    scope[0].cancel();
                    visited[0] = visits() - before;
                });
                assertThat(scope[0].cancelledCaught()).isTrue();
                assertThat(visited[0]).as("tasks visited by the cancel (a scan would visit 502)").isEqualTo(1);
            });
        }

        @Test
        void aNurseryInsideIsVisitedWithItsOwnerOnceMoreForItsOwnCancel() {
            Sims.everySeed(10, "random", () -> {
                CancelScope[] scope = new CancelScope[1];
                long[] visited = new long[1];
                Nursery.open(n -> {
                    for (int i = 0; i < 200; i++) {
                        n.start("bystander", () -> Trellis.sleep(Duration.ofSeconds(10)));
                    }
                    n.start("worker", () -> CancelScope.open(s -> {
                        scope[0] = s;
                        Nursery.open(inner -> {
                            for (int i = 0; i < 3; i++) {
                                inner.start("child", () -> Trellis.sleep(Duration.ofSeconds(10)));
                            }
                        });
                    }));
                    Trellis.sleep(Duration.ofSeconds(1));
                    long before = visits();
                    scope[0].cancel();
                    visited[0] = visits() - before;
                });
                // The worker waits at its nursery's exit; the cancel reaches it there and it cancels
                // the nursery's scope, whose delivery visits it and its three children: 1 + 4.
                assertThat(visited[0]).as("tasks visited (a scan would visit each of 205 tasks, twice)").isEqualTo(5);
            });
        }

        @Test
        void aThousandDeadlinesCostOneVisitEach() {
            Sims.everySeed(3, "random", () -> {
                int clients = 1_000;
                Nursery.open(n -> {
                    for (int i = 0; i < clients; i++) {
                        n.start("client", () -> CancelScope.moveOnAfter(Duration.ofMillis(1 + Trellis.random(1_000)),
                                () -> Trellis.sleep(Duration.ofDays(1))));
                    }
                });
                // Each deadline is one cancel reaching one task; a scan would make it about 500,000.
                assertThat(visits()).isEqualTo(clients);
            });
        }

        @Test
        void liftingAShieldVisitsOnlyTheTasksInsideIt() {
            Sims.everySeed(10, "random", () -> {
                CancelScope[] shield = new CancelScope[1];
                long[] visited = new long[1];
                CancelScope outer = CancelScope.open(o -> Nursery.open(n -> {
                    for (int i = 0; i < 100; i++) {
                        n.start("bystander", () -> CancelScope.openShielded(s -> Trellis.sleep(Duration.ofSeconds(5))));
                    }
                    n.start("shielded", () -> CancelScope.openShielded(s -> {
                        shield[0] = s;
                        Trellis.sleep(Duration.ofSeconds(10));
                    }));
                    Trellis.sleep(Duration.ofSeconds(1));
                    o.cancel();
                    long before = visits();
                    shield[0].setShield(false);
                    visited[0] = visits() - before;
                }));
                assertThat(outer.cancelledCaught()).isTrue();
                assertThat(visited[0]).as("tasks visited by lifting the shield").isEqualTo(1);
                // Every bystander's shield held until its sleep ended.
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(5));
            });
        }
    }

    @Nested
    class Reach {
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aTaskInAScopeNestedBelowTheCancelledOneIsWoken(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                CancelScope[] inner = new CancelScope[2];
                boolean[] cancelled = {false};
                CancelScope outer = CancelScope.moveOnAfter(engine.ms(2), () -> Nursery.open(n ->
                        n.start("nested", () -> inner[0] = CancelScope.open(a -> inner[1] = CancelScope.open(b -> {
                            try {
                                new Event().await();
                            } catch (Cancelled c) {
                                cancelled[0] = true;
                                throw c;
                            }
                        })))));
                return List.of(outer.cancelledCaught(), inner[0] == null, inner[1] == null, cancelled[0], engine.now());
            });
            // The Cancelled went through both inner scopes to the outer one, which absorbed it, at
            // the deadline (the Event is never set).
            engine.check(seen, true, true, true, true, 2L);
        }

        @ParameterizedTest
        @EnumSource(Engine.class)
        void aJavaUtilConcurrentWaitInANestedScopeIsInterrupted(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
                List<String> how = Collections.synchronizedList(new ArrayList<>());
                CancelScope outer = CancelScope.moveOnAfter(engine.ms(2), () -> Nursery.open(n ->
                        n.start("taker", () -> CancelScope.open(inner -> {
                            try {
                                queue.take();
                                how.add("took");
                            } catch (InterruptedException e) {
                                how.add("interrupted");
                                throw e;
                            }
                        }))));
                return List.of(how, outer.cancelledCaught(), engine.now());
            });
            engine.check(seen, List.of("interrupted"), true, 2L);
        }

        @ParameterizedTest
        @EnumSource(Engine.class)
        void aTaskUnderAShieldInsideIsNotWokenUntilTheShieldIsLifted(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                CancelScope[] shield = new CancelScope[1];
                boolean[] plainCancelled = {false};
                boolean[] shieldedCancelled = {false};
                long[] visited = {-1};
                CancelScope[] outer = new CancelScope[1];
                Nursery.open(top -> {
                    top.start("inside", () -> outer[0] = CancelScope.open(o -> Nursery.open(n -> {
                        n.start("plain", () -> {
                            try {
                                Trellis.sleep(engine.ms(10));
                            } catch (Cancelled c) {
                                plainCancelled[0] = true;
                                throw c;
                            }
                        });
                        n.start("shielded", () -> CancelScope.openShielded(s -> {
                            shield[0] = s;
                            try {
                                Trellis.sleep(engine.ms(10));
                            } catch (Cancelled c) {
                                shieldedCancelled[0] = true;
                                throw c;
                            }
                        }));
                        Trellis.sleep(engine.ms(1));
                        long before = visits();
                        o.cancel();
                        visited[0] = visits() - before;
                    })));
                    // From outside the cancelled scope: lift the shield at 3 ms.
                    top.start("lifter", () -> {
                        Trellis.sleep(engine.ms(3));
                        assertThat(plainCancelled[0]).as("the plain sleeper, cancelled at 1 ms").isTrue();
                        assertThat(shieldedCancelled[0]).as("cancelled while the shield was up").isFalse();
                        shield[0].setShield(false);
                    });
                });
                return List.of(outer[0].cancelledCaught(), visited[0], shieldedCancelled[0], engine.now());
            });
            // The cancel visits the nursery's owner (cancelling, so running) and the plain sleeper,
            // not the task behind the shield, which is cancelled when the shield comes down at 3 ms,
            // not when its sleep would end at 10 ms.
            engine.check(seen, true, 2L, true, 3L);
        }

        @Test
        void aTaskSpawnedIntoANurseryInsideAnAlreadyCancelledScopeIsCancelledAtItsFirstCheckpoint() {
            Sims.everySeed(20, "random", () -> {
                List<String> reached = Collections.synchronizedList(new ArrayList<>());
                Nursery[] held = new Nursery[1];
                CancelScope[] outer = new CancelScope[1];
                Nursery.open(top -> {
                    top.start("owner", () -> outer[0] = CancelScope.open(o -> Nursery.open(n -> {
                        o.cancel();
                        held[0] = n;
                        n.start("by the owner", () -> {
                            reached.add("by the owner, before its first checkpoint");
                            Trellis.checkpoint();
                            reached.add("by the owner, after it");
                        });
                        // Keeps the nursery open for the starter below, whatever the schedule.
                        n.start("keeper", () -> CancelScope.openShielded(s -> Trellis.sleep(Duration.ofSeconds(1))));
                    })));
                    top.start("starter", () -> {
                        while (held[0] == null) {
                            Trellis.checkpoint();
                        }
                        // From outside the cancelled scope, into a nursery inside it.
                        held[0].start("from outside", () -> {
                            reached.add("from outside, before its first checkpoint");
                            Trellis.sleep(Duration.ofSeconds(5));
                            reached.add("from outside, after it");
                        });
                    });
                });
                assertThat(reached).containsExactlyInAnyOrder("by the owner, before its first checkpoint",
                        "from outside, before its first checkpoint");
                assertThat(outer[0].cancelledCaught()).isTrue();
                // Only the shielded keeper's sleep held the nursery open; the late child's did not.
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(1));
            });
        }

        @Test
        void aTaskThatMovedToAnOuterScopeIsNotVisitedForTheInnerOnesCancel() {
            Sims.everySeed(10, "random", () -> {
                CancelScope[] inner = new CancelScope[1];
                long[] visited = new long[1];
                Duration[] sleptUntil = new Duration[1];
                Nursery.open(n -> {
                    n.start("mover", () -> CancelScope.open(outer -> {
                        CancelScope.open(s -> inner[0] = s);
                        // Out of the inner scope, back in the outer one.
                        Trellis.sleep(Duration.ofSeconds(2));
                        sleptUntil[0] = Trellis.now();
                    }));
                    n.start("canceller", () -> {
                        Trellis.sleep(Duration.ofSeconds(1));
                        long before = visits();
                        inner[0].cancel();
                        visited[0] = visits() - before;
                    });
                });
                assertThat(visited[0]).as("tasks visited by cancelling a scope nobody is in").isZero();
                assertThat(sleptUntil[0]).isEqualTo(Duration.ofSeconds(2));
            });
        }
    }

    @Nested
    class EndedTasksLeaveNoTrace {
        /** A server's scope keeps its live connections, not every connection it ever had. */
        @Test
        void aHundredThousandShortConnectionsLeaveOnlyTheServerInItsScope() {
            Sims.run(1, () -> {
                int[] mostInside = {0};
                Nursery.open(n -> {
                    Scope server = currentScope();
                    for (int batch = 0; batch < 1_000; batch++) {
                        for (int c = 0; c < 100; c++) {
                            n.start("connection", () -> CancelScope.moveOnAfter(Duration.ofSeconds(30), () ->
                                    Trellis.sleep(Duration.ofMillis(1 + Trellis.random(5)))));
                        }
                        Trellis.sleep(Duration.ofMillis(3));
                        mostInside[0] = Math.max(mostInside[0], server.residents() + server.occupiedChildren());
                    }
                    Trellis.sleep(Duration.ofMillis(10));
                    assertThat(server.residents()).as("the server alone").isEqualTo(1);
                    assertThat(server.occupiedChildren()).as("connections' scopes still linked").isZero();
                });
                // Live connections only (each in its own scope, or not yet in it), and the server: 100
                // connections start per batch and none lives through two more.
                assertThat(mostInside[0]).isLessThanOrEqualTo(201);
            });
        }

        @ParameterizedTest
        @EnumSource(Engine.class)
        void aScopeIsEmptyOnceItsTasksHaveEnded(Engine engine) throws Exception {
            List<Object> seen = engine.run(() -> {
                Scope[] inner = new Scope[1];
                Scope[] outer = new Scope[1];
                CancelScope.open(o -> {
                    outer[0] = currentScope();
                    Nursery.open(n -> {
                        inner[0] = currentScope();
                        for (int i = 0; i < 50; i++) {
                            n.start("child", () -> CancelScope.open(s -> Trellis.sleep(engine.ms(1))));
                        }
                    });
                });
                return List.of(inner[0].occupied(), outer[0].occupied(), outer[0].residents());
            });
            assertThat(seen).containsExactly(false, false, 0);
        }
    }
}

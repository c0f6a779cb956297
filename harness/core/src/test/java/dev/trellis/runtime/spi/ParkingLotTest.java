package dev.trellis.runtime.spi;

import dev.trellis.runtime.Body;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.Cancelled;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.Sims;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one wait queue every primitive parks in. Waiters are started in a nursery and park without
 * time passing, so a waker that sleeps a moment finds all of them queued, in whatever order the
 * seed let them arrive; each records its arrival just before parking (no checkpoint between), so
 * the recorded order is the queue's.
 */
class ParkingLotTest {
    private static final Duration A_MOMENT = Duration.ofMillis(20);

    private static void onBothEngines(Body body) throws Exception {
        Sims.onBothEngines(60, body);
    }

    @Nested
    class Order {
        @Test
        void wakesInArrivalOrder() throws Exception {
            onBothEngines(() -> {
                ParkingLot lot = new ParkingLot();
                List<Integer> arrived = new ArrayList<>();
                int[] handedTo = new int[5];
                Nursery.open(n -> {
                    for (int i = 0; i < 5; i++) {
                        int me = i;
                        n.start("waiter-" + i, () -> {
                            arrived.add(me);
                            handedTo[me] = (Integer) lot.park("turn");
                        });
                    }
                    n.start("waker", () -> {
                        Trellis.sleep(A_MOMENT);
                        for (int rank = 0; rank < 5; rank++) {
                            lot.unparkFirst(rank);
                        }
                    });
                });
                for (int rank = 0; rank < 5; rank++) {
                    assertThat(handedTo[arrived.get(rank)]).as("the waiter that arrived %s", rank).isEqualTo(rank);
                }
            });
        }

        @Test
        void unparkWakesAtMostCountAndSaysHowMany() throws Exception {
            onBothEngines(() -> {
                ParkingLot lot = new ParkingLot();
                List<Integer> arrived = new ArrayList<>();
                List<Integer> woke = new ArrayList<>();
                Nursery.open(n -> {
                    for (int i = 0; i < 5; i++) {
                        int me = i;
                        n.start("waiter-" + i, () -> {
                            arrived.add(me);
                            lot.park("turn");
                            woke.add(me);
                        });
                    }
                    n.start("waker", () -> {
                        Trellis.sleep(A_MOMENT);
                        assertThat(lot.size()).isEqualTo(5);
                        assertThat(lot.unpark(2)).isEqualTo(2);
                        assertThat(lot.size()).isEqualTo(3);
                        Trellis.sleep(A_MOMENT);
                        assertThat(woke).containsExactlyInAnyOrderElementsOf(arrived.subList(0, 2));
                        assertThat(lot.unpark(0)).isZero();
                        assertThat(lot.unparkAll()).isEqualTo(3);
                        assertThat(lot.isEmpty()).isTrue();
                        assertThat(lot.unpark(1)).isZero();
                        assertThat(lot.unparkAll()).isZero();
                    });
                });
                assertThat(woke).hasSize(5);
            });
        }

        @Test
        void aWakerReadsWhatTheWaiterCarried() throws Exception {
            onBothEngines(() -> {
                ParkingLot lot = new ParkingLot();
                Object[] got = new Object[1];
                Nursery.open(n -> {
                    n.start("waiter", () -> got[0] = lot.park("hand-off", "carried"));
                    n.start("waker", () -> {
                        Trellis.sleep(A_MOMENT);
                        assertThat(lot.unparkFirst("handed")).isEqualTo("carried");
                    });
                });
                assertThat(got[0]).isEqualTo("handed");
            });
        }

        @Test
        void unparkAllHandsEveryWaiterTheSameValue() throws Exception {
            onBothEngines(() -> {
                ParkingLot lot = new ParkingLot();
                List<Object> got = new ArrayList<>();
                Nursery.open(n -> {
                    for (int i = 0; i < 3; i++) {
                        n.start("waiter-" + i, () -> got.add(lot.park("news")));
                    }
                    n.start("waker", () -> {
                        Trellis.sleep(A_MOMENT);
                        assertThat(lot.unparkAll("closed")).isEqualTo(3);
                    });
                });
                assertThat(got).containsExactly("closed", "closed", "closed");
            });
        }

        @Test
        void wakingIsNotACheckpoint() throws Exception {
            onBothEngines(() -> {
                ParkingLot lot = new ParkingLot();
                boolean[] wakerWentOn = {false};
                List<Boolean> seen = new ArrayList<>();
                Nursery.open(n -> {
                    for (int i = 0; i < 3; i++) {
                        n.start("waiter-" + i, () -> {
                            lot.park("turn");
                            seen.add(wakerWentOn[0]);
                        });
                    }
                    n.start("waker", () -> {
                        Trellis.sleep(A_MOMENT);
                        lot.unparkAll();
                        // No checkpoint between the two lines: no woken task can run before this.
                        wakerWentOn[0] = true;
                    });
                });
                assertThat(seen).containsExactly(true, true, true);
            });
        }
    }

    @Nested
    class Cancellation {
        @Test
        void aCancelledWaiterLeavesTheQueueWhenCancelledNotWhenItNextRuns() throws Exception {
            onBothEngines(() -> {
                ParkingLot lot = new ParkingLot();
                List<Integer> arrived = new ArrayList<>();
                CancelScope[] scopes = new CancelScope[3];
                Object[] handedTo = {"nothing", "nothing", "nothing"};
                Nursery.open(n -> {
                    for (int i = 0; i < 3; i++) {
                        int me = i;
                        n.start("waiter-" + i, () -> CancelScope.open(scope -> {
                            scopes[me] = scope;
                            arrived.add(me);
                            handedTo[me] = lot.park("turn");
                        }));
                    }
                    n.start("waker", () -> {
                        Trellis.sleep(A_MOMENT);
                        int first = arrived.get(0);
                        scopes[first].cancel();
                        // The cancelled task has not run yet, and it is off the queue already.
                        assertThat(lot.size()).isEqualTo(2);
                        lot.unparkFirst(7);
                        assertThat(lot.unpark(5)).isEqualTo(1);
                    });
                });
                int first = arrived.get(0);
                assertThat(scopes[first].cancelledCaught()).isTrue();
                assertThat(handedTo[first]).as("the cancelled waiter got nothing").isEqualTo("nothing");
                assertThat(handedTo[arrived.get(1)]).as("the next in line gets the value").isEqualTo(7);
                assertThat(handedTo[arrived.get(2)]).as("unpark hands over nothing").isNull();
            });
        }

        @Test
        void aWaiterWokenBeforeItsCancellationKeepsWhatItWasHanded() throws Exception {
            onBothEngines(() -> {
                ParkingLot lot = new ParkingLot();
                Object[] got = new Object[1];
                CancelScope[] scope = new CancelScope[1];
                Nursery.open(n -> {
                    n.start("waiter", () -> CancelScope.open(s -> {
                        scope[0] = s;
                        got[0] = lot.park("hand-off");
                    }));
                    n.start("waker", () -> {
                        Trellis.sleep(A_MOMENT);
                        lot.unparkFirst("value");
                        scope[0].cancel();
                    });
                });
                // trio's rule: a task rescheduled with a value gets it; the cancel waits for its next checkpoint.
                assertThat(got[0]).isEqualTo("value");
            });
        }

        @Test
        void parkingInACancelledScopeRaisesAtOnceAndQueuesNothing() throws Exception {
            onBothEngines(() -> {
                ParkingLot lot = new ParkingLot();
                CancelScope s = CancelScope.open(scope -> {
                    scope.cancel();
                    assertThatThrownBy(() -> lot.park("never")).isInstanceOf(Cancelled.class);
                    assertThat(lot.isEmpty()).isTrue();
                });
                assertThat(s.cancelCalled()).isTrue();
            });
        }
    }

    @Test
    void misuseIsReportedClearly() throws Exception {
        onBothEngines(() -> {
            ParkingLot lot = new ParkingLot();
            assertThatThrownBy(() -> lot.unparkFirst("x")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("empty");
            assertThatThrownBy(() -> lot.unpark(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[-1]");
        });
    }
}

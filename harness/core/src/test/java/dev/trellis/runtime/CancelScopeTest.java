package dev.trellis.runtime;

import dev.trellis.sim.Sims;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CancelScopeTest {
    @Nested
    class Deadlines {
        @Test
        void moveOnAfterStopsTheBlockAtTheDeadlineAndGoesOn() {
            Sims.run(1, () -> {
                boolean[] after = {false};
                CancelScope s = CancelScope.moveOnAfter(Duration.ofSeconds(5), () -> {
                    Trellis.sleep(Duration.ofSeconds(10));
                    after[0] = true;
                });
                assertThat(after[0]).isFalse();
                assertThat(s.cancelCalled()).isTrue();
                assertThat(s.cancelledCaught()).isTrue();
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(5));
            });
        }

        @Test
        void blockThatFinishesInTimeIsNotCancelled() {
            Sims.run(1, () -> {
                CancelScope s = CancelScope.moveOnAfter(Duration.ofSeconds(5), () -> Trellis.sleep(Duration.ofSeconds(1)));
                assertThat(s.cancelledCaught()).isFalse();
                assertThat(s.cancelCalled()).isFalse();
                // The deadline timer is gone: nothing fires at t = 5 s.
                Trellis.sleep(Duration.ofSeconds(10));
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(11));
            });
        }

        @Test
        void failAfterThrowsTooSlowAndReturnsTheValueWhenInTime() {
            Sims.run(1, () -> {
                assertThat(CancelScope.failAfter(Duration.ofSeconds(2), () -> "fast")).isEqualTo("fast");
                assertThatThrownBy(() -> CancelScope.failAfter(Duration.ofSeconds(2),
                        () -> Trellis.sleep(Duration.ofSeconds(3))))
                        .isInstanceOf(TooSlow.class).hasMessageContaining("PT2S");
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(2));
            });
        }

        @Test
        void sleepEndingExactlyAtTheDeadlineIsCancelledAsInTrio() {
            Sims.run(1, () -> {
                boolean[] after = {false};
                CancelScope s = CancelScope.moveOnAfter(Duration.ofSeconds(5), () -> {
                    Trellis.sleep(Duration.ofSeconds(5));
                    after[0] = true;
                });
                assertThat(s.cancelledCaught()).isTrue();
                assertThat(after[0]).isFalse();
            });
        }

        @Test
        void moveOnAtCancelsAtTheAbsoluteDeadlineNotAfterIt() {
            Sims.run(1, () -> {
                Trellis.sleep(Duration.ofSeconds(2));
                boolean[] after = {false};
                CancelScope s = CancelScope.moveOnAt(Duration.ofSeconds(5), () -> {
                    Trellis.sleep(Duration.ofSeconds(10));
                    after[0] = true;
                });
                assertThat(after[0]).isFalse();
                assertThat(s.cancelledCaught()).isTrue();
                assertThat(s.deadline()).isEqualTo(Duration.ofSeconds(5));
                // At 5 s, not 2 s + 5 s: the deadline is a time, not a timeout.
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(5));
            });
        }

        @Test
        void moveOnAtADeadlineAlreadyPastCancelsAtTheFirstCheckpoint() {
            Sims.run(1, () -> {
                Trellis.sleep(Duration.ofSeconds(3));
                int[] reached = {0};
                CancelScope s = CancelScope.moveOnAt(Duration.ofSeconds(1), () -> {
                    reached[0] = 1;
                    Trellis.checkpoint();
                    reached[0] = 2;
                });
                assertThat(reached[0]).isEqualTo(1);
                assertThat(s.cancelledCaught()).isTrue();
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(3));
            });
        }

        @Test
        void movingTheDeadlineEarlierCancelsSooner() {
            Sims.run(1, () -> {
                CancelScope.open(s -> {
                    s.setDeadline(Duration.ofSeconds(10));
                    s.setDeadline(Duration.ofSeconds(3));
                    Trellis.sleep(Duration.ofSeconds(20));
                });
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(3));
            });
        }
    }

    @Nested
    class Nesting {
        @Test
        void outerCancellationIsCaughtByTheOuterScopeNotTheInner() {
            Sims.run(1, () -> {
                CancelScope[] inner = new CancelScope[1];
                CancelScope outer = CancelScope.moveOnAfter(Duration.ofSeconds(1), () ->
                        inner[0] = CancelScope.moveOnAfter(Duration.ofSeconds(1), () -> Trellis.sleep(Duration.ofSeconds(9))));
                assertThat(outer.cancelledCaught()).isTrue();
                assertThat(inner[0]).isNull();
            });
        }

        @Test
        void shieldKeepsOuterCancellationOutUntilItsBlockEnds() {
            Sims.run(1, () -> {
                CancelScope outer = CancelScope.moveOnAfter(Duration.ofSeconds(1), () -> {
                    CancelScope.openShielded(s -> Trellis.sleep(Duration.ofSeconds(3)));
                    assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(3));
                    Trellis.checkpoint();
                    throw new AssertionError("the checkpoint after the shield must raise Cancelled");
                });
                assertThat(outer.cancelledCaught()).isTrue();
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(3));
            });
        }

        @Test
        void liftingTheShieldLetsTheOuterCancellationReachATaskParkedInsideAtOnce() {
            // Every schedule: the wake-up must not depend on who runs first at t = 2 s.
            Sims.everySeed(20, "random", () -> {
                Duration[] sleeperCancelledAt = {null};
                CancelScope outer = CancelScope.moveOnAfter(Duration.ofSeconds(1), () ->
                        CancelScope.openShielded(shield -> Nursery.open(n -> {
                            n.start("sleeper", () -> {
                                try {
                                    Trellis.sleep(Duration.ofSeconds(10));
                                } catch (Cancelled c) {
                                    sleeperCancelledAt[0] = Trellis.now();
                                    throw c;
                                }
                            });
                            n.start("lifter", () -> {
                                Trellis.sleep(Duration.ofSeconds(2));
                                assertThat(sleeperCancelledAt[0]).as("cancelled while the shield was up").isNull();
                                shield.setShield(false);
                            });
                        })));
                // The outer deadline passed at 1 s, behind the shield: the sleeper learns of it
                // when the shield comes down at 2 s, not at 1 s and not when its sleep ends at 10 s.
                assertThat(sleeperCancelledAt[0]).isEqualTo(Duration.ofSeconds(2));
                assertThat(outer.cancelledCaught()).isTrue();
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(2));
            });
        }

        @Test
        void shieldingARunningScopeKeepsALaterOuterCancellationOut() {
            Sims.run(1, () -> {
                boolean[] shieldedAtStart = {true};
                CancelScope outer = CancelScope.moveOnAfter(Duration.ofSeconds(1), () -> {
                    CancelScope.open(inner -> {
                        shieldedAtStart[0] = inner.isShielded();
                        inner.setShield(true);
                        Trellis.sleep(Duration.ofSeconds(3)); // the outer deadline at 1 s stays outside
                    });
                    assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(3));
                    Trellis.checkpoint();
                    throw new AssertionError("the checkpoint after the shielded scope must raise Cancelled");
                });
                assertThat(shieldedAtStart[0]).isFalse();
                assertThat(outer.cancelledCaught()).isTrue();
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(3));
            });
        }

        @Test
        void shieldingARunningScopeHidesAnOuterCancellationAlreadyMade() {
            Sims.run(1, () -> {
                int[] checkpointsPassed = {0};
                CancelScope outer = CancelScope.open(o -> {
                    CancelScope.open(inner -> {
                        o.cancel();
                        inner.setShield(true);
                        Trellis.checkpoint();
                        Trellis.sleep(Duration.ofSeconds(1));
                        checkpointsPassed[0] = 2;
                    });
                    Trellis.checkpoint();
                    throw new AssertionError("the checkpoint after the shielded scope must raise Cancelled");
                });
                assertThat(checkpointsPassed[0]).isEqualTo(2);
                assertThat(outer.cancelledCaught()).isTrue();
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(1));
            });
        }

        @Test
        void cancelBeforeAnyCheckpointIsSeenAtTheFirstOne() {
            Sims.run(1, () -> {
                int[] reached = {0};
                CancelScope s = CancelScope.open(scope -> {
                    scope.cancel();
                    reached[0] = 1;
                    Trellis.checkpoint();
                    reached[0] = 2;
                });
                assertThat(reached[0]).isEqualTo(1);
                assertThat(s.cancelledCaught()).isTrue();
            });
        }

        @Test
        void callingCheckpointOutsideATaskSaysWhatToDo() {
            assertThatThrownBy(Trellis::checkpoint).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("must be called from a Trellis task");
        }
    }

    @Test
    void aTimedBlockCanSeeItsOwnScopeToCancelItEarly() {
        Sims.run(1, () -> {
            boolean[] after = {false};
            CancelScope s = CancelScope.moveOnAfter(Duration.ofSeconds(5), scope -> {
                scope.cancel();
                Trellis.checkpoint();   // raises Cancelled, which the scope absorbs
                after[0] = true;
            });
            assertThat(s.cancelledCaught()).isTrue();
            assertThat(after[0]).isFalse();
            assertThat(Trellis.now()).isEqualTo(Duration.ZERO);
        });
    }

    @Test
    void applicationCodeCannotCreateACancelled() {
        // A Cancelled thrown by hand would be absorbed by the first cancelled nursery it met.
        assertThat(Cancelled.class.getConstructors()).as("public constructors").isEmpty();
        assertThat(java.util.Arrays.stream(Cancelled.class.getDeclaredConstructors())
                .allMatch(c -> java.lang.reflect.Modifier.isPrivate(c.getModifiers()))).as("every constructor private").isTrue();
    }
}

package dev.trellis.runtime;

import dev.trellis.sim.Result;
import dev.trellis.sim.Simulation;
import dev.trellis.sim.Sims;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NurseryTest {
    @Nested
    class Waiting {
        @Test
        void nurseryReturnsOnlyWhenEveryChildHasEnded() {
            Sims.everySeed(200, "random", () -> {
                List<String> ended = new ArrayList<>();
                Nursery.open(n -> {
                    n.start("a", () -> { Trellis.sleep(Duration.ofSeconds(1)); ended.add("a"); });
                    n.start("b", () -> { Trellis.checkpoint(); ended.add("b"); });
                });
                assertThat(ended).containsExactlyInAnyOrder("a", "b");
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(1));
            });
        }

        @Test
        void nurseryWaitsForChildStartedByChild() {
            Sims.everySeed(200, "random", () -> {
                List<String> ended = new ArrayList<>();
                Nursery.open(n -> n.start("parent-child", () -> {
                    n.start("sibling", () -> { Trellis.sleep(Duration.ofSeconds(3)); ended.add("sibling"); });
                    ended.add("parent-child");
                }));
                assertThat(ended).containsExactly("parent-child", "sibling");
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(3));
            });
        }

        @Test
        void aNurseryIsClosedToNewArrivalsFromTheMomentItsExitBegins() {
            // trio's _check_nursery_closed: with no child left the nursery closes before its exit
            // checkpoint, so a task that runs during that checkpoint cannot start into it.
            Sims.everySeed(200, "random", () -> {
                List<String> refused = new ArrayList<>();
                Nursery.open(outer -> Nursery.open(inner -> outer.start("late", () -> {
                    try {
                        inner.start("too-late", () -> { });
                    } catch (IllegalStateException e) {
                        refused.add(e.getMessage());
                    }
                })));
                assertThat(refused).singleElement().asString().contains("closed to new arrivals", "'too-late'");
            });
        }

        @Test
        void startingIntoAClosedNurseryIsAnErrorThatSaysSo() {
            Sims.run(1, () -> {
                Nursery[] escaped = new Nursery[1];
                Nursery.open(n -> escaped[0] = n);
                assertThatThrownBy(() -> escaped[0].start("late", () -> { }))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("closed to new arrivals")
                        .hasMessageContaining("'late'");
            });
        }
    }

    @Nested
    class Failures {
        @Test
        void firstFailureCancelsSiblingsAndIsRethrownWithLaterOnesSuppressed() {
            Sims.everySeed(200, "random", () -> {
                boolean[] siblingFinished = {false};
                Throwable thrown = null;
                try {
                    Nursery.open(n -> {
                        n.start("sleeper", () -> { Trellis.sleep(Duration.ofHours(1)); siblingFinished[0] = true; });
                        n.start("boom", () -> { Trellis.sleep(Duration.ofSeconds(1)); throw new IOException("boom"); });
                        n.start("late-boom", () -> {
                            CancelScope.openShielded(s -> Trellis.sleep(Duration.ofSeconds(2)));
                            throw new IllegalStateException("late");
                        });
                    });
                } catch (Throwable e) {
                    thrown = e;
                }
                assertThat(thrown).isInstanceOf(IOException.class).hasMessage("boom");
                assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(IllegalStateException.class);
                assertThat(siblingFinished[0]).isFalse();
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(2));
            });
        }

        @Test
        void failureOfTheBlockCancelsTheChildren() {
            Sims.everySeed(100, "random", () -> {
                assertThatThrownBy(() -> Nursery.open(n -> {
                    n.start("forever", () -> Trellis.sleep(Duration.ofDays(1)));
                    Trellis.sleep(Duration.ofSeconds(1));
                    throw new IllegalArgumentException("block failed");
                })).isInstanceOf(IllegalArgumentException.class);
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(1));
            });
        }

        @Test
        void failureReachesTheBodyAsTheSimulationOutcome() {
            Result r = Simulation.result(() -> Nursery.open(n -> n.start("boom", () -> {
                throw new IllegalStateException("child failed");
            })), 3);
            assertThat(r.failure()).isNull();
            assertThat(r.bodyFailure()).isInstanceOf(IllegalStateException.class).hasMessage("child failed");
            assertThatThrownBy(r::orThrow).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("child failed").hasMessageContaining("seed       3");
        }
    }

    @Nested
    class Cancellation {
        @Test
        void cancellingTheNurseryScopeCancelsChildrenAndIsAbsorbed() {
            Sims.everySeed(100, "random", () -> {
                Nursery.open(n -> {
                    n.start("forever", () -> Trellis.sleep(Duration.ofDays(1)));
                    n.start("canceller", () -> {
                        Trellis.sleep(Duration.ofSeconds(4));
                        n.cancelScope().cancel();
                    });
                });
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(4));
            });
        }

        @Test
        void cancellationIsNotSwallowedByCatchException() {
            Sims.run(2, () -> {
                CancelScope s = CancelScope.moveOnAfter(Duration.ofSeconds(1), () -> {
                    try {
                        Trellis.sleep(Duration.ofSeconds(5));
                    } catch (Exception e) {
                        throw new AssertionError("Cancelled must not be an Exception", e);
                    }
                });
                assertThat(s.cancelledCaught()).isTrue();
            });
        }
    }
}

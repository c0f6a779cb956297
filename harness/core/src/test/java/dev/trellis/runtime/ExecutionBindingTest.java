package dev.trellis.runtime;

import dev.trellis.real.RealRuntime;
import dev.trellis.sim.Result;
import dev.trellis.sim.Sims;
import dev.trellis.sim.Simulation;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An Event or Channel belongs to the execution whose task uses it first. The static fields here
 * are the bug the rule stops: without it, seed 2 would see what seed 1 left in them.
 */
class ExecutionBindingTest {
    private static Event sharedEvent;
    private static Channel<String> sharedChannel;

    @BeforeEach
    void fresh() {
        sharedEvent = new Event();
        sharedChannel = Channel.bounded(2);
    }

    /** Runs {@code body} under the simulator with {@code seed}; returns what the body threw, or null. */
    private static Throwable simulate(long seed, Body body) {
        Result r = Simulation.result(body, seed);
        assertThat(r.failure()).as("harness failure").isNull();
        return r.bodyFailure();
    }

    /** Runs {@code body} on the real runtime; returns what it threw, or null. */
    private static Throwable runReal(Body body) {
        try {
            RealRuntime.run(() -> {
                body.run();
                return null;
            });
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    @Nested
    class AcrossSeeds {
        @Test
        void aStaticEventSetBySeedOneFailsSeedTwoAtOnceSayingWhatToDo() {
            assertThat(simulate(1, () -> sharedEvent.set())).isNull();
            // Before the rule, this await returned at once: seed 2 depended on seed 1.
            Throwable second = simulate(2, () -> sharedEvent.await());
            assertThat(second).isInstanceOf(IllegalStateException.class).message().matches(
                    "Event\\[set\\] belongs to another execution: it was first used in the simulated execution "
                    + "#\\d+ \\(seed=1 strategy=random\\), and Event.await was called from task 0 'main' of the "
                    + "simulated execution #\\d+ \\(seed=2 strategy=random\\)\\. A primitive belongs to the "
                    + "execution that first uses it, so that nothing \\(a set flag, buffered values, waiting tasks\\) "
                    + "carries over from one run or seed into the next\\. Create it inside the body or task that uses "
                    + "it, not in a static field or any object shared between runs\\.");
        }

        @Test
        void twoRunsOfOneSeedHaveTwoNames() {
            assertThat(simulate(1, () -> sharedEvent.set())).isNull();
            Throwable second = simulate(1, () -> sharedEvent.await());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("simulated execution #(\\d+) \\(seed=1")
                    .matcher(second.getMessage());
            assertThat(m.find()).isTrue();
            String first = m.group(1);
            assertThat(m.find()).isTrue();
            assertThat(m.group(1)).isNotEqualTo(first);
        }

        @Test
        void aStaticChannelDoesNotHandSeedOnesLeftoversToSeedTwo() {
            assertThat(simulate(1, () -> sharedChannel.send("left over by seed 1"))).isNull();
            assertThat(simulate(2, () -> sharedChannel.receive()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Channel[capacity 2, 1 buffered] belongs to another execution")
                    .hasMessageContaining("Channel.receive");
        }

        @Test
        void aSecondSeedCannotWakeATaskOfAFinishedRun() {
            // Seed 1 deadlocks with its main task queued on the event; teardown unwinds it.
            Result first = Simulation.result(() -> sharedEvent.await(), 1);
            assertThat(first.failure()).isNotNull();
            assertThat(simulate(2, () -> sharedEvent.set())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Event.set");
        }

        @Test
        void twoRunsOfOneSeedAreTwoExecutions() {
            assertThat(simulate(1, () -> sharedEvent.set())).isNull();
            assertThat(simulate(1, () -> sharedEvent.set())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another execution");
        }

        @Test
        void everyUseFromAnotherExecutionFails() {
            assertThat(simulate(1, () -> {
                sharedEvent.isSet();
                sharedChannel.size();
            })).isNull();
            List<ThrowingCallable> uses = List.of(
                    sharedEvent::set, sharedEvent::await, sharedEvent::isSet,
                    () -> sharedChannel.send("x"), sharedChannel::receive, sharedChannel::close,
                    () -> sharedChannel.trySend("x"), sharedChannel::tryReceive,
                    sharedChannel::isClosed, sharedChannel::size, () -> sharedChannel.iterator().hasNext());
            assertThat(simulate(2, () -> {
                for (ThrowingCallable use : uses) {
                    assertThatThrownBy(use).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("belongs to another execution");
                }
            })).isNull();
        }

        @Test
        void ofTwoExecutionsOnTwoThreadsExactlyOneBindsIt() throws Exception {
            for (int round = 0; round < 20; round++) {
                Event shared = new Event();
                CountDownLatch go = new CountDownLatch(1);
                Throwable[] failures = new Throwable[2];
                Thread[] drivers = new Thread[2];
                for (int i = 0; i < 2; i++) {
                    int me = i;
                    drivers[i] = Thread.ofPlatform().start(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        failures[me] = simulate(me, () -> {
                            for (int k = 0; k < 50; k++) {
                                shared.isSet();
                                Trellis.checkpoint();
                            }
                        });
                    });
                }
                go.countDown();
                for (Thread t : drivers) {
                    t.join();
                }
                assertThat(failures).as("round %s", round).filteredOn(f -> f != null).singleElement()
                        .isInstanceOf(IllegalStateException.class);
            }
        }

        @Test
        void outsideAnyTaskAFinishedRunsPrimitiveCanStillBeRead() {
            assertThat(simulate(1, () -> {
                sharedEvent.set();
                sharedChannel.send("x");
                sharedChannel.close();
            })).isNull();
            assertThat(sharedEvent.isSet()).isTrue();
            assertThat(sharedChannel.size()).isEqualTo(1);
            assertThat(sharedChannel.isClosed()).isTrue();
        }
    }

    @Nested
    class OnTheRealRuntime {
        @Test
        void aStaticEventUsedByTwoRealRunsFailsTheSecond() {
            assertThat(runReal(() -> sharedEvent.set())).isNull();
            assertThat(runReal(() -> sharedEvent.await())).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Event[set] belongs to another execution: it was first used in the real "
                            + "execution RealRuntime.run #")
                    .hasMessageContaining("Create it inside the body or task that uses it");
        }

        @Test
        void aStaticChannelUsedByTheSimulatorThenTheRealRuntimeFailsThere() {
            assertThat(simulate(1, () -> sharedChannel.send("x"))).isNull();
            assertThat(runReal(() -> sharedChannel.receive())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("(seed=1 strategy=random), and")
                    .hasMessageContaining("of the real execution RealRuntime.run #");
        }

        @Test
        void aStaticEventUsedByTheRealRuntimeThenTheSimulatorFailsThere() {
            assertThat(runReal(() -> sharedEvent.set())).isNull();
            assertThat(simulate(1, () -> sharedEvent.isSet())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("first used in the real execution")
                    .hasMessageContaining("(seed=1 strategy=random). A primitive");
        }
    }

    @Nested
    class CreatedInsideTheBody {
        /** An Event and a Channel made by the body: every seed starts from nothing. */
        private static void handOver() throws Exception {
            Event ready = new Event();
            Channel<Integer> ch = Channel.bounded(1);
            List<Integer> got = new ArrayList<>();
            Nursery.open(n -> {
                n.start("consumer", () -> {
                    ready.await();
                    for (int v : ch) {
                        got.add(v);
                    }
                });
                n.start("producer", () -> {
                    ready.set();
                    for (int i = 0; i < 3; i++) {
                        ch.send(i);
                    }
                    ch.close();
                });
            });
            assertThat(got).containsExactly(0, 1, 2);
        }

        @Test
        void worksForEverySeedAndEveryRealRun() throws Exception {
            Sims.everySeed(100, "random", CreatedInsideTheBody::handOver);
            for (int run = 0; run < 3; run++) {
                assertThat(runReal(CreatedInsideTheBody::handOver)).isNull();
            }
        }

        @Test
        void aSeedGivesTheSameRunAloneOrAfterOthers() {
            String alone = Simulation.result(CreatedInsideTheBody::handOver, 7).traceHashHex();
            for (long seed = 0; seed < 7; seed++) {
                Simulation.result(CreatedInsideTheBody::handOver, seed).orThrow();
            }
            assertThat(Simulation.result(CreatedInsideTheBody::handOver, 7).traceHashHex()).isEqualTo(alone);
        }

        @Test
        void onePrimitiveServesEveryTaskOfItsExecution() {
            // Made outside any run, first used inside one: it belongs to that run, tasks and all.
            Event e = new Event();
            assertThat(simulate(3, () -> Nursery.open(n -> {
                n.start("waiter", e::await);
                n.start("setter", () -> {
                    Trellis.sleep(Duration.ofSeconds(1));
                    e.set();
                });
            }))).isNull();
            assertThat(e.isSet()).isTrue();
        }
    }
}

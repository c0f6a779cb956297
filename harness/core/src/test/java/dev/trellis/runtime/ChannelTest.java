package dev.trellis.runtime;

import dev.trellis.sim.Sims;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelTest {
    @Test
    void valuesArriveOnceInOrderAndIterationEndsAtClose() {
        for (int capacity : new int[] {0, 1, 3}) {
            Sims.everySeed(100, "random", () -> {
                Channel<Integer> ch = Channel.bounded(capacity);
                List<Integer> got = new ArrayList<>();
                Nursery.open(n -> {
                    n.start("producer", () -> {
                        for (int i = 0; i < 20; i++) {
                            ch.send(i);
                        }
                        ch.close();
                    });
                    n.start("consumer", () -> {
                        for (int v : ch) {
                            got.add(v);
                        }
                    });
                });
                assertThat(got).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).boxed().toList());
            });
        }
    }

    @Test
    void sendWaitsWhileTheBufferIsFull() {
        Sims.everySeed(50, "random", () -> {
            Channel<String> ch = Channel.bounded(1);
            Duration[] sentAt = new Duration[1];
            Nursery.open(n -> {
                n.start("producer", () -> {
                    ch.send("a");
                    ch.send("b");
                    sentAt[0] = Trellis.now();
                });
                n.start("consumer", () -> {
                    Trellis.sleep(Duration.ofSeconds(2));
                    assertThat(ch.receive()).isEqualTo("a");
                    assertThat(ch.receive()).isEqualTo("b");
                });
            });
            assertThat(sentAt[0]).isEqualTo(Duration.ofSeconds(2));
        });
    }

    @Test
    void valueIsNeverLostWhenTheReceiverIsCancelled() {
        Sims.everySeed(300, "random", () -> {
            Channel<Integer> ch = Channel.unbuffered();
            List<Integer> received = new ArrayList<>();
            List<Integer> sent = new ArrayList<>();
            Nursery.open(n -> {
                n.start("receiver", () -> CancelScope.moveOnAfter(Duration.ofSeconds(1), () -> {
                    while (true) {
                        received.add(ch.receive());
                    }
                }));
                n.start("sender", () -> CancelScope.moveOnAfter(Duration.ofSeconds(1), () -> {
                    for (int i = 0; ; i++) {
                        ch.send(i);
                        sent.add(i);
                        Trellis.sleep(Duration.ofMillis(Trellis.random(400)));
                    }
                }));
            });
            // Whatever the order in which the deadline met the hand-off, a send that returned was received.
            assertThat(received).startsWith(sent.toArray(Integer[]::new));
            assertThat(received.size()).isBetween(sent.size(), sent.size() + 1);
        });
    }

    @Test
    void misuseIsReportedClearly() {
        Sims.run(1, () -> {
            Channel<String> ch = Channel.bounded(2);
            ch.send("x");
            ch.close();
            assertThatThrownBy(() -> ch.send("y")).isInstanceOf(ClosedResourceException.class);
            assertThat(ch.receive()).isEqualTo("x");
            assertThatThrownBy(ch::receive).isInstanceOf(EndOfChannel.class);
            assertThatThrownBy(() -> Channel.bounded(-1)).hasMessageContaining("[-1]");
        });
    }

    @Test
    void eventWakesEveryWaiter() {
        Sims.everySeed(100, "random", () -> {
            Event e = new Event();
            int[] woke = {0};
            Nursery.open(n -> {
                for (int i = 0; i < 5; i++) {
                    n.start("waiter", () -> { e.await(); woke[0]++; });
                }
                n.start("setter", () -> { Trellis.sleep(Duration.ofSeconds(1)); e.set(); });
            });
            assertThat(woke[0]).isEqualTo(5);
            assertThat(e.isSet()).isTrue();
        });
    }

    /**
     * trySend and tryReceive: trio's send_nowait and receive_nowait. Each test runs under the
     * simulator for many seeds, then on the real runtime. A task that waits a moment finds the
     * others parked, since they park without time passing.
     */
    @Nested
    class WithoutWaiting {
        private static final Duration A_MOMENT = Duration.ofMillis(20);

        @Test
        void trySendHandsTheValueStraightToAParkedReceiverOnAnUnbufferedChannel() throws Exception {
            Sims.onBothEngines(100, () -> {
                Channel<String> ch = Channel.unbuffered();
                String[] got = new String[1];
                Nursery.open(n -> {
                    n.start("receiver", () -> got[0] = ch.receive());
                    n.start("sender", () -> {
                        Trellis.sleep(A_MOMENT);
                        assertThat(ch.trySend("v")).isTrue();
                        assertThat(ch.size()).as("handed over, not buffered").isZero();
                    });
                });
                assertThat(got[0]).isEqualTo("v");
            });
        }

        @Test
        void trySendIsFalseAndChangesNothingWhenASendWouldWait() throws Exception {
            Sims.onBothEngines(20, () -> {
                Channel<String> unbuffered = Channel.unbuffered();
                assertThat(unbuffered.trySend("nobody receives")).isFalse();
                assertThat(unbuffered.size()).isZero();
                assertThat(unbuffered.tryReceive()).isEmpty();

                Channel<String> bounded = Channel.bounded(2);
                assertThat(bounded.trySend("a")).isTrue();
                assertThat(bounded.trySend("b")).isTrue();
                assertThat(bounded.trySend("c")).as("the buffer is full").isFalse();
                assertThat(bounded.receive()).isEqualTo("a");
                assertThat(bounded.receive()).isEqualTo("b");
                assertThat(bounded.tryReceive()).isEmpty();
            });
        }

        @Test
        void tryReceiveTakesTheValueOfAParkedSenderWhoseSendThenCompletes() throws Exception {
            Sims.onBothEngines(100, () -> {
                Channel<String> ch = Channel.unbuffered();
                boolean[] sent = {false};
                Nursery.open(n -> {
                    n.start("sender", () -> {
                        ch.send("v");
                        sent[0] = true;
                    });
                    n.start("receiver", () -> {
                        Trellis.sleep(A_MOMENT);
                        assertThat(ch.tryReceive()).contains("v");
                        assertThat(ch.tryReceive()).isEmpty();
                    });
                });
                assertThat(sent[0]).isTrue();
            });
        }

        @Test
        void tryReceiveTakesTheOldestValueAndAParkedSendersValueTakesItsPlace() throws Exception {
            Sims.onBothEngines(100, () -> {
                Channel<String> ch = Channel.bounded(1);
                boolean[] sent = {false};
                Nursery.open(n -> {
                    n.start("sender", () -> {
                        ch.send("a");
                        ch.send("b");   // waits: the buffer holds "a"
                        sent[0] = true;
                    });
                    n.start("receiver", () -> {
                        Trellis.sleep(A_MOMENT);
                        assertThat(ch.tryReceive()).contains("a");
                        assertThat(ch.size()).as("b moved into the buffer").isEqualTo(1);
                        assertThat(ch.tryReceive()).contains("b");
                        assertThat(ch.tryReceive()).isEmpty();
                    });
                });
                assertThat(sent[0]).isTrue();
            });
        }

        @Test
        void aCancelledReceiverIsNotHandedTheValue() throws Exception {
            Sims.onBothEngines(100, () -> {
                Channel<String> ch = Channel.unbuffered();
                CancelScope[] scope = new CancelScope[1];
                Nursery.open(n -> {
                    n.start("receiver", () -> CancelScope.open(s -> {
                        scope[0] = s;
                        ch.receive();
                    }));
                    n.start("sender", () -> {
                        Trellis.sleep(A_MOMENT);
                        scope[0].cancel();
                        // The receiver has not run since its cancel, and it no longer waits.
                        assertThat(ch.trySend("v")).isFalse();
                    });
                });
                assertThat(scope[0].cancelledCaught()).isTrue();
            });
        }

        @Test
        void neitherIsACheckpointNorRaisesCancelled() throws Exception {
            Sims.onBothEngines(100, () -> {
                Channel<Integer> ch = Channel.bounded(4);
                int[] otherRan = {0};
                boolean[] stop = {false};
                Nursery.open(n -> {
                    n.start("other", () -> {
                        while (!stop[0]) {
                            otherRan[0]++;
                            Trellis.checkpoint();
                        }
                    });
                    n.start("trier", () -> {
                        CancelScope s = CancelScope.open(scope -> {
                            scope.cancel();
                            int before = otherRan[0];
                            for (int i = 0; i < 10; i++) {
                                assertThat(ch.trySend(i)).isTrue();
                                assertThat(ch.tryReceive()).contains(i);
                            }
                            assertThat(ch.tryReceive()).isEmpty();
                            assertThat(otherRan[0]).as("no other task ran during the tries").isEqualTo(before);
                        });
                        assertThat(s.cancelledCaught()).as("nothing raised Cancelled").isFalse();
                        stop[0] = true;
                    });
                });
            });
        }

        @Test
        void afterCloseTrySendThrowsAsSendDoesAndTryReceiveDrainsThenEnds() throws Exception {
            Sims.onBothEngines(20, () -> {
                Channel<String> ch = Channel.bounded(2);
                assertThat(ch.trySend("a")).isTrue();
                ch.close();
                assertThatThrownBy(() -> ch.trySend("b")).isInstanceOf(ClosedResourceException.class)
                        .hasMessage("send on a closed channel");
                assertThatThrownBy(() -> ch.send("b")).isInstanceOf(ClosedResourceException.class)
                        .hasMessage("send on a closed channel");
                assertThat(ch.tryReceive()).contains("a");
                assertThatThrownBy(ch::tryReceive).isInstanceOf(EndOfChannel.class);
                assertThatThrownBy(ch::receive).isInstanceOf(EndOfChannel.class);

                Channel<String> unbuffered = Channel.unbuffered();
                unbuffered.close();
                assertThatThrownBy(unbuffered::tryReceive).isInstanceOf(EndOfChannel.class);
                assertThatThrownBy(() -> unbuffered.trySend("x")).isInstanceOf(ClosedResourceException.class);
            });
        }

        @Test
        void aCloseWhileTasksWaitEndsTheirWaitsAndTheTriesAfterIt() throws Exception {
            Sims.onBothEngines(100, () -> {
                Channel<String> toReceive = Channel.unbuffered();
                Channel<String> toSend = Channel.unbuffered();
                List<String> seen = new ArrayList<>();
                Nursery.open(n -> {
                    n.start("receiver", () -> assertThatThrownBy(toReceive::receive).isInstanceOf(EndOfChannel.class));
                    n.start("sender", () -> assertThatThrownBy(() -> toSend.send("dropped"))
                            .isInstanceOf(ClosedResourceException.class)
                            .hasMessage("channel closed while a send was waiting"));
                    n.start("closer", () -> {
                        Trellis.sleep(A_MOMENT);
                        toReceive.close();
                        toSend.close();
                        // The woken receiver takes nothing; the woken sender's value is gone.
                        assertThatThrownBy(() -> toReceive.trySend("late")).isInstanceOf(ClosedResourceException.class);
                        assertThatThrownBy(toSend::tryReceive).isInstanceOf(EndOfChannel.class);
                        seen.add("closed");
                    });
                });
                assertThat(seen).containsExactly("closed");
            });
        }

        @Test
        void nullIsRefusedByEverySend() throws Exception {
            Sims.onBothEngines(1, () -> {
                for (Channel<String> ch : List.of(Channel.<String>unbuffered(), Channel.<String>bounded(1))) {
                    assertThatThrownBy(() -> ch.trySend(null)).isInstanceOf(NullPointerException.class)
                            .hasMessageContaining("no null values");
                    assertThatThrownBy(() -> ch.send(null)).isInstanceOf(NullPointerException.class);
                    assertThat(ch.tryReceive()).isEqualTo(Optional.empty());
                }
            });
        }
    }
}

package dev.trellis.runtime;

import dev.trellis.sim.Sims;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
}

package dev.trellis.real;

import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.Channel;
import dev.trellis.runtime.Event;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.TooSlow;
import dev.trellis.runtime.Trellis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The same API on the real runtime: one carrier thread, the system clock. */
@Timeout(30)
class RealRuntimeTest {
    @Test
    void returnsTheBodysValueAfterTheChildrenEnd() throws Exception {
        List<String> log = new ArrayList<>();
        String v = RealRuntime.run(() -> {
            Nursery.open(n -> {
                n.start("slow", () -> { Trellis.sleep(Duration.ofMillis(50)); log.add("slow"); });
                n.start("fast", () -> { Trellis.sleep(Duration.ofMillis(10)); log.add("fast"); });
            });
            return "done";
        });
        assertThat(v).isEqualTo("done");
        assertThat(log).containsExactly("fast", "slow");
    }

    @Test
    void rethrowsTheFirstFailureAndCancelsSiblings() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> RealRuntime.run(() -> {
            Nursery.open(n -> {
                n.start("forever", () -> Trellis.sleep(Duration.ofHours(1)));
                n.start("boom", () -> { Trellis.sleep(Duration.ofMillis(20)); throw new IllegalStateException("boom"); });
            });
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void deadlinesUseTheSystemClock() throws Exception {
        Duration elapsed = RealRuntime.run(() -> {
            Duration t0 = Trellis.now();
            assertThatThrownBy(() -> CancelScope.failAfter(Duration.ofMillis(100), () -> Trellis.sleep(Duration.ofHours(1))))
                    .isInstanceOf(TooSlow.class);
            return Trellis.now().minus(t0);
        });
        assertThat(elapsed).isBetween(Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    @Test
    void codeBetweenCheckpointsNeverInterleaves() throws Exception {
        int[] counter = {0};
        boolean[] torn = {false};
        RealRuntime.run(() -> {
            Nursery.open(n -> {
                for (int t = 0; t < 8; t++) {
                    n.start("incrementer", () -> {
                        for (int i = 0; i < 2_000; i++) {
                            int seen = counter[0];
                            // No checkpoint here: no other task can run between the read and the write.
                            for (int spin = 0; spin < 50; spin++) {
                                Thread.onSpinWait();
                            }
                            if (counter[0] != seen) {
                                torn[0] = true;
                            }
                            counter[0] = seen + 1;
                            Trellis.checkpoint();
                        }
                    });
                }
            });
            return null;
        });
        assertThat(torn[0]).isFalse();
        assertThat(counter[0]).isEqualTo(16_000);
    }

    @Test
    void channelsAndEventsWorkAcrossTasks() throws Exception {
        List<Integer> got = RealRuntime.run(() -> {
            Channel<Integer> ch = Channel.bounded(2);
            Event started = new Event();
            List<Integer> out = new ArrayList<>();
            Nursery.open(n -> {
                n.start("consumer", () -> {
                    started.set();
                    for (int v : ch) {
                        out.add(v);
                    }
                });
                n.start("producer", () -> {
                    started.await();
                    for (int i = 0; i < 100; i++) {
                        ch.send(i);
                    }
                    ch.close();
                });
            });
            return out;
        });
        assertThat(got).hasSize(100).isSorted();
    }

    @Test
    void runCannotBeNestedInsideATask() {
        assertThatThrownBy(() -> RealRuntime.run(() -> RealRuntime.run(() -> 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Nursery.start");
    }
}

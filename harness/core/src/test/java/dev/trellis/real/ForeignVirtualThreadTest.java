package dev.trellis.real;

import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A virtual thread a real-runtime task starts by itself inherits the runtime's scheduler but is
 * no task: it runs on platform threads of its own, so it neither stops the tasks nor is left
 * behind when the run ends.
 */
@Timeout(30)
class ForeignVirtualThreadTest {
    @Test
    void aTaskCanStartAVirtualThreadAndJoinIt() throws Exception {
        String got = RealRuntime.run(() -> {
            AtomicReference<String> result = new AtomicReference<>();
            Thread helper = Thread.ofVirtual().name("helper").start(() -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                result.set("from " + Thread.currentThread().getName());
            });
            helper.join();
            return result.get();
        });
        assertThat(got).isEqualTo("from helper");
    }

    /** On the runtime's one carrier, a thread that never parks would stop every task for good. */
    @Test
    void aBusyVirtualThreadDoesNotStopTheTasks() throws Exception {
        AtomicBoolean go = new AtomicBoolean();
        try {
            boolean joined = RealRuntime.run(() -> {
                Thread spinner = Thread.ofVirtual().start(() -> {
                    while (!go.get()) {
                        Thread.onSpinWait();
                    }
                });
                Trellis.sleep(Duration.ofMillis(20));   // the spinner's chance to take the carrier
                go.set(true);
                return spinner.join(Duration.ofSeconds(10));
            });
            assertThat(joined).isTrue();
        } finally {
            go.set(true);
        }
    }

    @Test
    void aVirtualThreadOutlivesTheRunThatStartedItAndFinishes() throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        RealRuntime.run(() -> {
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(100);   // wakes after the run has ended and its loop is gone
                } catch (InterruptedException e) {
                    return;
                }
                finished.countDown();
            });
            return null;
        });
        assertThat(finished.await(10, TimeUnit.SECONDS)).as("the thread finished after the run ended").isTrue();
    }

    @Test
    void aVirtualThreadExecutorInATaskServesWhileTheTasksGoOn() throws Exception {
        int ticks = RealRuntime.run(() -> {
            int[] n = {0};
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                Nursery.open(nursery -> {
                    nursery.start("ticker", () -> {
                        for (int i = 0; i < 5; i++) {
                            Trellis.sleep(Duration.ofMillis(10));
                            n[0]++;
                        }
                    });
                    Future<Integer> answer = pool.submit(() -> {
                        Thread.sleep(30);
                        return 42;
                    });
                    assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(42);
                });
            }
            return n[0];
        });
        assertThat(ticks).isEqualTo(5);
    }
}

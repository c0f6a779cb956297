package dev.trellis.real;

import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.runtime.spi.Kernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A server runs for days: tasks that ended, and a run that returned, must not stay reachable. */
@Timeout(60)
class RealRuntimeMemoryTest {
    @Test
    void endedTasksAreNotKeptWhileTheRuntimeRuns() throws Exception {
        boolean[] collected = {false};
        RealRuntime.run(() -> {
            List<WeakReference<Object>> ended = new ArrayList<>();
            Nursery.open(n -> {
                for (int i = 0; i < 1_000; i++) {
                    n.start("short-" + i, () -> {
                        synchronized (ended) {
                            ended.add(new WeakReference<>(Kernel.current("test")));
                        }
                    });
                }
            });
            Trellis.checkpoint();
            collected[0] = collectedEventually(ended);
            return null;
        });
        assertThat(collected[0]).as("the ended tasks were collected while the runtime still ran").isTrue();
    }

    @Test
    void aRunThatReturnedLeavesNothingReachable() throws Exception {
        List<WeakReference<Object>> refs = new ArrayList<>();
        RealRuntime.run(() -> {
            refs.add(new WeakReference<>(Kernel.current("test")));
            refs.add(new WeakReference<>(Kernel.current("test").kernel()));
            return null;
        });
        assertThat(collectedEventually(refs)).as("the run's main task and kernel were collected").isTrue();
    }

    private static boolean collectedEventually(List<WeakReference<Object>> refs) throws InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            System.gc();
            if (refs.stream().allMatch(r -> r.get() == null)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}

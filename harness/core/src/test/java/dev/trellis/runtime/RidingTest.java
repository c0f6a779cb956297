package dev.trellis.runtime;

import dev.trellis.runtime.spi.Kernel;
import dev.trellis.sim.Simulation;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What the runtime records of a cancellation riding on a failure is gone once the scope absorbed it. */
class RidingTest {
    @Test
    void aThousandFailuresBesideACancellationLeaveNothingRecorded() {
        int[] left = {-1};
        Simulation.run(() -> {
            for (int i = 0; i < 1_000; i++) {
                try {
                    CancelScope.open(outer -> Nursery.open(n -> {
                        n.start("fails", () -> {
                            outer.cancel();
                            throw new IllegalStateException("boom");
                        });
                        n.start("waits", () -> Trellis.sleep(Duration.ofHours(1)));
                    }));
                } catch (IllegalStateException expected) {
                    // the failure escapes; its cancellation stayed with the scope
                }
            }
            left[0] = Kernel.current("test").kernel().cancellation().ridingCount();
        }, 1);
        assertThat(left[0]).isZero();
    }
}

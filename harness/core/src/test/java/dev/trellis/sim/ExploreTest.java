package dev.trellis.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExploreTest {
    @Test
    void exploreStopsAtTheFirstFailingSeed() {
        var e = Simulation.explore(() -> {
            if (dev.trellis.runtime.Trellis.random(10) == 0) {
                throw new IllegalStateException("unlucky");
            }
        }, 0, 1_000, SimConfig.defaults());
        assertThat(e.ok()).isFalse();
        assertThat(e.executions()).isEqualTo(e.last().seed() + 1);
        assertThat(e.last().bodyFailure()).hasMessage("unlucky");
    }

    @Test
    @ResourceLock("system-properties")
    void theSeedPropertyRunsOnlyThatSeed() {
        List<Long> seen = new ArrayList<>();
        System.setProperty(SimConfig.SEED_PROPERTY, "42");
        try {
            var e = Simulation.explore(() -> seen.add(dev.trellis.runtime.Trellis.random(Long.MAX_VALUE)), 0, 100,
                    SimConfig.defaults());
            assertThat(e.executions()).isEqualTo(1);
            assertThat(e.last().seed()).isEqualTo(42);
        } finally {
            System.clearProperty(SimConfig.SEED_PROPERTY);
        }
        Result direct = Simulation.result(() -> seen.add(dev.trellis.runtime.Trellis.random(Long.MAX_VALUE)), 42);
        assertThat(seen).hasSize(2);
        assertThat(seen.get(1)).isEqualTo(seen.get(0));
        assertThat(direct.ok()).isTrue();
    }
}

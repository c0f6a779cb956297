package dev.trellis.sim;

import dev.trellis.runtime.Body;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code Simulation.explore(..., jobs)} gives what one thread gives. */
class ParallelExploreTest {
    /** Three tasks bump a counter with a checkpoint between read and write; a lost update on some seeds only. */
    static final Body LOST_UPDATE = () -> {
        int[] counter = {0};
        Nursery.open(n -> {
            for (int i = 0; i < 3; i++) {
                n.start("t" + i, () -> {
                    for (int k = 0; k < 3; k++) {
                        int v = counter[0];
                        if (Trellis.random(8) == 0) {
                            Trellis.checkpoint();
                        }
                        counter[0] = v + 1;
                        Trellis.checkpoint();
                    }
                });
            }
        });
        if (counter[0] != 9) {
            throw new IllegalStateException("lost an update: " + counter[0]);
        }
    };

    @ParameterizedTest
    @ValueSource(strings = {"random", "pos", "pct:2:40", "pct:3:40"})
    void twoJobsFindTheSameLowestFailingSeedAsOne(String strategy) {
        SimConfig config = SimConfig.defaults().withStrategy(strategy);
        Simulation.Exploration one = Simulation.explore(LOST_UPDATE, 0, 2_000, config);
        Simulation.Exploration two = Simulation.explore(LOST_UPDATE, 0, 2_000, config, 2);
        assertThat(one.ok()).as("the lost update shows within 2,000 seeds on %s", strategy).isFalse();
        assertThat(two.last().seed()).isEqualTo(one.last().seed());
        assertThat(two.last().traceHash()).isEqualTo(one.last().traceHash());
        assertThat(two.executions()).isEqualTo(one.executions());
        assertThat(two.totalSteps()).isEqualTo(one.totalSteps());
        assertThat(two.summary()).isEqualTo(one.summary());
    }

    @Test
    void withoutAFailureEverySeedRunsAndPctStatesTheSameBound() {
        Body calm = () -> Nursery.open(n -> {
            n.start("a", Trellis::checkpoint);
            n.start("b", Trellis::checkpoint);
        });
        SimConfig config = SimConfig.defaults().withStrategy("pct:2:10");
        Simulation.Exploration one = Simulation.explore(calm, 5, 333, config);
        Simulation.Exploration two = Simulation.explore(calm, 5, 333, config, 2);
        assertThat(two.ok()).isTrue();
        assertThat(two.executions()).isEqualTo(333);
        assertThat(two.last().seed()).isEqualTo(337);
        assertThat(two.summary()).isEqualTo(one.summary());
    }

    @Test
    void aStrategyThatLearnsFromEarlierExecutionsIsRefusedOnSeveralThreads() {
        assertThatThrownBy(() -> Simulation.explore(LOST_UPDATE, 0, 10, SimConfig.defaults().withStrategy("pct:3"), 2))
                .hasMessageContaining("use pct:D:K");
        assertThatThrownBy(() -> Simulation.explore(LOST_UPDATE, 0, 10, SimConfig.defaults().withStrategy("dfs:2"), 2))
                .hasMessageContaining("learns from the executions before");
    }
}

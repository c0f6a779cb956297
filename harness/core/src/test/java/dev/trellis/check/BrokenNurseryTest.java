package dev.trellis.check;

import dev.trellis.runtime.BrokenNurseries;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.sim.SimulationFailure;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrokenNurseryTest {
    @Test
    void invariantsCatchANurseryThatDoesNotWaitForAChildsSiblingWithinAHundredSeeds() {
        for (String strategy : new String[] {"random", "pct:3:50"}) {
            Simulation.Exploration e = Simulation.explore(BrokenNurseries::childStartsSibling, 0, 100,
                    SimConfig.defaults().withStrategy(strategy));
            assertThat(e.ok()).as("broken nursery caught under %s", strategy).isFalse();
            assertThat(e.last().failure()).isInstanceOf(SimulationFailure.InvariantViolated.class);
            assertThat(e.last().failure().getMessage())
                    .contains("nursery-waits-for-children")
                    .contains("closed while 1 of its children were alive")
                    .contains("seed       " + e.last().seed());
        }
    }

    @Test
    void theSameProgramOnTheRealNurseryPassesEverySeed() {
        Simulation.explore(BrokenNurseries::childStartsSiblingCorrectly, 0, 200, SimConfig.defaults()).orThrow();
    }

    @Test
    void theBugDependsOnTheScheduleSoSomeSeedsMissIt() {
        int caught = 0;
        for (long seed = 0; seed < 100; seed++) {
            if (Simulation.result(BrokenNurseries::childStartsSibling, seed).failure() != null) {
                caught++;
            }
        }
        assertThat(caught).isBetween(1, 99);
    }
}

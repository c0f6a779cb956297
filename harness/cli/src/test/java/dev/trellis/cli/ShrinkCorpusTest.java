package dev.trellis.cli;

import dev.trellis.sim.Result;
import dev.trellis.sim.ScheduleShrinker;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shrinking judged on programs it was not written for: every StrategyCorpus bug, found by
 * {@code random} on several seed blocks, shrinks to a schedule with no more preemptions than the
 * fewest any schedule showing the bug needs, which {@code dfs:3} finds (it tries fewest first).
 */
class ShrinkCorpusTest {
    @TestFactory
    Stream<DynamicTest> everyCorpusBugShrinksToTheFewestPreemptionsDfsNeeds() {
        return StrategyCorpus.bugs().stream().map(p -> DynamicTest.dynamicTest(p.name(), () -> {
            Result byDfs = Simulation.explore(p.body(), 0, 20_000, SimConfig.defaults().withStrategy("dfs:3")).last();
            assertThat(p.shows(byDfs)).as("dfs:3 finds %s", p.name()).isTrue();
            int fewest = ScheduleShrinker.preemptions(p.body(), byDfs);
            for (long block = 0; block < 5; block++) {
                Result found = Simulation.explore(p.body(), block * 1_000, 1_000, SimConfig.defaults()).last();
                assertThat(p.shows(found)).as("random finds %s from seed %d", p.name(), block * 1_000).isTrue();
                ScheduleShrinker.Shrunk s = ScheduleShrinker.shrink(p.body(), found, p::shows, Duration.ofSeconds(20), 5_000);
                assertThat(p.shows(s.result())).isTrue();
                assertThat(p.shows(Simulation.result(p.body(), s.result().schedule()))).as("the shrunk schedule replays").isTrue();
                assertThat(Simulation.result(p.body(), s.result().schedule()).traceHash()).isEqualTo(s.result().traceHash());
                System.out.printf("%-18s seed %5d: %d -> %d preemptions, %d -> %d steps, %d runs; dfs:3 needs %d%n",
                        p.name(), found.seed(), s.preemptionsBefore(), s.preemptionsAfter(), s.stepsBefore(), s.stepsAfter(),
                        s.runs(), fewest);
                assertThat(s.preemptionsAfter()).as("%s from seed %d: %s", p.name(), found.seed(), s).isLessThanOrEqualTo(fewest);
            }
        }));
    }
}

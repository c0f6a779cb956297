package dev.trellis.cli;

import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.sim.Sims;
import dev.trellis.trace.TraceKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The corpus is what the strategy bench says it is: every program's bug is real and reachable,
 * no strategy can reach it with fewer change points than its stated depth allows, and the
 * correct variant is never flagged.
 */
class StrategyCorpusTest {
    /**
     * Seeds per exploration. The rarest bug here, missed-shutdown under random, fails about one
     * execution in 110, so a thousand seeds miss it with odds of about 10^-4; the seeds are fixed,
     * so the outcome is the same on every run.
     */
    private static final long BUDGET = 1_000;

    static Stream<Arguments> everyBugUnderRandomAndPos() {
        return StrategyCorpus.bugs().stream()
                .flatMap(p -> Stream.of("random", "pos").map(s -> Arguments.of(p.name(), s)));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("everyBugUnderRandomAndPos")
    void everyBugIsFoundAndIsTheBugTheProgramDescribes(String name, String strategy) {
        StrategyCorpus.Program p = program(name);
        Simulation.Exploration e = Simulation.explore(p.body(), 0, BUDGET * Sims.budget(),
                SimConfig.defaults().withStrategy(strategy));
        assertThat(e.ok()).as("%s under %s found nothing in %d executions", name, strategy, e.executions()).isFalse();
        assertThat(p.shows(e.last())).as("%s under %s failed, but not with its bug: %s", name, strategy, e.last())
                .isTrue();
    }

    static Stream<String> everyBug() {
        return StrategyCorpus.bugs().stream().map(StrategyCorpus.Program::name);
    }

    static Stream<String> bugsOfDepthTwoOrMore() {
        return StrategyCorpus.bugs().stream().filter(p -> p.depth() >= 2).map(StrategyCorpus.Program::name);
    }

    /**
     * PCT with d − 2 change points cannot meet d constraints that need d − 1 preemptions. K is
     * small, so the change points fall inside these short executions instead of past their end.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("bugsOfDepthTwoOrMore")
    void pctWithOneChangePointFewerThanTheDepthNeedsNeverFindsTheBug(String name) {
        StrategyCorpus.Program p = program(name);
        String spec = "pct:" + (p.depth() - 1) + ":12";
        Result last = Simulation.explore(p.body(), 0, BUDGET * Sims.budget(), SimConfig.defaults().withStrategy(spec))
                .last();
        assertThat(last.ok()).as("%s is said to have depth %d, but %s found it: %s", name, p.depth(), spec, last)
                .isTrue();
    }

    /**
     * The other half of the depth claim: d − 1 change points suffice.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyBug")
    void pctWithTheDepthsChangePointsFindsTheBug(String name) {
        StrategyCorpus.Program p = program(name);
        String spec = "pct:" + p.depth() + ":24";
        Simulation.Exploration e = Simulation.explore(p.body(), 0, 5 * BUDGET, SimConfig.defaults().withStrategy(spec));
        assertThat(p.shows(e.last())).as("%s is said to have depth %d, but %s did not find it: %s", name, p.depth(),
                spec, e.last()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"random", "pos", "pct:1:12", "pct:2:12", "pct:3:12"})
    void theCorrectVariantIsNeverFlagged(String strategy) {
        StrategyCorpus.Program p = StrategyCorpus.lockedCounter();
        Result last = Simulation.explore(p.body(), 0, BUDGET * Sims.budget(), SimConfig.defaults().withStrategy(strategy))
                .last();
        assertThat(last.ok()).as("%s flagged the correct counter: %s", strategy, last).isTrue();
    }

    @Test
    void everyProgramRunsAsManyTasksAsItSays() {
        List<StrategyCorpus.Program> all = new java.util.ArrayList<>(StrategyCorpus.bugs());
        all.add(StrategyCorpus.lockedCounter());
        assertThat(all.stream().map(StrategyCorpus.Program::name).distinct()).hasSameSizeAs(all);
        for (StrategyCorpus.Program p : all) {
            // Every task, the body's own (a root) included, is spawned before the first choice,
            // so one run, failing or not, counts them all.
            Result r = Simulation.result(p.body(), 0, SimConfig.defaults());
            assertThat(r.trace().events(TraceKind.SPAWN)).as(p.name()).hasSize(p.tasks());
        }
    }

    private static StrategyCorpus.Program program(String name) {
        return StrategyCorpus.bugs().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }
}

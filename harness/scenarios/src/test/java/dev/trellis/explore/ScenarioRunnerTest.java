package dev.trellis.explore;

import dev.trellis.scenario.ScenarioPlan;
import dev.trellis.scenario.ScenarioReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scenario's executions are independent of each other, so its seeds can run in slices and the
 * summaries merge into what one run gives; PCT's learning is calibrated away first.
 */
class ScenarioRunnerTest {
    private static final String CHAT = """
            subject: {program: seed-chat}
            explore: {seeds: 40}
            network: {streams: {preset: plain}}
            runFor: 1s
            clients:
              - {login: alice, script: [{at: 100ms, line: from alice}]}
              - {login: bob, connectAt: 10ms, script: [{at: 100ms, line: from bob}]}
              - {login: carol, connectAt: 20ms}
              - {login: dave, connectAt: 30ms}
            invariants: [chat-total-order]
            expected: chat-total-order
            """;

    private static ScenarioPlan plan(String yaml) {
        return ScenarioPlan.of(ScenarioReader.parse(yaml, null, "test/chat"), ScenarioRunnerTest.class.getClassLoader());
    }

    private static ScenarioSummary run(ScenarioPlan plan, long first, long seeds, String strategy) {
        return ScenarioRunner.run(plan, ScenarioRunner.Options.defaults().withFirstSeed(first).withSeeds(seeds)
                .withStrategy(strategy).withKeepGoing(true), ScenarioRunner.ReportSink.NONE, ScenarioRunner.Progress.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "pct:2", "pos"})
    void seedsRunInSlicesMergeIntoTheSummaryOfOneRun(String strategy) {
        ScenarioPlan plan = plan(CHAT);
        ScenarioSummary whole = run(plan, 0, 150, strategy);
        // the later slice first: the merge must not depend on the order slices finish in
        ScenarioSummary merged = run(plan, 90, 60, strategy).merge(run(plan, 0, 90, strategy));
        assertThat(whole.failures()).as("the race shows on some seeds and not others").isBetween(1L, 149L);
        assertThat(merged.sameRunAs(whole)).as("merged %s\nwhole  %s", merged, whole).isTrue();
        assertThat(merged.first().seed()).isEqualTo(whole.failingSeeds().getFirst());
        assertThat(merged.digest()).isEqualTo(whole.digest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "pct:2", "pos"})
    void twoJobsGiveTheSummaryOfOneEvenWhereAHigherSeedFailsFirst(String strategy) {
        ScenarioPlan plan = plan(CHAT);
        for (boolean keepGoing : new boolean[] {false, true}) {
            ScenarioRunner.Options o = ScenarioRunner.Options.defaults().withSeeds(300L).withStrategy(strategy)
                    .withKeepGoing(keepGoing);
            Reports one = new Reports();
            Reports two = new Reports();
            ScenarioSummary alone = ScenarioRunner.run(plan, o, one, ScenarioRunner.Progress.NONE);
            ScenarioSummary both = ScenarioRunner.run(plan, o.withJobs(2), two, ScenarioRunner.Progress.NONE);
            assertThat(both.sameRunAs(alone)).as("%s, keep going %s:\n2 jobs %s\n1 job  %s", strategy, keepGoing, both, alone)
                    .isTrue();
            assertThat(both.first()).isEqualTo(alone.first());
            assertThat(two.kept()).as("the reports left on disk").isEqualTo(one.kept());
        }
    }

    /** A report sink that remembers which seeds' reports were written. */
    static final class Reports implements ScenarioRunner.ReportSink {
        private final java.util.Set<String> kept = java.util.Collections.synchronizedSet(new java.util.TreeSet<>());

        @Override
        public String write(dev.trellis.report.ExecutionReport r) {
            String where = "seed-" + r.seed();
            kept.add(where);
            return where;
        }

        java.util.Set<String> kept() {
            return new java.util.TreeSet<>(kept);
        }
    }

    @Test
    void anAdaptivePctIsCalibratedToAFixedKFromTheFirstSeedsAlone() {
        ScenarioPlan plan = plan(CHAT);
        String resolved = ScenarioRunner.resolveStrategy(plan, "pct:2");
        assertThat(resolved).matches("pct:2:\\d+");
        assertThat(Long.parseLong(resolved.substring("pct:2:".length()))).isGreaterThan(10);
        assertThat(ScenarioRunner.resolveStrategy(plan, "pct:2")).isEqualTo(resolved);
        assertThat(ScenarioRunner.resolveStrategy(plan, "pct:2:7")).isEqualTo("pct:2:7");
        assertThat(ScenarioRunner.resolveStrategy(plan, "random")).isEqualTo("random");
        ScenarioSummary s = run(plan, 100, 5, "pct:2");
        assertThat(s.strategy()).isEqualTo(resolved);
        assertThat(s.pctSummary()).as("PCT's bound, in words").contains("PCT for depth 2");
    }

    @Test
    void theFirstFailureStopsARunUnlessItKeepsGoing() {
        ScenarioPlan plan = plan(CHAT);
        ScenarioSummary stopped = ScenarioRunner.run(plan, ScenarioRunner.Options.defaults(), ScenarioRunner.ReportSink.NONE,
                ScenarioRunner.Progress.NONE);
        assertThat(stopped.failures()).isEqualTo(1);
        assertThat(stopped.stoppedEarly()).isTrue();
        assertThat(stopped.executions()).isEqualTo(stopped.first().seed() + 1);
        assertThat(stopped.met()).isTrue();
        assertThat(stopped.first().outcome()).isEqualTo("chat-total-order");
    }

    @Test
    void aSummaryReadsBackFromItsJson(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        ScenarioSummary s = run(plan(CHAT), 0, 20, "random");
        SummaryJson.write(dir.resolve("summary.json"), new RunSummary(java.util.List.of(s), java.util.List.of()));
        ScenarioSummary back = SummaryJson.read(dir.resolve("summary.json")).scenarios().getFirst();
        assertThat(back.sameRunAs(s)).isTrue();
    }
}

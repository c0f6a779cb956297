package dev.trellis.explore;

import dev.trellis.report.ExecutionReport;
import dev.trellis.sim.Outcome;
import dev.trellis.scenario.ScenarioPlan;
import dev.trellis.sim.Result;
import dev.trellis.sim.ScheduleShrinker;
import dev.trellis.sim.Simulation;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shrinking judged on the seed chat's bugs, which it was not written for: each scenario's first
 * failure, shrunk, has no more preemptions than the fewest with which the same outcome shows,
 * which {@code dfs:2} finds (it tries schedules with fewer preemptions first), and the shrunk
 * execution replays. Where dfs does not find the bug within its budget (1,000 executions in CI;
 * {@code -Dtrellis.dfsBudget=N} for more), only the replay is checked.
 */
class ShrinkScenariosTest {
    @TestFactory
    Stream<DynamicTest> everySeedChatBugShrinksToTheFewestPreemptionsDfsNeeds() throws Exception {
        Path root = dev.trellis.scenario.ScenarioReaderTestAccess.root().resolve("seed-chat");
        List<Path> files;
        try (Stream<Path> s = Files.list(root)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            ScenarioPlan plan = Explorer.plan(f, getClass().getClassLoader());
            ScenarioSummary found = ScenarioRunner.run(plan, ScenarioRunner.Options.defaults().withMaxReports(0),
                    ScenarioRunner.ReportSink.NONE, ScenarioRunner.Progress.NONE);
            assertThat(found.first()).as("%s shows its bug", plan.name()).isNotNull();
            ExecutionReport shrunk = ScenarioRunner.shrunk(plan, dev.trellis.sim.Schedule.parse(found.first().schedule()),
                    ScenarioRunner.Options.defaults());
            assertThat(shrunk.outcome()).isEqualTo(plan.expected());
            ScenarioPlan small = ScenarioPlan.of(dev.trellis.scenario.ScenarioReader.parse(shrunk.scenarioText(), f, plan.name()),
                    getClass().getClassLoader());
            var replayed = ScenarioRunner.runOne(small, dev.trellis.sim.Schedule.parse(shrunk.schedule()));
            assertThat(replayed.result().traceHashHex()).as("the shrunk execution replays").isEqualTo(shrunk.trace().hashHex());

            String outcome = found.first().outcome();
            var body = plan.newExecution().body();
            long budget = Long.getLong("trellis.dfsBudget", 1_000);   // the README's table: -Dtrellis.dfsBudget=100000
            Result dfs = Simulation.explore(body, found.first().seed(), budget,
                    plan.config().withStrategy("dfs:2"), r -> r.ok() || !Outcome.of(r).toString().equals(outcome)).last();
            int fewest = Outcome.of(dfs).toString().equals(outcome) ? ScheduleShrinker.preemptions(body, dfs) : Integer.MAX_VALUE;
            int after = shrunk.shrinking().preemptionsAfter();
            String proof = "";
            if (fewest == Integer.MAX_VALUE && after > 0) {
                // dfs did not get to the bug (a chat has many free choices at every bound); instead,
                // show that no schedule with fewer preemptions than the shrunk one fails this way.
                Simulation.Exploration below = Simulation.explore(body, found.first().seed(), budget,
                        plan.config().withStrategy("dfs:" + (after - 1)),
                        r -> r.ok() || !Outcome.of(r).toString().equals(outcome));
                if (below.exhausted()) {
                    fewest = after;
                    proof = String.format(" (dfs:%d ran all %,d schedules with fewer, none failed so)", after - 1, below.executions());
                }
            }
            System.out.printf("| `%s` | %s | %d | %d → %d | %d → %d | %d → %d | %d → %d | %d | %s |%n", plan.name(), outcome,
                    found.first().seed(), shrunk.shrinking().preemptionsBefore(), shrunk.shrinking().preemptionsAfter(),
                    shrunk.shrinking().stepsBefore(), shrunk.shrinking().stepsAfter(), shrunk.shrinking().clientsBefore(),
                    shrunk.shrinking().clientsAfter(), shrunk.shrinking().scriptStepsBefore(),
                    shrunk.shrinking().scriptStepsAfter(), shrunk.shrinking().runs(),
                    fewest == Integer.MAX_VALUE ? String.format("not within %,d", budget) : fewest + proof);
            assertThat(shrunk.shrinking().preemptionsAfter()).as("%s: %s", plan.name(), shrunk.shrinking().summary())
                    .isLessThanOrEqualTo(fewest);
        }));
    }
}

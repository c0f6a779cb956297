package dev.trellis.junit;

import dev.trellis.junit.examples.Examples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The extension as a build runs it: JUnit's engine over example test classes. */
class SimulationTestExtensionTest {
    @AfterEach
    void clearProperties() {
        System.clearProperty("trellis.seed");
        System.clearProperty("trellis.schedule");
    }

    private static Events run(Class<?> type) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(type)).execute().testEvents();
    }

    private static String message(Event failed) {
        return failed.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage();
    }

    @Test
    void aPassingTestRunsEverySeedInOneInvocationAndRunsOnTheRealRuntimeToo() {
        Examples.Passing.SEEDS.clear();
        Events events = run(Examples.Passing.class);
        events.assertStatistics(s -> s.started(3).succeeded(3).failed(0));
        assertThat(Examples.Passing.SEEDS).hasSize(40).startsWith(0L, 1L, 2L).endsWith(39L);
        assertThat(events.started().list().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList())
                .contains("seeds 0 to 39 (random)", "real runtime", "seeds 0 to 19 (pct:2:20)");
    }

    @Test
    void aFailureSaysWhatBrokeWhereItsReportIsAndHowToReplayIt() throws Exception {
        Events events = run(Examples.Failing.class);
        events.assertStatistics(s -> s.started(1).failed(1));
        String m = message(events.failed().list().getFirst());
        assertThat(m).contains("The body under test threw java.lang.IllegalStateException: overdrawn")
                .contains("replay     mvn -Dtest=Failing#neverOverdrawn -Dtrellis.seed=")
                .contains("or in the IDE, run " + Examples.Failing.class.getName() + "#neverOverdrawn with -Dtrellis.seed=");
        Matcher report = Pattern.compile("report     (\\S+) ").matcher(m);
        assertThat(report.find()).isTrue();
        Path folder = Path.of(report.group(1));
        assertThat(folder.resolve("report.md")).exists();
        assertThat(folder.resolve("timeline.html")).exists();

        // The printed property runs that execution alone, and it fails the same way.
        Matcher seed = Pattern.compile("-Dtrellis.seed=(\\d+) verify").matcher(m);
        assertThat(seed.find()).isTrue();
        System.setProperty("trellis.seed", seed.group(1));
        Events again = run(Examples.Failing.class);
        again.assertStatistics(s -> s.started(1).failed(1));
        assertThat(again.started().list().getFirst().getTestDescriptor().getDisplayName()).isEqualTo("seed " + seed.group(1));
        assertThat(message(again.failed().list().getFirst())).contains("overdrawn")
                .contains("seed       " + seed.group(1)).doesNotContain("Simulation.run(body");
    }

    @Test
    void replayingASimulatedExecutionSkipsTheRealRuntimeRun() {
        System.setProperty("trellis.seed", "3");
        Events events = run(Examples.Passing.class);
        events.assertStatistics(s -> s.skipped(1));
        assertThat(events.skipped().list().getFirst().getPayload(String.class).orElse(""))
                .contains("-Dtrellis.seed replays one simulated execution");
    }

    @Test
    void oneInvocationASeedShowsWhichSeedsFail() {
        Events events = run(Examples.PerSeed.class);
        events.assertStatistics(s -> s.started(8));
        List<String> failed = events.failed().list().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList();
        assertThat(failed).isNotEmpty().allMatch(n -> n.matches("seed \\d"));
        assertThat(events.succeeded().count()).isEqualTo(8 - failed.size()).isPositive();
    }

    @Test
    void aScheduleTextRunsThatScheduleAlone() {
        System.setProperty("trellis.schedule", "seed=2 strategy=random");
        Events events = run(Examples.Failing.class);
        events.assertStatistics(s -> s.started(1));
        assertThat(events.started().list().getFirst().getTestDescriptor().getDisplayName())
                .isEqualTo("schedule seed=2 strategy=random");
    }

    @Test
    void aMisdeclaredTestIsRefusedWithTheRuleAndTheValue() {
        var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Examples.Misdeclared.class)).execute();
        String all = results.allEvents().list().stream()
                .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::getMessage)
                        .orElse(""))
                .reduce("", String::concat);
        assertThat(all).contains("@SimulationTest on noSeeds must be declared with a positive 'seeds', was [0]");
    }

    @Test
    void reportsGoWhereTheBuildPutsThemUnlessToldOtherwise() {
        assertThat(SimulationTestExtension.DEFAULT_REPORTS).isEqualTo("target/trellis-reports");
        assertThat(Files.isDirectory(Path.of("target"))).isTrue();
    }
}

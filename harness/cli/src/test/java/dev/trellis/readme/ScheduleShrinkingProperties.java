package dev.trellis.readme;

import dev.trellis.sim.ChoiceList;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * jqwik generates schedules as lists and shrinks them like any data. {@link Overdraft} is a
 * property that fails (the README's account overdraws on some schedules); this test runs it the
 * way a build would, through the JUnit Platform, and checks what jqwik shrank the failing
 * schedule to: the smallest list that still overdraws, a single preemption.
 */
class ScheduleShrinkingProperties {
    /** Not run by the build on its own (a nested class): it fails, by design. */
    static class Overdraft {
        // A fixed seed, and no replay of a failure stored by an earlier run: the same shrink every build.
        @Property(tries = 300, seed = "42", shrinking = ShrinkingMode.FULL, afterFailure = AfterFailureMode.RANDOM_SEED)
        void neverOverdrawn(@ForAll @Size(max = 8) List<@IntRange(min = 0, max = 3) Integer> schedule) {
            String spec = ChoiceList.spec(schedule);
            Result r = Simulation.result(ReadmeExampleTest::twoWithdrawals, 0, SimConfig.defaults().withStrategy(spec));
            assertThat(r.failure()).isNull();
            assertThat(r.bodyFailure()).as("schedule <%s>", spec).isNull();
        }
    }

    private static final Pattern SCHEDULE = Pattern.compile("schedule <(choices:[0-9,]*)>");

    @Test
    void jqwikShrinksAnOverdrawingScheduleToOnePreemption() {
        List<Event> failed = EngineTestKit.engine("jqwik").selectors(selectClass(Overdraft.class)).execute()
                .testEvents().failed().list();
        assertThat(failed).as("the property fails").hasSize(1);
        Throwable thrown = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow();
        // jqwik rethrows the failure of the shrunk sample, so its message names the shrunk schedule.
        Matcher m = SCHEDULE.matcher(thrown.getMessage());
        assertThat(m.find()).as("the failure names its schedule: %s", thrown.getMessage()).isTrue();
        String shrunk = m.group(1);
        // One choice: bob (index 1 of the two ready) runs first and yields at his audit; after the
        // list, the lowest id runs, so alice checks too before either writes. Nothing smaller fails.
        assertThat(shrunk).isEqualTo("choices:1");
        Result r = Simulation.result(ReadmeExampleTest::twoWithdrawals, 0, SimConfig.defaults().withStrategy(shrunk));
        assertThat(r.bodyFailure()).hasMessage("overdrawn: balance -60");
        assertThat(Simulation.result(ReadmeExampleTest::twoWithdrawals, 0, SimConfig.defaults().withStrategy("choices:0"))
                .bodyFailure()).as("without the preemption it does not overdraw").isNull();
    }
}

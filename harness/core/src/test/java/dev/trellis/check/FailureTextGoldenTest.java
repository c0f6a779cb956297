package dev.trellis.check;

import dev.trellis.runtime.BrokenNurseries;
import dev.trellis.runtime.Channel;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.Result;
import dev.trellis.sim.Schedule;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.streams.StreamOptions;
import org.junit.jupiter.api.Test;

import dev.trellis.golden.GoldenFiles;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failure messages are part of the product: their text is checked against golden files (as
 * Lincheck does). After a deliberate change, regenerate with -Dtrellis.updateGolden=true and
 * review the diff.
 */
class FailureTextGoldenTest {
    private static void assertGolden(String name, String actual) throws IOException {
        GoldenFiles.assertGolden(name, actual, "the failure text");
    }

    @Test
    void invariantViolationText() throws IOException {
        Simulation.Exploration e = Simulation.explore(BrokenNurseries::childStartsSibling, 0, 100, SimConfig.defaults());
        assertGolden("invariant-violation.txt", e.last().failure().getMessage());
    }

    @Test
    void deadlockHeadlineAndWaits() throws IOException {
        Result r = Simulation.result(() -> {
            Channel<String> never = Channel.unbuffered();
            Nursery.open(n -> {
                n.start("left", never::receive);
                n.start("right", () -> never.send("x"));
                n.start("third", never::receive);
            });
        }, 11);
        // Stacks carry line numbers that move with any edit; the golden text keeps the rest.
        String text = r.failure().getMessage().lines()
                .filter(l -> !l.trim().startsWith("at ") && !l.trim().startsWith("... "))
                .reduce("", (a, b) -> a + b + "\n");
        assertGolden("deadlock.txt", text);
    }

    /** Two withdrawals of 80 from 100, check and write split by a checkpoint. */
    private static void overdraft() throws Exception {
        int[] balance = {100};
        Nursery.open(n -> {
            for (String who : new String[] {"alice", "bob"}) {
                n.start(who, () -> {
                    if (balance[0] >= 80) {
                        Trellis.checkpoint();
                        balance[0] -= 80;
                    }
                });
            }
        });
        if (balance[0] < 0) {
            throw new IllegalStateException("overdrawn: balance " + balance[0]);
        }
    }

    /** The schedule a failure prints, parsed back, runs the same execution: same hash, same failure. */
    private static void assertReplaysAsPrinted(String message, Result original) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Schedule\\.parse\\(\"([^\"]+)\"\\)").matcher(message);
        assertThat(m.find()).as("the failure prints a schedule: %s", message).isTrue();
        Result again = Simulation.result(FailureTextGoldenTest::overdraft, Schedule.parse(m.group(1)));
        assertThat(again.traceHash()).as("replay of %s", m.group(1)).isEqualTo(original.traceHash());
        assertThat(again.bodyFailure()).hasMessage(original.bodyFailure().getMessage());
    }

    @Test
    void aFailureUnderANonDefaultConfigPrintsAScheduleThatReplaysIt() throws IOException {
        SimConfig config = SimConfig.defaults().withStrategy("pct:2:12").withMaxSteps(500)
                .withMaxTime(java.time.Duration.ofSeconds(30)).withStreams(StreamOptions.plain().withCapacity(16));
        Simulation.Exploration e = Simulation.explore(FailureTextGoldenTest::overdraft, 0, 200, config);
        assertThat(e.ok()).isFalse();
        String text = catchMessage(e);
        assertGolden("non-default-config.txt", text);
        assertReplaysAsPrinted(text, e.last());
    }

    @Test
    void aFailureUnderAChoiceListPrintsAScheduleThatReplaysIt() throws IOException {
        Result r = Simulation.result(FailureTextGoldenTest::overdraft, 0, SimConfig.defaults().withStrategy("choices:1"));
        String text = catchMessage(new Simulation.Exploration(1, r.steps(), r));
        assertGolden("choice-list.txt", text);
        assertReplaysAsPrinted(text, r);
    }

    @Test
    void aFailureUnderAReplayPrintsAScheduleThatReplaysIt() {
        Result first = Simulation.explore(FailureTextGoldenTest::overdraft, 0, 100, SimConfig.defaults()).last();
        Result replayed = Simulation.replay(FailureTextGoldenTest::overdraft, first.seed(), first.trace(), SimConfig.defaults());
        String text = catchMessage(new Simulation.Exploration(1, replayed.steps(), replayed));
        assertThat(text).contains("strategy   replay:");
        assertReplaysAsPrinted(text, first);
    }

    private static String catchMessage(Simulation.Exploration e) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(e::orThrow);
        assertThat(t).isNotNull();
        return t.getMessage();
    }
}

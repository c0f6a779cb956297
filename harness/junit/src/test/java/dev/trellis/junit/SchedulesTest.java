package dev.trellis.junit;

import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** A property over an input and a schedule together: jqwik shrinks both, and the failure names who ran. */
class SchedulesTest {
    /** Not run by the build on its own (a nested class): it fails, by design. */
    static class Overdraft {
        @Property(tries = 300, seed = "7", shrinking = ShrinkingMode.FULL, afterFailure = AfterFailureMode.RANDOM_SEED)
        void neverOverdrawn(@ForAll @IntRange(min = 1, max = 100) int amount, @ForAll("schedules") Schedules.Sample schedule) {
            schedule.run(() -> withdrawTwice(amount));
        }

        @Provide
        Arbitrary<Schedules.Sample> schedules() {
            return Schedules.choices();
        }
    }

    /** Two withdrawals of {@code amount} from 100, a check and a write apart: overdraws when both pass the check. */
    static void withdrawTwice(int amount) throws Exception {
        int[] balance = {100};
        dev.trellis.runtime.Nursery.open(n -> {
            for (String who : List.of("alice", "bob")) {
                n.start(who, () -> {
                    if (balance[0] >= amount) {
                        dev.trellis.runtime.Trellis.checkpoint();
                        balance[0] -= amount;
                    }
                });
            }
        });
        if (balance[0] < 0) {
            throw new IllegalStateException("overdrawn: balance " + balance[0]);
        }
    }

    @Test
    void jqwikShrinksTheAmountAndTheScheduleTogether() {
        List<Event> failed = EngineTestKit.engine("jqwik").selectors(selectClass(Overdraft.class)).execute()
                .testEvents().failed().list();
        assertThat(failed).hasSize(1);
        Throwable thrown = failed.getFirst().getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        // The smallest amount that overdraws twice from 100 is 51; the smallest schedule, one preemption.
        assertThat(thrown.getMessage()).contains("overdrawn: balance -2")
                .contains("strategy   choices:1")
                .contains("bob (of 2 ready)");
    }
}

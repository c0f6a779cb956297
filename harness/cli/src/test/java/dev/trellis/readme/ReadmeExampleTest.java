package dev.trellis.readme;

import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.sim.SimulationFailure;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's opening example, compiled and run. README.md shows this class's code between the
 * {@code --8<--} markers and the exact failure text the exploration prints; both are checked
 * here, so neither can drift. After a deliberate change, rewrite both README blocks with
 * {@value ReadmeBlocks#UPDATE_PROPERTY}{@code =true} and review the diff.
 */
class ReadmeExampleTest {
    private static final Path SOURCE = Path.of("src/test/java/dev/trellis/readme/ReadmeExampleTest.java");

    // --8<-- [start:account]
    static final class Account {
        private int balance = 100;

        void withdraw(int amount) {
            if (balance >= amount) {
                audit("withdraw " + amount);   // a checkpoint: another task may run here
                balance -= amount;
            }
        }

        int balance() {
            return balance;
        }

        private static void audit(String line) {
            Trellis.checkpoint();   // stands for a write to an audit log
        }
    }

    static void twoWithdrawals() throws Exception {
        Account account = new Account();
        Nursery.open(n -> {
            n.start("alice", () -> account.withdraw(80));
            n.start("bob", () -> account.withdraw(80));
        });
        if (account.balance() < 0) {
            throw new IllegalStateException("overdrawn: balance " + account.balance());
        }
    }
    // --8<-- [end:account]

    private static void assumeExploreRunsEverySeed() {
        // With -Dtrellis.seed or -Dtrellis.schedule set (to replay some other test's failure),
        // explore runs that one schedule, and the README's text is not what it prints.
        assumeTrue(System.getProperty(SimConfig.SEED_PROPERTY) == null
                && System.getProperty(SimConfig.SCHEDULE_PROPERTY) == null,
                "explore is pinned to one schedule by a system property");
    }

    @Test
    void readmeShowsTheFailureTextTheExplorationPrints() throws IOException {
        assumeExploreRunsEverySeed();
        Throwable failure = catchThrowable(() -> {
            // --8<-- [start:explore]
            Simulation.explore(ReadmeExampleTest::twoWithdrawals, 0, 100, SimConfig.defaults()).orThrow();
            // --8<-- [end:explore]
        });
        assertThat(failure).isInstanceOf(SimulationFailure.BodyFailed.class);
        ReadmeBlocks.checkFailureBlock(failure.getMessage());
    }

    @Test
    void readmeShowsTheCodeThisClassRuns() throws IOException {
        ReadmeBlocks.checkCodeBlocks(SOURCE, "account", "explore");
    }

    @Test
    void explorationStopsAtTheFirstFailingSeedWhichFailsAgainAlone() {
        assumeExploreRunsEverySeed();
        var exploration = Simulation.explore(ReadmeExampleTest::twoWithdrawals, 0, 100, SimConfig.defaults());
        Result failed = exploration.last();
        assertThat(failed.bodyFailure()).isInstanceOf(IllegalStateException.class)
                .hasMessage("overdrawn: balance -60");
        // Seeds run in order from 0 and the first failure ends the exploration: so every seed
        // before it passes when run alone, and the failing one fails again with the same trace.
        assertThat(exploration.executions()).isEqualTo(failed.seed() + 1);
        for (long seed = 0; seed < failed.seed(); seed++) {
            assertThat(Simulation.result(ReadmeExampleTest::twoWithdrawals, seed).ok()).as("seed %d alone", seed).isTrue();
        }
        Result alone = Simulation.result(ReadmeExampleTest::twoWithdrawals, failed.seed());
        assertThat(alone.bodyFailure()).hasMessage("overdrawn: balance -60");
        assertThat(alone.traceHashHex()).isEqualTo(failed.traceHashHex());
    }

    /** What README.md says of {@code dfs:P} on this example. */
    @Test
    void dfsOneFailsTheOverdraftAtItsThirdScheduleTheFirstWithAPreemption() {
        assumeExploreRunsEverySeed();
        var none = Simulation.explore(ReadmeExampleTest::twoWithdrawals, 0, 100, SimConfig.defaults().withStrategy("dfs:0"));
        assertThat(none.summary()).isEqualTo("all 2 schedules with ≤ 0 preemptions explored, no failure");
        var one = Simulation.explore(ReadmeExampleTest::twoWithdrawals, 0, 100, SimConfig.defaults().withStrategy("dfs:1"));
        assertThat(one.executions()).isEqualTo(3);
        assertThat(one.last().bodyFailure()).hasMessage("overdrawn: balance -60");
        assertThat(one.last().strategy()).isEqualTo("dfs:1:#2:data=0:2=2");
    }

    @Test
    void onlySomeSchedulesOverdraw() {
        int overdrawn = 0;
        for (long seed = 0; seed < 200; seed++) {
            if (Simulation.result(ReadmeExampleTest::twoWithdrawals, seed).bodyFailure() != null) {
                overdrawn++;
            }
        }
        assertThat(overdrawn).isBetween(1, 199);
    }
}

package dev.trellis.readme;

import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.sim.SimulationFailure;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The README's opening example, compiled and run: keep the two in step. */
class ReadmeExampleTest {
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

    @Test
    void trellisFindsTheOverdraftAndSaysHowToReplayIt() {
        // --8<-- [start:explore]
        var exploration = Simulation.explore(ReadmeExampleTest::twoWithdrawals, 0, 100, SimConfig.defaults());
        // --8<-- [end:explore]
        assertThat(exploration.ok()).isFalse();
        assertThatThrownBy(exploration::orThrow)
                .isInstanceOf(SimulationFailure.BodyFailed.class)
                .hasMessageContaining("overdrawn: balance -60")
                .hasMessageContaining("seed       " + exploration.last().seed());
        // Some schedules are fine: the bug needs bob to check between alice's check and her write.
        assertThat(exploration.executions()).isGreaterThan(0);
    }

    @Test
    void onlySomeSchedulesOverdraw() {
        int overdrawn = 0;
        for (long seed = 0; seed < 200; seed++) {
            if (Simulation.run(ReadmeExampleTest::twoWithdrawals, seed).bodyFailure() != null) {
                overdrawn++;
            }
        }
        assertThat(overdrawn).isBetween(1, 199);
    }

    @Test
    void printTheFailureForTheReadme() {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> Simulation.explore(ReadmeExampleTest::twoWithdrawals, 0, 100, SimConfig.defaults()).orThrow());
        assertThat(t).isNotNull();
        System.out.println("README-FAILURE-BEGIN\n" + t.getMessage() + "\nREADME-FAILURE-END");
    }
}

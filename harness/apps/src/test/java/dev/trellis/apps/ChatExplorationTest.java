package dev.trellis.apps;

import dev.trellis.check.ChatHistory;
import dev.trellis.check.ChatInvariants;
import dev.trellis.testkit.ChatWorkload;
import dev.trellis.real.RealRuntime;
import dev.trellis.runtime.Network;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.sim.Sims;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The robust chat keeps every rule of {@code ChatInvariants} on every workload of
 * {@link ChatWorkloads}: {@value #SEEDS} seeded executions each under the simulator (times, races,
 * chunking and resets drawn from the seed; {@code -Dtrellis.budget=N} runs N times as many), and the
 * same workloads over real loopback TCP.
 */
@Timeout(600)
class ChatExplorationTest {
    static final int SEEDS = 10_000;

    @TestFactory
    Stream<DynamicTest> everyRuleHoldsOnEverySeed() {
        return ChatWorkloads.all().stream().map(w -> DynamicTest.dynamicTest(w.name(), () -> {
            long n = (long) SEEDS * Sims.budget();
            Simulation.Exploration e = Simulation.explore(w.body(false), 0, n, SimConfig.defaults());
            System.out.printf("chat workload %s: %s%n", w.name(), e.summary());
            e.orThrow();
            assertThat(e.executions()).isEqualTo(n);
        }));
    }

    /** The README's example, as it is written there. */
    @Test
    void theReadmeExampleHolds() {
        ChatWorkload chat = new ChatWorkload(Duration.ofSeconds(1))
                .user("alice", 0, ChatWorkload.line(100, "hi"))
                .user("bob", 0, ChatWorkload.line(100, "hello"))
                .silentUser("eve", 10);                      // connects, logs in, never reads
        Simulation.explore(chat.body(Chat::new, Network.OnHandlerFailure.CLOSE_CONNECTION,
                ChatInvariants.all(ChatInvariants.Limits.simulated())), 0, 10_000, SimConfig.defaults()).orThrow();
    }

    /** The workloads do what they say, or the rules passing them would prove little. */
    @Test
    void theWorkloadsExerciseWhatTheyAreNamedFor() {
        String[] seen = new String[1];
        StringBuilder all = new StringBuilder();
        for (ChatWorkloads.Named w : ChatWorkloads.all()) {
            for (long seed = 0; seed < 40; seed++) {
                Simulation.result(() -> {
                    ChatHistory h = w.make().apply(false).run(w.server(), Network.OnHandlerFailure.CLOSE_CONNECTION);
                    seen[0] = received(h);
                }, seed).orThrow();
                all.append(w.name()).append(' ').append(seed).append('\n').append(seen[0]);
            }
        }
        String text = all.toString();
        assertThat(text).as("a silent user is dropped").contains("<meta>: pat left (too slow)");
        assertThat(text).as("a paused reader is dropped").contains("<meta>: pia left (too slow)");
        assertThat(text).as("a paused reader catches up").contains("kim: <meta>: Welcome kim.");
        assertThat(text).as("vic's connection resets").contains("vic: broken");
        assertThat(text).as("vic's line is relayed in some seeds").contains("<vic> : hello");
        assertThat(text).as("two users race for one name").contains("alice-twin: <meta>: Username taken.");
        assertThat(text).as("hostile names are refused")
                .contains("faker: <meta>: Names are 1 to 32", "empty: <meta>: Names are 1 to 32",
                        "long: <meta>: Names are 1 to 32", "bell: <meta>: Names are 1 to 32",
                        "binary: <meta>: Names are 1 to 32");
        assertThat(text).as("control characters are replaced").contains("<bell> : ding\uFFFDdong");
        assertThat(text).as("a long line is refused, one that fits relayed")
                .contains("writer: <meta>: Line too long (max 1024 bytes); dropped.", "<writer> : " + "f".repeat(1024));
        assertThat(text).as("a last line ended by end-of-stream is relayed").contains("<carol> : bye for now");
        assertThat(text).as("a line at the limit ended by \\r\\n is relayed").contains("<writer> : " + "c".repeat(1024));
        assertThat(text).as("a user comes back under its old name").contains("ann-again: <meta>: Welcome ann.");
    }

    /** Each client's received lines, prefixed with its label, and whether its connection broke. */
    private static String received(ChatHistory h) {
        StringBuilder out = new StringBuilder();
        for (ChatHistory.Client c : h.clients()) {
            String text = new String(c.log().receivedBytes(), java.nio.charset.StandardCharsets.UTF_8);
            for (String line : text.replace("Please enter username: ", "Please enter username: \n")
                    .replace("Please enter another: ", "Please enter another: \n").split("\n")) {
                out.append(c.label()).append(": ").append(line).append('\n');
            }
            if (c.log().brokenAt() >= 0) {
                out.append(c.label()).append(": broken\n");
            }
        }
        return out.toString();
    }

    @TestFactory
    Stream<DynamicTest> everyRuleHoldsOverRealTcp() {
        return ChatWorkloads.all().stream().map(w -> DynamicTest.dynamicTest(w.name(), () -> RealRuntime.run(() -> {
            w.body(true).run();
            return null;
        })));
    }
}

package dev.trellis.check;

import dev.trellis.runtime.Body;
import dev.trellis.runtime.Network;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.testkit.ChatWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static dev.trellis.testkit.ChatWorkload.bytes;
import static dev.trellis.testkit.ChatWorkload.eof;
import static dev.trellis.testkit.ChatWorkload.line;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each rule of {@link ChatInvariants} catches the bug it names, in a small chat with that bug
 * switched in ({@link MutantChat}), and passes the same chat without it on every seed: a rule that
 * failed on anything, or on nothing, would show here.
 */
@Timeout(120)
class ChatInvariantsTest {
    private static final ChatInvariants.Limits LIMITS = ChatInvariants.Limits.simulated();

    /** Users who race to speak, one who joins once the talk began, one who leaves. */
    static ChatWorkload conversation() {
        return new ChatWorkload(Duration.ofSeconds(1))
                .user("alice", 0, line(100, "a1"), line(100, "a2"), line(120, "a3"), line(200, "a4"))
                .user("bob", 10, line(100, "b1"), line(110, "b2"), line(200, "b3"))
                .user("carol", 20, line(120, "c1"), bytes(130, "tail".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        eof(300))
                .user("dave", 150, line(210, "d1"));
    }

    /** Two users ask for one name at once; others send hostile names and bytes, then settle. */
    static ChatWorkload names() {
        return new ChatWorkload(Duration.ofSeconds(1))
                .user("alice", 0, line(200, "hi"))
                .rawUser("alice-twin", line(0, "alice"), line(50, "alice2"), line(200, "am I alice?"))
                .rawUser("faker", line(10, "<meta>"), line(60, "meta"), line(210, "hello"))
                .rawUser("bell", line(20, "be\u0007ll"), line(60, "bell"), line(230, "ding\u0007dong"))
                .rawUser("binary", bytes(30, new byte[] {'r', 'a', 'w', (byte) 0xFF, '\n'}), line(70, "late"));
    }

    /**
     * What a correct chat does that a careless rule could take for a bug: the same text twice, a
     * late joiner who gets only the second; a user who leaves and comes back under its name and
     * says the same again; two users racing at one instant; a refusal and a message in one chunk.
     */
    static ChatWorkload repeats() {
        return new ChatWorkload(Duration.ofSeconds(1))
                .user("alice", 0, line(100, "hi"), line(300, "hi"))
                .user("ann", 0, line(100, "hi"), eof(150))
                .user("bob", 0, line(100, "hi"), line(300, "hi"))
                .rawUser("ann-again", line(200, "ann"), line(300, "hi"))
                .rawUser("dave", bytes(200, "<x\ndave\nhi\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Paula reads nothing before 200 ms: a server may drop her before then, not long after. */
    static ChatWorkload paused() {
        return new ChatWorkload(Duration.ofSeconds(1))
                .user("alice", 0, line(100, "a1"), line(450, "a2"), line(500, "a3"))
                .pausedUser("paula", 10, 200)
                .user("bob", 20, line(150, "b1"));
    }

    @ParameterizedTest(name = "{0} breaks {1}")
    @CsvSource({
            "DUPLICATE_NAMES, chat-unique-names, names",
            "INSANE_NAMES, chat-sane-names, names",
            "HANG_ON_CONTROL_NAME, chat-server-alive, names",
            "RAW_BYTES, chat-clean-text, names",
            "SELF_ECHO, chat-no-echo, conversation",
            "MESSAGE_BEFORE_WELCOME, chat-welcome-first, conversation",
            "NO_JOIN_NOTICE, chat-welcome-first, conversation",
            "REORDER, chat-sender-fifo, conversation",
            "SPLIT_BROADCAST, chat-total-order, conversation",
            "REPLAY_HISTORY, chat-join-leave-bounds, conversation",
            "SLOW_DELIVERY, chat-delay-bound, conversation",
            "DROP_EVERY_THIRD, chat-no-loss, conversation",
            "LOSE_TAIL, chat-no-loss, conversation",
            "DOUBLE_LEAVE, chat-notices, conversation",
            "NO_LEAVE, chat-notices, conversation",
            "JOIN_TO_SELF, chat-notices, conversation",
            "DROP_A_READER, chat-fair-drops, conversation",
            "EARLY_LEAVE_NOTICE, chat-notices, conversation",
            "DROP_PAUSED_LATE, chat-fair-drops, paused",
    })
    void eachRuleCatchesItsBug(MutantChat.Bug bug, String rule, String workload) {
        Simulation.Exploration e = Simulation.explore(body(bug, workload), 0, 2_000, SimConfig.defaults());
        assertThat(e.ok()).as("%s was never caught", bug).isFalse();
        Result r = e.last();
        assertThat(r.bodyFailure()).isInstanceOf(HistoryViolation.class);
        HistoryViolation v = (HistoryViolation) r.bodyFailure();
        System.out.printf("%s caught after %d executions: %s%n", bug, e.executions(), v.getMessage());
        assertThat(v.invariant()).as(v.getMessage()).isEqualTo(rule);
        assertThat(v.violation().message()).as("the violation quotes a time").containsPattern("\\d+ms");
    }

    @ParameterizedTest
    @CsvSource({"conversation", "names", "repeats", "paused"})
    void theChatWithoutBugsPassesEveryRuleOnEverySeed(String workload) {
        Simulation.explore(body(MutantChat.Bug.NONE, workload), 0, 2_000, SimConfig.defaults()).orThrow();
    }

    @Test
    void droppingAReaderThatIsNotReadingYetIsFair() {
        Simulation.explore(body(MutantChat.Bug.DROP_PAUSED_EARLY, "paused"), 0, 2_000, SimConfig.defaults()).orThrow();
    }

    @Test
    void aBrokenRuleSaysWhoWhatAndWhen() {
        Result r = Simulation.result(body(MutantChat.Bug.DROP_EVERY_THIRD, "conversation"), 0);
        assertThat(r.bodyFailure()).hasMessageStartingWith("chat-no-loss: ")
                .hasMessageContaining("never received [").hasMessageContaining("] sent by ")
                .hasMessageContaining(" at 1");
    }

    private static Body body(MutantChat.Bug bug, String workload) {
        ChatWorkload w = switch (workload) {
            case "names" -> names();
            case "repeats" -> repeats();
            case "paused" -> paused();
            default -> conversation();
        };
        return w.body(() -> new MutantChat(bug), Network.OnHandlerFailure.CLOSE_CONNECTION, ChatInvariants.all(LIMITS));
    }
}

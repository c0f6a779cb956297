package dev.trellis.apps;

import dev.trellis.check.ChatHistory;
import dev.trellis.check.ChatInvariants;
import dev.trellis.real.RealRuntime;
import dev.trellis.runtime.Body;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.streams.StreamOptions;
import dev.trellis.testkit.ChatWorkload;
import dev.trellis.trace.Trace;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static dev.trellis.testkit.ChatWorkload.eof;
import static dev.trellis.testkit.ChatWorkload.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * The tutorial's chat server, ported bugs and all: its protocol on a quiet conversation, and each
 * of its bugs found by exploring seeds, checked to be that bug, replayed from its schedule. Each
 * bug's workload has a twin without the race (or without the hostile input) that must pass on
 * every seed, so the check that finds the bug cannot be one that fails on anything.
 */
@Timeout(120)
class SeedChatTest {
    /** Seeds an exploration may spend on one bug before the test gives up. */
    private static final int BUDGET = 5_000;
    /** Seeds a workload without the bug must pass. */
    private static final int CLEAN = 200;

    @Nested
    class Protocol {
        @Test
        void aQuietConversationGetsTheSeedsLinesAndEvents() {
            ChatWorkload world = SeedChatBugs.world(StreamOptions.plain())
                    .user("alice", 0, line(100, "hi"))
                    .user("bob", 10, eof(200));
            for (long seed = 0; seed < 20; seed++) {
                Result r = Simulation.result(SeedChatBugs.body(world, ChatInvariants.all(SeedChatBugs.LIMITS)), seed).orThrow();
                assertThat(text(world, "alice")).isEqualTo("<meta>: Please enter username: <meta>: Welcome alice.\n"
                        + "<meta>: bob joined.\n<meta>: bob left\n");
                assertThat(text(world, "bob")).isEqualTo("<meta>: Please enter username: <meta>: Welcome bob.\n"
                        + "<alice> : hi\n");
                Trace t = r.trace();
                assertThat(t.events("chat.join")).extracting(Trace.Event::a, Trace.Event::b)
                        .containsExactly(tuple(1L, 1L), tuple(2L, 2L));
                assertThat(t.events("chat.broadcast")).extracting(Trace.Event::a, Trace.Event::b)
                        .containsExactly(tuple(1L, 1L));
                assertThat(t.events("chat.deliver")).extracting(Trace.Event::a, Trace.Event::b)
                        .containsExactly(tuple(1L, 2L));
                assertThat(t.events("chat.leave")).extracting(Trace.Event::a, Trace.Event::b)
                        .containsExactly(tuple(2L, 1L));
            }
        }

        @Test
        void aTakenNameIsAskedAgainAndAnyOtherNameIsAccepted() {
            ChatWorkload world = SeedChatBugs.world(StreamOptions.plain())
                    .user("alice", 0)
                    .rawUser("alice-again", line(10, "alice"), line(20, ""), line(30, "x"));
            Simulation.result(SeedChatBugs.body(world, List.of()), 0).orThrow();
            // The second "alice" is refused; the empty name is taken at once; "x" is then a message.
            assertThat(text(world, "alice-again")).isEqualTo("<meta>: Please enter username: "
                    + "<meta>: Username taken. Please enter another: <meta>: Welcome .\n");
            assertThat(text(world, "alice")).isEqualTo(
                    "<meta>: Please enter username: <meta>: Welcome alice.\n<meta>:  joined.\n<> : x\n");
        }

        @Test
        void theDemoPlaysTheTranscriptOnRealTcp() throws Exception {
            List<String> lines = new ArrayList<>();
            RealRuntime.run(() -> {
                Programs.find("seed-chat").orElseThrow().demo().run(lines::add);
                return null;
            });
            assertThat(lines).contains("bob: got <alice> : hi bob", "carol: got <bob> : bye, I gotta go",
                    "alice: got <meta>: bob left").endsWith("done");
        }
    }

    @Nested
    class BugsFoundByExploring {
        @Test
        void aJoinOrLeaveDuringABroadcastCrashesTheServer() {
            findAndReplay(SeedChatBugs.failFastIterator());
        }

        @Test
        void aChunkIsTakenForALine() {
            findAndReplay(SeedChatBugs.chunkAsLine());
        }

        @Test
        void invalidUtf8InANameKillsTheServer() {
            findAndReplay(SeedChatBugs.invalidUtf8());
        }

        @Test
        void aValidNameSplitInsideACharacterKillsTheServer() {
            findAndReplay(SeedChatBugs.utf8SplitAcrossChunks());
        }

        @Test
        void twoReceiversSeeTwoBroadcastsInDifferentOrders() {
            findAndReplay(SeedChatBugs.broadcastOrder());
        }

        @Test
        void aBrokenPeerTakesTheServerDown() {
            findAndReplay(SeedChatBugs.brokenPeer());
        }

        @Test
        void aUserWhoStopsReadingStallsTheOthers() {
            findAndReplay(SeedChatBugs.stalledByASilentUser());
        }

        @Test
        void emptyAndImpersonatingNamesAreAccepted() {
            findAndReplay(SeedChatBugs.insaneNames());
        }
    }

    /**
     * Explores the bug's workload until it fails, asserts the failure is that bug and that replaying
     * its schedule fails the same way with the same trace; then runs its twin without the bug on
     * {@value #CLEAN} seeds, which must all pass.
     */
    private static void findAndReplay(SeedChatBugs.Bug b) {
        String bug = b.name();
        Body buggy = b.buggy();
        Predicate<Throwable> isTheBug = b.isTheBug();
        Simulation.Exploration found = Simulation.explore(buggy, 0, BUDGET, SimConfig.defaults());
        assertThat(found.ok()).as("%s not found in %d executions", bug, BUDGET).isFalse();
        Result r = found.last();
        assertThat(r.failure()).as("%s: the harness itself found nothing wrong", bug).isNull();
        assertThat(r.bodyFailure()).as("%s: the failure is that bug, not another", bug).matches(isTheBug);
        System.out.printf("seed-chat bug '%s' found after %d executions: %s%n  %s%n"
                        + "  replay: Simulation.run(body, Schedule.parse(\"%s\")), or -Dtrellis.seed=%d%n",
                bug, found.executions(), r.schedule().text(), r.bodyFailure(), r.schedule().text(), r.seed());

        Result again = Simulation.result(buggy, r.schedule());
        assertThat(again.traceHashHex()).as("%s: its replay", bug).isEqualTo(r.traceHashHex());
        assertThat(again.bodyFailure()).as("%s: its replay fails the same way", bug).matches(isTheBug);

        Simulation.explore(b.clean(), 0, CLEAN, SimConfig.defaults()).orThrow();
    }

    private static String text(ChatWorkload world, String label) {
        ChatHistory.Client c = world.lastHistory().clients().stream().filter(x -> x.label().equals(label)).findFirst()
                .orElseThrow();
        return new String(c.log().receivedBytes(), StandardCharsets.UTF_8);
    }
}

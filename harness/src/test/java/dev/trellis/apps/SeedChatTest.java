package dev.trellis.apps;

import dev.trellis.real.RealRuntime;
import dev.trellis.runtime.Body;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.streams.StreamOptions;
import dev.trellis.trace.Trace;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.function.Predicate;

import static dev.trellis.apps.SeedChatWorld.eof;
import static dev.trellis.apps.SeedChatWorld.line;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tutorial's chat server, ported bugs and all: its protocol on a quiet conversation, and each
 * of its bugs found by exploring seeds, checked to be that bug, replayed from its schedule. Each
 * bug's workload has a twin without the race (or without the hostile input) that must pass on
 * every seed, so the check that finds the bug cannot be one that fails on anything.
 */
@Timeout(120)
class SeedChatTest {
    private static final Duration END = Duration.ofSeconds(1);
    /** Seeds an exploration may spend on one bug before the test gives up. */
    private static final int BUDGET = 5_000;
    /** Seeds a workload without the bug must pass. */
    private static final int CLEAN = 200;

    @Nested
    class Protocol {
        @Test
        void aQuietConversationGetsTheSeedsLinesAndEvents() {
            SeedChatWorld world = new SeedChatWorld(StreamOptions.plain(), END)
                    .user("alice", 0, line(100, "hi"))
                    .user("bob", 10, eof(200));
            for (long seed = 0; seed < 20; seed++) {
                Result r = Simulation.run(world.body(SeedChatWorld::anything), seed).orThrow();
                assertThat(text(world, "alice")).isEqualTo("<meta>: Please enter username: <meta>: Welcome alice.\n"
                        + "<meta>: bob joined.\n<meta>: bob left\n");
                assertThat(text(world, "bob")).isEqualTo("<meta>: Please enter username: <meta>: Welcome bob.\n"
                        + "<alice> : hi\n");
                Trace t = r.trace();
                assertThat(t.events("chat.join")).extracting(Trace.Event::a, Trace.Event::b)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 1L), org.assertj.core.groups.Tuple.tuple(2L, 2L));
                assertThat(t.events("chat.broadcast")).extracting(Trace.Event::a, Trace.Event::b)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 1L));
                assertThat(t.events("chat.deliver")).extracting(Trace.Event::a, Trace.Event::b)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 2L));
                assertThat(t.events("chat.leave")).extracting(Trace.Event::a, Trace.Event::b)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 1L));
            }
        }

        @Test
        void aTakenNameIsAskedAgainAndAnyOtherNameIsAccepted() {
            SeedChatWorld world = new SeedChatWorld(StreamOptions.plain(), END)
                    .user("alice", 0)
                    .rawUser("alice-again", 10, "alice\n".getBytes(StandardCharsets.UTF_8), line(20, ""), line(30, "x"));
            Simulation.run(world.body(SeedChatWorld::anything), 0).orThrow();
            // The second "alice" is refused; the empty name is taken at once; "x" is then a message.
            assertThat(text(world, "alice-again")).isEqualTo("<meta>: Please enter username: "
                    + "<meta>: Username taken. Please enter another: <meta>: Welcome .\n");
            assertThat(new String(world.lastReceived().get("alice"), StandardCharsets.UTF_8)).isEqualTo(
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
            SeedChatWorld racy = new SeedChatWorld(StreamOptions.plain(), END)
                    .user("alice", 0, line(100, "hi all"))
                    .user("bob", 10)
                    .user("carol", 20, eof(100))
                    .user("dave", 100);
            SeedChatWorld calm = new SeedChatWorld(StreamOptions.plain(), END)
                    .user("alice", 0, line(100, "hi all"))
                    .user("bob", 10)
                    .user("carol", 20, eof(300))
                    .user("dave", 200);
            findAndReplay("fail-fast iterator", racy.body(SeedChatWorld::anything), calm.body(SeedChatWorld::anything),
                    thrown(ConcurrentModificationException.class));
        }

        @Test
        void aChunkIsTakenForALine() {
            SeedChatWorld chunky = new SeedChatWorld(StreamOptions.adversarial(), END)
                    .user("alice", 0, line(100, "hello bob"), line(100, "how are you"))
                    .user("bob", 10, line(200, "fine thanks"))
                    .user("carol", 20);
            SeedChatWorld whole = new SeedChatWorld(StreamOptions.plain(), END)
                    .user("alice", 0, line(100, "hello bob"), line(110, "how are you"))
                    .user("bob", 10, line(200, "fine thanks"))
                    .user("carol", 20);
            findAndReplay("chunk taken as a line", chunky.body(SeedChatWorld::chunksAreLines),
                    whole.body(SeedChatWorld::chunksAreLines), rule("chunk-as-line"));
        }

        @Test
        void invalidUtf8InANameKillsTheServer() {
            SeedChatWorld hostile = new SeedChatWorld(StreamOptions.plain(), END)
                    .user("alice", 0, line(100, "hi"))
                    .rawUser("mallory", 50, new byte[] {(byte) 0xC3, 0x28, '\n'});
            SeedChatWorld polite = new SeedChatWorld(StreamOptions.plain(), END)
                    .user("alice", 0, line(100, "hi"))
                    .user("mallory", 50);
            findAndReplay("invalid UTF-8", hostile.body(SeedChatWorld::anything), polite.body(SeedChatWorld::anything),
                    thrown(MalformedInputException.class));
        }

        @Test
        void aValidNameSplitInsideACharacterKillsTheServer() {
            SeedChatWorld split = new SeedChatWorld(StreamOptions.adversarial(), END)
                    .user("alice", 0)
                    .user("zoë", 10);
            SeedChatWorld whole = new SeedChatWorld(StreamOptions.plain(), END)
                    .user("alice", 0)
                    .user("zoë", 10);
            findAndReplay("UTF-8 split across chunks", split.body(SeedChatWorld::anything),
                    whole.body(SeedChatWorld::anything), thrown(MalformedInputException.class));
        }

        @Test
        void twoReceiversSeeTwoBroadcastsInDifferentOrders() {
            SeedChatWorld racy = new SeedChatWorld(StreamOptions.plain(), END)
                    .user("alice", 0, line(100, "from alice"))
                    .user("bob", 10, line(100, "from bob"))
                    .user("carol", 20)
                    .user("dave", 30);
            SeedChatWorld calm = new SeedChatWorld(StreamOptions.plain(), END)
                    .user("alice", 0, line(100, "from alice"))
                    .user("bob", 10, line(150, "from bob"))
                    .user("carol", 20)
                    .user("dave", 30);
            findAndReplay("broadcast order", racy.body(SeedChatWorld::oneBroadcastOrder),
                    calm.body(SeedChatWorld::oneBroadcastOrder), rule("broadcast-order"));
        }
    }

    /**
     * Explores {@code buggy} until it fails, asserts the failure is {@code bug} and that replaying
     * its schedule fails the same way with the same trace; then runs {@code clean} on
     * {@value #CLEAN} seeds, which must all pass.
     */
    private static void findAndReplay(String bug, Body buggy, Body clean, Predicate<Throwable> isTheBug) {
        Simulation.Exploration found = Simulation.explore(buggy, 0, BUDGET, SimConfig.defaults());
        assertThat(found.ok()).as("%s not found in %d executions", bug, BUDGET).isFalse();
        Result r = found.last();
        assertThat(r.failure()).as("%s: the harness itself found nothing wrong", bug).isNull();
        assertThat(r.bodyFailure()).as("%s: the failure is that bug, not another", bug).matches(isTheBug);
        System.out.printf("seed-chat bug '%s' found after %d executions: %s%n  %s%n", bug, found.executions(),
                r.schedule().text(), r.bodyFailure());

        Result again = Simulation.run(buggy, r.schedule());
        assertThat(again.traceHashHex()).as("%s: its replay", bug).isEqualTo(r.traceHashHex());
        assertThat(again.bodyFailure()).as("%s: its replay fails the same way", bug).matches(isTheBug);

        Simulation.explore(clean, 0, CLEAN, SimConfig.defaults()).orThrow();
    }

    /** The body's failure is itself a {@code type}: the handler's exception, propagated by the server as it was. */
    private static Predicate<Throwable> thrown(Class<? extends Throwable> type) {
        return type::isInstance;
    }

    private static Predicate<Throwable> rule(String name) {
        return t -> t instanceof SeedChatWorld.ChatBug b && b.rule.equals(name);
    }

    private static String text(SeedChatWorld world, String label) {
        return new String(world.lastReceived().get(label), StandardCharsets.UTF_8);
    }
}

package dev.trellis.apps;

import dev.trellis.runtime.Address;
import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.SimNetwork;
import dev.trellis.sim.Simulation;
import dev.trellis.streams.StreamOptions;
import dev.trellis.trace.Trace;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * The robust chat's protocol on the simulator, over dozens of seeds and on adversarial streams
 * (random receive sizes, 4 KiB buffered): every check must hold on every seed and chunking.
 */
@Timeout(120)
class ChatTest {
    private static final int SEEDS = 30;
    private static final Duration END = Duration.ofSeconds(5);

    private static final String PROMPT = "<meta>: Please enter username: ";
    private static final String INVALID = "<meta>: Names are 1 to 32 printable characters, not starting with < and without >. Please enter another: ";
    private static final String TAKEN = "<meta>: Username taken. Please enter another: ";
    private static final String NAME_TOO_LONG = "<meta>: Line too long. Please enter another: ";
    private static final String TOO_LONG = "<meta>: Line too long (max 1024 bytes); dropped.\n";
    private static final String FFFD = "\uFFFD";

    @Nested
    class Names {
        @Test
        void everyRefusedNameGetsOneReplyAndThenTheNameIsWelcomed() {
            byte[] attempts = concat(
                    lines("<meta>", "", "   ", "a".repeat(33), "a\u0007b", "zero\u200Bwidth", "\uFFFD", "line\u2028sep"),
                    new byte[] {'b', 'a', 'd', (byte) 0xFF, '\n'},
                    lines("n".repeat(2000), "alice", " rob \r"));
            for (long seed = 0; seed < SEEDS; seed++) {
                Map<String, String> got = run(seed, Chat::new,
                        user("alice", 0, line(0, "alice"), line(200, "hi")),
                        user("rob", 100, new Send(ms(100), attempts)));
                assertThat(got.get("rob")).isEqualTo(PROMPT + INVALID.repeat(9) + NAME_TOO_LONG + TAKEN
                        + "<meta>: Welcome rob.\n<alice> : hi\n");
                assertThat(got.get("alice")).isEqualTo(PROMPT + "<meta>: Welcome alice.\n<meta>: rob joined.\n");
            }
        }

        @Test
        void thirtyTwoCodePointsAreANameEvenOutsideTheBasicPlane() {
            String emoji = "\uD83D\uDE00".repeat(32);
            for (long seed = 0; seed < SEEDS; seed++) {
                Map<String, String> got = run(seed, Chat::new,
                        user("long", 0, line(0, emoji + "\uD83D\uDE00"), line(10, emoji)));
                assertThat(got.get("long")).isEqualTo(PROMPT + INVALID + "<meta>: Welcome " + emoji + ".\n");
            }
        }

        @Test
        void twoUsersAskingForOneNameAtOnceGetItOnceBetweenThem() {
            for (long seed = 0; seed < SEEDS; seed++) {
                Map<String, String> got = run(seed, Chat::new,
                        user("one", 0, line(0, "sam"), line(50, "one")),
                        user("two", 0, line(0, "sam"), line(50, "two")));
                String welcomed = PROMPT + "<meta>: Welcome sam.\n";
                String refused = PROMPT + TAKEN;
                assertThat(List.of(got.get("one"), got.get("two"))).as("seed " + seed)
                        .anySatisfy(t -> assertThat(t).startsWith(welcomed))
                        .anySatisfy(t -> assertThat(t).startsWith(refused));
            }
        }
    }

    @Nested
    class Messages {
        @Test
        void reachEveryoneElseSanitizedAndNeverComeBack() {
            byte[] said = concat(
                    lines("tab\there\r", "", "y".repeat(1024), "z".repeat(1025)),
                    new byte[] {'b', 'a', 'd', ' ', (byte) 0xFF, (byte) 0xFE, '\n'},
                    lines("bell\u0007 del\u007F c1\u0085 cr\rin", "x".repeat(100_000), "after long", "é ok",
                            "hi \u202Eevol\u202C zw\u200Bsp ls\u2028ps\u2029"));
            for (long seed = 0; seed < SEEDS; seed++) {
                Map<String, String> got = run(seed, Chat::new,
                        user("alice", 0, line(0, "alice")),
                        user("bob", 10, line(10, "bob"), new Send(ms(100), said)),
                        user("carol", 20, line(20, "carol")));
                String relayed = "<bob> : tab" + FFFD + "here\n<bob> : \n<bob> : " + "y".repeat(1024) + "\n"
                        + "<bob> : bad " + FFFD + FFFD + "\n<bob> : bell" + FFFD + " del" + FFFD + " c1" + FFFD + " cr" + FFFD
                        + "in\n<bob> : after long\n<bob> : é ok\n"
                        // bidi overrides, zero-width and separator characters forge what a terminal shows
                        + "<bob> : hi " + FFFD + "evol" + FFFD + " zw" + FFFD + "sp ls" + FFFD + "ps" + FFFD + "\n";
                assertThat(got.get("alice")).isEqualTo(PROMPT + "<meta>: Welcome alice.\n<meta>: bob joined.\n"
                        + "<meta>: carol joined.\n" + relayed);
                assertThat(got.get("carol")).isEqualTo(PROMPT + "<meta>: Welcome carol.\n" + relayed);
                assertThat(got.get("bob")).isEqualTo(PROMPT + "<meta>: Welcome bob.\n<meta>: carol joined.\n" + TOO_LONG + TOO_LONG);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"random", "pct:3"})
        void everyReceiverSeesOneTotalOrderOfMessagesJoinsAndLeaves(String strategy) {
            for (long seed = 0; seed < SEEDS; seed++) {
                String[] lines = {"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"};
                Result r = Simulation.result(body(Chat::new, new HashMap<>(),
                        user("a", 0, line(0, "a"), new Send(ms(100), lines(lines))),
                        user("b", 0, line(0, "b"), new Send(ms(100), lines(lines))),
                        user("c", 0, line(0, "c"), new Send(ms(100), lines(lines)), eof(100)),
                        user("d", 100, line(100, "d"))), seed, SimConfig.defaults().withStrategy(strategy)).orThrow();
                Trace t = r.trace();
                Map<Long, List<Long>> delivered = new LinkedHashMap<>();
                for (Trace.Event e : t.events("chat.deliver")) {
                    delivered.computeIfAbsent(e.b(), k -> new ArrayList<>()).add(e.a());
                }
                // Messages are numbered in the order the room relayed them; each writer sends in that order.
                for (Map.Entry<Long, List<Long>> e : delivered.entrySet()) {
                    assertThat(e.getValue()).as("seed %d, receiver %d", seed, e.getKey()).isSorted().doesNotHaveDuplicates();
                }
                assertThat(t.events("chat.join")).hasSize(4);
                assertThat(t.events("chat.leave")).extracting(Trace.Event::a).contains(3L);
            }
        }

        @Test
        void aQuietConversationHasItsEvents() {
            for (long seed = 0; seed < SEEDS; seed++) {
                Map<String, String> got = new HashMap<>();
                Result r = Simulation.result(body(Chat::new, got,
                        user("alice", 0, line(0, "alice"), line(100, "hi")),
                        user("bob", 10, line(10, "bob"), eof(200))), seed).orThrow();
                assertThat(got.get("alice")).isEqualTo(PROMPT + "<meta>: Welcome alice.\n<meta>: bob joined.\n<meta>: bob left\n");
                assertThat(got.get("bob")).as("closed once bob left").isEqualTo(PROMPT + "<meta>: Welcome bob.\n<alice> : hi\n" + EOF_MARK);
                Trace t = r.trace();
                assertThat(t.events("chat.join")).extracting(Trace.Event::a, Trace.Event::b)
                        .containsExactly(tuple(1L, 1L), tuple(2L, 2L));
                assertThat(t.events("chat.broadcast")).extracting(Trace.Event::a, Trace.Event::b).containsExactly(tuple(1L, 1L));
                assertThat(t.events("chat.deliver")).extracting(Trace.Event::a, Trace.Event::b).containsExactly(tuple(1L, 2L));
                // Then the world stops the server, and alice leaves too.
                assertThat(t.events("chat.leave")).extracting(Trace.Event::a, Trace.Event::b)
                        .containsExactly(tuple(2L, 1L), tuple(1L, 0L));
            }
        }
    }

    @Nested
    class Leaving {
        @Test
        void aUserWhoLeavesStillGetsWhatWasQueuedToItAndTheOthersHearIt() {
            for (long seed = 0; seed < SEEDS; seed++) {
                Map<String, String> got = run(seed, Chat::new,
                        user("alice", 0, line(0, "alice"), line(100, "one"), line(100, "two")),
                        user("bob", 10, line(10, "bob"), eof(100)),
                        user("carol", 20, line(20, "carol")));
                // bob's end-of-stream races alice's lines: whatever was queued before bob left reaches bob.
                String bob = got.get("bob");
                String carol = got.get("carol");
                String before = carol.substring(0, carol.indexOf("<meta>: bob left\n"));
                assertThat(bob).isEqualTo(PROMPT + "<meta>: Welcome bob.\n<meta>: carol joined.\n"
                        + before.substring((PROMPT + "<meta>: Welcome carol.\n").length()));
                assertThat(carol.replace("<meta>: bob left\n", ""))
                        .isEqualTo(PROMPT + "<meta>: Welcome carol.\n<alice> : one\n<alice> : two\n");
                assertThat(got.get("alice")).endsWith("<meta>: carol joined.\n<meta>: bob left\n");
            }
        }

        @Test
        void aSlowReaderIsDroppedWhileTheOthersGetEveryLine() {
            List<String> said = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                said.add(i + " " + "p".repeat(300));
            }
            StringBuilder relayed = new StringBuilder();
            said.forEach(s -> relayed.append("<alice> : ").append(s).append('\n'));
            for (long seed = 0; seed < SEEDS; seed++) {
                List<Send> alice = new ArrayList<>();
                alice.add(line(0, "alice"));
                for (int i = 0; i < said.size(); i++) {
                    alice.add(line(100 + i, said.get(i)));   // one a millisecond: every reader keeps up
                }
                Map<String, String> got = run(seed, () -> new Chat(1024, 4),
                        new Script("alice", alice, ms(0)),
                        new Script("slow", List.of(line(10, "slow")), ms(2000)),
                        user("bob", 20, line(20, "bob")));
                String bob = got.get("bob");
                assertThat(bob).containsOnlyOnce("<meta>: slow left (too slow)\n");
                assertThat(bob.replace("<meta>: slow left (too slow)\n", ""))
                        .isEqualTo(PROMPT + "<meta>: Welcome bob.\n" + relayed);
                assertThat(got.get("alice")).isEqualTo(PROMPT + "<meta>: Welcome alice.\n<meta>: slow joined.\n"
                        + "<meta>: bob joined.\n<meta>: slow left (too slow)\n");
                // The slow user got a prefix of its lines and then was closed (it reads at 2 s, after the farewell's 1 s).
                assertThat(got.get("slow")).startsWith(PROMPT + "<meta>: Welcome slow.\n<meta>: bob joined.\n")
                        .endsWith(EOF_MARK);
            }
        }
    }

    @Nested
    class Bursts {
        @Test
        void aFloodOfEmptyLinesDropsNobodyWhoReads() {
            String[] empty = new String[3000];
            Arrays.fill(empty, "");
            for (long seed = 0; seed < SEEDS; seed++) {
                Map<String, String> got = run(seed, Chat::new,
                        user("alice", 0, line(0, "alice"), new Send(ms(100), lines(empty))),
                        user("bob", 10, line(10, "bob")),
                        user("carol", 20, line(20, "carol")));
                assertThat(got.get("carol")).as("seed " + seed)
                        .isEqualTo(PROMPT + "<meta>: Welcome carol.\n" + "<alice> : \n".repeat(empty.length));
                assertThat(got.get("bob")).as("seed " + seed)
                        .isEqualTo(PROMPT + "<meta>: Welcome bob.\n<meta>: carol joined.\n" + "<alice> : \n".repeat(empty.length));
            }
        }
    }

    // A small world driver, local to these tests: a Chat served with PROPAGATE (so any failure of a
    // handler fails the test), scripted users who send at fixed virtual times, and a reader per
    // user recording what it receives, with EOF_MARK appended when the server closes.

    private static final String EOF_MARK = "<<end-of-stream>>";

    /** What a user sends at a virtual time: bytes, or end-of-stream when {@code data} is null. */
    private record Send(Duration at, byte[] data) {}

    /** A user: connects at its first send, and reads from {@code readsFrom} on. */
    private record Script(String label, List<Send> sends, Duration readsFrom) {}

    private static Script user(String label, int connectMs, Send... sends) {
        return new Script(label, List.of(sends), ms(connectMs));
    }

    private static Send line(int ms, String text) {
        return new Send(ms(ms), lines(text));
    }

    private static Send eof(int ms) {
        return new Send(ms(ms), null);
    }

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    private static byte[] lines(String... texts) {
        StringBuilder b = new StringBuilder();
        for (String t : texts) {
            b.append(t).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Runs the world on one seed and returns what each user received, by label (without EOF_MARK unless asked). */
    private static Map<String, String> run(long seed, Supplier<Chat> chat, Script... users) {
        Map<String, String> got = new HashMap<>();
        Simulation.result(body(chat, got, users), seed).orThrow();
        Map<String, String> out = new HashMap<>();
        got.forEach((label, text) -> out.put(label, label.equals("slow") ? text : text.replace(EOF_MARK, "")));
        return out;
    }

    private static dev.trellis.runtime.Body body(Supplier<Chat> chat, Map<String, String> got, Script... users) {
        return () -> {
            SimNetwork.current().defaultStreams(StreamOptions.adversarial());
            Network net = Network.current();
            Map<String, ByteArrayOutputStream> received = new LinkedHashMap<>();
            Nursery.open(world -> {
                Address address = world.startAndWait("server", status -> {
                    try (Listener listener = net.listen(Address.of("127.0.0.1", 0))) {
                        status.started(listener.address());
                        net.serve(listener, chat.get(), Network.OnHandlerFailure.PROPAGATE);
                    }
                });
                for (Script u : users) {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    received.put(u.label(), b);
                    world.start(u.label(), () -> play(net, address, u, b));
                }
                Trellis.sleep(END);
                world.cancelScope().cancel();
            });
            got.clear();
            received.forEach((label, b) -> got.put(label, b.toString(StandardCharsets.UTF_8)));
        };
    }

    private static void play(Network net, Address address, Script u, ByteArrayOutputStream got) throws Exception {
        sleepUntil(u.sends().get(0).at());
        try (ByteStream stream = net.connect(address)) {
            Nursery.open(user -> {
                user.start(u.label() + "-reads", () -> {
                    sleepUntil(u.readsFrom());
                    byte[] buf = new byte[4096];
                    try {
                        int n;
                        while ((n = stream.receiveSome(buf, 0, buf.length)) > 0) {
                            got.write(buf, 0, n);
                        }
                        got.writeBytes(EOF_MARK.getBytes(StandardCharsets.UTF_8));
                    } catch (BrokenStreamException broken) {
                        got.writeBytes(EOF_MARK.getBytes(StandardCharsets.UTF_8));
                    }
                });
                for (Send s : u.sends()) {
                    sleepUntil(s.at());
                    if (s.data() == null) {
                        stream.sendEof();
                    } else {
                        stream.sendAll(s.data());
                    }
                }
            });
        }
    }

    private static void sleepUntil(Duration at) {
        Duration wait = at.minus(Trellis.now());
        if (wait.isPositive()) {
            Trellis.sleep(wait);
        }
    }

    @Test
    void theDemoRunsOnTheSimulator() {
        for (long seed = 0; seed < SEEDS; seed++) {
            List<String> lines = new ArrayList<>();
            Simulation.result(() -> Programs.find("chat").orElseThrow().demo().run(lines::add), seed).orThrow();
            assertThat(lines).contains("alice: got <bob> : a" + FFFD + "tab", "alice: got <meta>: bob left").endsWith("done");
        }
    }
}

package dev.trellis.apps;

import dev.trellis.check.ChatInvariants;
import dev.trellis.check.HistoryInvariant;
import dev.trellis.runtime.Body;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Trellis;
import dev.trellis.streams.StreamOptions;
import dev.trellis.testkit.ChatWorkload;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static dev.trellis.testkit.ChatWorkload.bytes;
import static dev.trellis.testkit.ChatWorkload.close;
import static dev.trellis.testkit.ChatWorkload.eof;
import static dev.trellis.testkit.ChatWorkload.line;

/**
 * The robust chat's workloads, each a body that builds its users from the seed (when they speak,
 * who races whom), runs them against a fresh {@link Chat} and checks every rule of
 * {@link ChatInvariants} on the history. The same workloads run over real loopback TCP, where a
 * drawn reset (a simulated network's fault) becomes a client that closes in the middle of a line.
 */
final class ChatWorkloads {
    private ChatWorkloads() {}

    static final Duration END = Duration.ofSeconds(1);

    /** A workload by name: {@code real} picks the variant for real TCP; {@code server} makes its chat. */
    record Named(String name, java.util.function.Function<Boolean, ChatWorkload> make, Supplier<Chat> server) {
        Named(String name, java.util.function.Function<Boolean, ChatWorkload> make) {
            this(name, make, Chat::new);
        }

        Body body(boolean real) {
            ChatInvariants.Limits limits = real ? ChatInvariants.Limits.realTcp() : ChatInvariants.Limits.simulated();
            return body(real, ChatInvariants.all(limits));
        }

        Body body(boolean real, List<HistoryInvariant<dev.trellis.check.ChatHistory>> rules) {
            return () -> HistoryInvariant.verify(make.apply(real).run(server, Network.OnHandlerFailure.CLOSE_CONNECTION),
                    rules);
        }
    }

    static List<Named> all() {
        return List.of(new Named("three-users", r -> threeUsers()), new Named("ten-users-join-leave", r -> tenUsers()),
                new Named("stopped-reader", r -> stoppedReader(), () -> new Chat(Chat.DEFAULT_MAX_LINE, 8)), new Named("reset-peer", ChatWorkloads::resetPeer),
                new Named("hostile-names", r -> hostileNames()), new Named("long-lines-odd-chunks", r -> longLines()));
    }

    /** A time in {@code [from, from + 10 * choices)} in steps of 10 ms, drawn from the seed. */
    private static int drawn(int from, int choices) {
        return from + 10 * (int) Trellis.random(choices);
    }

    /**
     * Three users, five messages each at drawn times: most of them race someone's. Carol then says
     * goodbye in a last line she ends with end-of-stream instead of a newline.
     */
    static ChatWorkload threeUsers() {
        ChatWorkload w = new ChatWorkload(END);
        for (String name : List.of("alice", "bob", "carol")) {
            List<ChatWorkload.Send> sends = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sends.add(line(drawn(100 + 40 * i, 3), name + " says " + i));
            }
            if (name.equals("carol")) {
                sends.add(bytes(drawn(320, 3), "bye for now".getBytes(StandardCharsets.UTF_8)));
                sends.add(eof(drawn(340, 3)));
            }
            w.user(name, drawn(0, 3), sends.toArray(ChatWorkload.Send[]::new));
        }
        return w;
    }

    /**
     * Ten users join at drawn times, talk, and three of them leave mid-conversation; two come back
     * under their old names, one of them while others talk; kim reads nothing until 350 ms.
     */
    static ChatWorkload tenUsers() {
        ChatWorkload w = new ChatWorkload(END);
        String[] names = {"ann", "ben", "cat", "dan", "eve", "fay", "gus", "hal", "ida", "jo"};
        for (int i = 0; i < names.length; i++) {
            List<ChatWorkload.Send> more = new ArrayList<>();
            more.add(line(drawn(200, 4), names[i] + ": hello"));
            if (i < 3) {
                more.add(eof(drawn(240, 3)));
            } else {
                more.add(line(drawn(300, 4), names[i] + ": still here"));
            }
            w.user(names[i], drawn(10 * i, 3), more.toArray(ChatWorkload.Send[]::new));
        }
        w.rawUser("ann-again", line(drawn(300, 3), "ann"), line(drawn(330, 3), "ann is back"));
        w.rawUser("ben-again", line(500, "ben"), line(520, "ben too"));
        w.pausedUser("kim", drawn(0, 3), 350, line(drawn(300, 3), "kim: back soon"));
        return w;
    }

    /**
     * Pat logs in and never reads, and pia reads nothing until 400 ms, while three others send 60
     * lines between 100 and 200 ms: their 8-line outboxes overflow once their 512-byte streams are
     * full, and the server drops both; the others get every line, without delay.
     */
    static ChatWorkload stoppedReader() {
        ChatWorkload w = new ChatWorkload(END).streams(StreamOptions.plain().withCapacity(512));
        w.silentUser("pat", 0);
        w.pausedUser("pia", 5, 400);
        for (String name : List.of("quinn", "ray", "sue")) {
            List<ChatWorkload.Send> sends = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sends.add(line(100 + 5 * i + (int) Trellis.random(2), name + " line " + i + " " + "x".repeat(40)));
            }
            w.user(name, drawn(10, 3), sends.toArray(ChatWorkload.Send[]::new));
        }
        return w;
    }

    /**
     * Vic's connection resets at a byte the seed draws, in either direction, while alice and bob
     * talk to it and each other; over real TCP, vic closes in the middle of its second line instead.
     */
    static ChatWorkload resetPeer(boolean real) {
        ChatWorkload w = new ChatWorkload(END)
                .user("alice", 0, line(drawn(100, 3), "hi vic"), line(drawn(200, 3), "you there?"))
                .user("bob", 10, line(drawn(100, 3), "hi all"), line(drawn(200, 3), "vic went quiet"));
        List<ChatWorkload.Send> vic = new ArrayList<>(List.of(line(20, "vic"), line(drawn(100, 3), "hello"),
                bytes(150, "half a li".getBytes(StandardCharsets.UTF_8))));
        if (real) {
            vic.add(close(160));
            w.rawUser("vic", vic.toArray(ChatWorkload.Send[]::new));
        } else {
            vic.add(bytes(160, "ne\n".getBytes(StandardCharsets.UTF_8)));
            w.add(new ChatWorkload.User("vic", vic, Duration.ZERO, StreamOptions.plain().withRandomReset(300)));
        }
        return w;
    }

    /**
     * Two users ask for one name at once; others try names that are empty, too long, impersonate
     * {@code <meta>}, hold a control character or are not UTF-8, each then settling for a good one.
     */
    static ChatWorkload hostileNames() {
        return new ChatWorkload(END)
                .user("alice", 0, line(200, "hi"))
                .rawUser("alice-twin", line(0, "alice"), line(50, "alice2"), line(200, "am I alice?"))
                .rawUser("faker", line(drawn(10, 3), "<meta>"), line(60, "meta"), line(210, "<meta>: everyone leave"))
                .rawUser("empty", line(drawn(10, 3), "   "), line(60, "blank"), line(220, "hello"))
                .rawUser("long", line(drawn(10, 3), "x".repeat(33)), line(60, "longname"))
                .rawUser("bell", line(drawn(10, 3), "be\u0007ll"), line(60, "bell"), line(230, "ding\u0007dong"))
                .rawUser("binary", bytes(drawn(10, 3), new byte[] {'b', (byte) 0xC3, 0x28, '\n'}), line(60, "binary"),
                        bytes(240, new byte[] {'r', 'a', 'w', (byte) 0xFF, '\n'}));
    }

    /**
     * Lines longer than the limit and lines at it (one ending in {@code \r\n}, as telnet sends),
     * sent in odd pieces (7 and 13 bytes) over adversarial streams, between short ones.
     */
    static ChatWorkload longLines() {
        byte[] tooLong = ("t".repeat(3000) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] justFits = ("f".repeat(1024) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] fitsWithCr = ("c".repeat(1024) + "\r\n").getBytes(StandardCharsets.UTF_8);
        List<ChatWorkload.Send> sends = new ArrayList<>();
        sends.add(line(100, "short one"));
        sends.addAll(pieces(110, tooLong, 7));
        sends.add(line(120, "short two"));
        sends.addAll(pieces(130, justFits, 13));
        sends.addAll(pieces(140, fitsWithCr, 7));
        return new ChatWorkload(END).streams(StreamOptions.adversarial())
                .user("writer", 0, sends.toArray(ChatWorkload.Send[]::new))
                .user("reader", drawn(0, 3), line(drawn(110, 3), "got it"))
                .user("other", drawn(0, 3));
    }

    private static List<ChatWorkload.Send> pieces(int ms, byte[] data, int size) {
        List<ChatWorkload.Send> out = new ArrayList<>();
        for (int i = 0; i < data.length; i += size) {
            out.add(bytes(ms, Arrays.copyOfRange(data, i, Math.min(data.length, i + size))));
        }
        return out;
    }
}

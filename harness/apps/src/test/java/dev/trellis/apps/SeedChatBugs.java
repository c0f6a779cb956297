package dev.trellis.apps;

import dev.trellis.check.ChatHistory;
import dev.trellis.check.ChatInvariants;
import dev.trellis.check.HistoryInvariant;
import dev.trellis.check.HistoryViolation;
import dev.trellis.runtime.Body;
import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.Network;
import dev.trellis.streams.StreamOptions;
import dev.trellis.testkit.ChatWorkload;

import java.nio.charset.MalformedInputException;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.function.Predicate;

import static dev.trellis.testkit.ChatWorkload.bytes;
import static dev.trellis.testkit.ChatWorkload.eof;
import static dev.trellis.testkit.ChatWorkload.line;

/**
 * The seed chat's bugs as workloads, shared by {@link SeedChatTest} and {@link SeedChatMeasure}.
 * Each bug has a workload that can show it, judged by the rule that names it (none for a crash,
 * which fails the run by itself); a twin without the race or the hostile input, which must pass
 * every rule of {@link ChatInvariants} on every seed (so no rule fails on anything); and the test
 * that a failure is that bug and not another.
 */
final class SeedChatBugs {
    private SeedChatBugs() {}

    /** Everything stops at one virtual second; every workload is quiet long before. */
    static final Duration END = Duration.ofSeconds(1);
    static final ChatInvariants.Limits LIMITS = ChatInvariants.Limits.simulated();

    record Bug(String name, Body buggy, Body clean, Predicate<Throwable> isTheBug) {}

    static List<Bug> all() {
        return List.of(failFastIterator(), chunkAsLine(), invalidUtf8(), utf8SplitAcrossChunks(), broadcastOrder(),
                brokenPeer(), stalledByASilentUser(), insaneNames());
    }

    /** Carol leaves and dave joins at the instant alice broadcasts. */
    static Bug failFastIterator() {
        ChatWorkload racy = world(StreamOptions.plain())
                .user("alice", 0, line(100, "hi all"))
                .user("bob", 10)
                .user("carol", 20, eof(100))
                .user("dave", 100);
        ChatWorkload calm = world(StreamOptions.plain())
                .user("alice", 0, line(100, "hi all"))
                .user("bob", 10)
                .user("carol", 20, eof(300))
                .user("dave", 200);
        return crash("fail-fast iterator", racy, calm, ConcurrentModificationException.class::isInstance);
    }

    /** Adversarial streams split lines and names; alice's two lines back to back may merge. */
    static Bug chunkAsLine() {
        ChatWorkload chunky = world(StreamOptions.adversarial())
                .user("alice", 0, line(100, "hello bob"), line(100, "how are you"))
                .user("bob", 10, line(200, "fine thanks"))
                .user("carol", 20);
        ChatWorkload whole = world(StreamOptions.plain())
                .user("alice", 0, line(100, "hello bob"), line(110, "how are you"))
                .user("bob", 10, line(200, "fine thanks"))
                .user("carol", 20);
        return broken("chunk taken as a line", chunky, whole, ChatInvariants.wholeLines(LIMITS));
    }

    /** Mallory's name is not UTF-8. */
    static Bug invalidUtf8() {
        ChatWorkload hostile = world(StreamOptions.plain())
                .user("alice", 0, line(100, "hi"))
                .rawUser("mallory", bytes(50, new byte[] {(byte) 0xC3, 0x28, '\n'}));
        ChatWorkload polite = world(StreamOptions.plain())
                .user("alice", 0, line(100, "hi"))
                .user("mallory", 50);
        return crash("invalid UTF-8", hostile, polite, MalformedInputException.class::isInstance);
    }

    /** A valid name whose two-byte character a chunk boundary may cut. */
    static Bug utf8SplitAcrossChunks() {
        ChatWorkload split = world(StreamOptions.adversarial())
                .user("alice", 0)
                .user("zoë", 10);
        ChatWorkload whole = world(StreamOptions.plain())
                .user("alice", 0)
                .user("zoë", 10);
        return crash("UTF-8 split across chunks", split, whole, MalformedInputException.class::isInstance);
    }

    /** Alice and bob broadcast at the same instant; carol and dave receive both. */
    static Bug broadcastOrder() {
        ChatWorkload racy = world(StreamOptions.plain())
                .user("alice", 0, line(100, "from alice"))
                .user("bob", 10, line(100, "from bob"))
                .user("carol", 20)
                .user("dave", 30);
        ChatWorkload calm = world(StreamOptions.plain())
                .user("alice", 0, line(100, "from alice"))
                .user("bob", 10, line(150, "from bob"))
                .user("carol", 20)
                .user("dave", 30);
        return broken("broadcast order", racy, calm, ChatInvariants.totalOrder());
    }

    /**
     * Every connection resets at a byte the seed draws, in either direction: a send to the broken
     * user raises in the sender's handler, a receive in the user's own, and either takes the
     * server down.
     */
    static Bug brokenPeer() {
        ChatWorkload breaking = world(StreamOptions.plain().withRandomReset(120))
                .user("alice", 0, line(100, "hi bob"))
                .user("bob", 10, line(200, "hi alice"));
        ChatWorkload sound = world(StreamOptions.plain())
                .user("alice", 0, line(100, "hi bob"))
                .user("bob", 10, line(200, "hi alice"));
        return crash("broken peer", breaking, sound, BrokenStreamException.class::isInstance);
    }

    /**
     * Eve logs in between alice and bob and reads nothing until 500 ms; once her 128-byte buffer
     * is full, alice's broadcast waits on her, and bob, after her in the users map, hears alice's
     * lines only when eve reads again, 400 ms late. (With 64 bytes, bob's join notice already
     * fills it and stalls bob's handler; alice's broadcast then meets it inside eve's
     * {@code sendAll}, and the server dies of BusyResourceException: a second way a silent user
     * hurts, which this workload keeps out of the way.)
     */
    static Bug stalledByASilentUser() {
        StreamOptions small = StreamOptions.plain().withCapacity(128);
        ChatWorkload stalled = world(small)
                .user("alice", 0, line(100, "one two three four"), line(110, "five six seven eight"),
                        line(120, "nine ten eleven twelve"))
                .pausedUser("eve", 10, 500)
                .user("bob", 20);
        ChatWorkload flowing = world(small)
                .user("alice", 0, line(100, "one two three four"), line(110, "five six seven eight"),
                        line(120, "nine ten eleven twelve"))
                .user("eve", 10)
                .user("bob", 20);
        return broken("stall behind a silent user", stalled, flowing, ChatInvariants.delayBound(LIMITS));
    }

    /** One user sends an empty name, another calls itself {@code <meta>}. */
    static Bug insaneNames() {
        ChatWorkload hostile = world(StreamOptions.plain())
                .user("alice", 0)
                .rawUser("nameless", line(10, ""))
                .user("<meta>", 20);
        ChatWorkload polite = world(StreamOptions.plain())
                .user("alice", 0)
                .user("bob", 10)
                .user("meta", 20);
        return broken("empty or impersonating names", hostile, polite, ChatInvariants.saneNames());
    }

    static ChatWorkload world(StreamOptions streams) {
        return new ChatWorkload(END).streams(streams);
    }

    /** A seed chat served as trio's {@code serve_tcp} serves: a handler's failure takes the server down. */
    static Body body(ChatWorkload w, List<? extends HistoryInvariant<? super ChatHistory>> rules) {
        return w.body(SeedChat::new, Network.OnHandlerFailure.PROPAGATE, rules);
    }

    private static Bug crash(String name, ChatWorkload buggy, ChatWorkload clean, Predicate<Throwable> isTheBug) {
        return new Bug(name, body(buggy, List.of()), body(clean, ChatInvariants.all(LIMITS)), isTheBug);
    }

    private static Bug broken(String name, ChatWorkload buggy, ChatWorkload clean, HistoryInvariant<ChatHistory> rule) {
        return new Bug(name, body(buggy, List.of(rule)), body(clean, ChatInvariants.all(LIMITS)),
                t -> t instanceof HistoryViolation v && v.invariant().equals(rule.name()));
    }
}

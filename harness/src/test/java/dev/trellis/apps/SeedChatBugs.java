package dev.trellis.apps;

import dev.trellis.runtime.Body;
import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.streams.StreamOptions;

import java.nio.charset.MalformedInputException;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.function.Predicate;

import static dev.trellis.apps.SeedChatWorld.eof;
import static dev.trellis.apps.SeedChatWorld.line;

/**
 * The seed chat's bugs as workloads, shared by {@link SeedChatTest} and {@link SeedChatMeasure}.
 * Each bug has a workload that can show it, a twin without the race or the hostile input that
 * must pass on every seed (so the check cannot be one that fails on anything), and the test that
 * a failure is that bug and not another.
 */
final class SeedChatBugs {
    private SeedChatBugs() {}

    /** Everything stops at one virtual second; every workload is quiet long before. */
    static final Duration END = Duration.ofSeconds(1);

    record Bug(String name, Body buggy, Body clean, Predicate<Throwable> isTheBug) {}

    static List<Bug> all() {
        return List.of(failFastIterator(), chunkAsLine(), invalidUtf8(), utf8SplitAcrossChunks(), broadcastOrder(),
                brokenPeer(), stalledByASilentUser(), insaneNames());
    }

    /** Carol leaves and dave joins at the instant alice broadcasts. */
    static Bug failFastIterator() {
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
        return new Bug("fail-fast iterator", racy.body(SeedChatWorld::anything), calm.body(SeedChatWorld::anything),
                ConcurrentModificationException.class::isInstance);
    }

    /** Adversarial streams split lines and names; alice's two lines back to back may merge. */
    static Bug chunkAsLine() {
        SeedChatWorld chunky = new SeedChatWorld(StreamOptions.adversarial(), END)
                .user("alice", 0, line(100, "hello bob"), line(100, "how are you"))
                .user("bob", 10, line(200, "fine thanks"))
                .user("carol", 20);
        SeedChatWorld whole = new SeedChatWorld(StreamOptions.plain(), END)
                .user("alice", 0, line(100, "hello bob"), line(110, "how are you"))
                .user("bob", 10, line(200, "fine thanks"))
                .user("carol", 20);
        return new Bug("chunk taken as a line", chunky.body(SeedChatWorld::chunksAreLines),
                whole.body(SeedChatWorld::chunksAreLines), rule("chunk-as-line"));
    }

    /** Mallory's name is not UTF-8. */
    static Bug invalidUtf8() {
        SeedChatWorld hostile = new SeedChatWorld(StreamOptions.plain(), END)
                .user("alice", 0, line(100, "hi"))
                .rawUser("mallory", 50, new byte[] {(byte) 0xC3, 0x28, '\n'});
        SeedChatWorld polite = new SeedChatWorld(StreamOptions.plain(), END)
                .user("alice", 0, line(100, "hi"))
                .user("mallory", 50);
        return new Bug("invalid UTF-8", hostile.body(SeedChatWorld::anything), polite.body(SeedChatWorld::anything),
                MalformedInputException.class::isInstance);
    }

    /** A valid name whose two-byte character a chunk boundary may cut. */
    static Bug utf8SplitAcrossChunks() {
        SeedChatWorld split = new SeedChatWorld(StreamOptions.adversarial(), END)
                .user("alice", 0)
                .user("zoë", 10);
        SeedChatWorld whole = new SeedChatWorld(StreamOptions.plain(), END)
                .user("alice", 0)
                .user("zoë", 10);
        return new Bug("UTF-8 split across chunks", split.body(SeedChatWorld::anything),
                whole.body(SeedChatWorld::anything), MalformedInputException.class::isInstance);
    }

    /** Alice and bob broadcast at the same instant; carol and dave receive both. */
    static Bug broadcastOrder() {
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
        return new Bug("broadcast order", racy.body(SeedChatWorld::oneBroadcastOrder),
                calm.body(SeedChatWorld::oneBroadcastOrder), rule("broadcast-order"));
    }

    /**
     * Every connection resets at a byte the seed draws, in either direction: a send to the broken
     * user raises in the sender's handler, a receive in the user's own, and either takes the
     * server down.
     */
    static Bug brokenPeer() {
        SeedChatWorld breaking = new SeedChatWorld(StreamOptions.plain().withRandomReset(120), END)
                .user("alice", 0, line(100, "hi bob"))
                .user("bob", 10, line(200, "hi alice"));
        SeedChatWorld sound = new SeedChatWorld(StreamOptions.plain(), END)
                .user("alice", 0, line(100, "hi bob"))
                .user("bob", 10, line(200, "hi alice"));
        return new Bug("broken peer", breaking.body(SeedChatWorld::anything), sound.body(SeedChatWorld::anything),
                BrokenStreamException.class::isInstance);
    }

    /**
     * Eve logs in between alice and bob and never reads; once her 128-byte buffer is full, alice's
     * broadcast waits on her forever and bob, after her in the users map, hears no more. (With
     * 64 bytes, bob's join notice already fills it and stalls bob's handler; alice's broadcast
     * then meets it inside eve's {@code sendAll}, and the server dies of BusyResourceException:
     * a second way a silent user hurts, which this workload keeps out of the way.)
     */
    static Bug stalledByASilentUser() {
        StreamOptions small = StreamOptions.plain().withCapacity(128);
        SeedChatWorld stalled = new SeedChatWorld(small, END)
                .user("alice", 0, line(100, "one two three four"), line(110, "five six seven eight"),
                        line(120, "nine ten eleven twelve"))
                .silentUser("eve", 10)
                .user("bob", 20);
        SeedChatWorld flowing = new SeedChatWorld(small, END)
                .user("alice", 0, line(100, "one two three four"), line(110, "five six seven eight"),
                        line(120, "nine ten eleven twelve"))
                .user("eve", 10)
                .user("bob", 20);
        return new Bug("stall behind a silent user", stalled.body(SeedChatWorld::allDelivered),
                flowing.body(SeedChatWorld::allDelivered), rule("stalled"));
    }

    /** One user sends an empty name, another calls itself {@code <meta>}. */
    static Bug insaneNames() {
        SeedChatWorld hostile = new SeedChatWorld(StreamOptions.plain(), END)
                .user("alice", 0)
                .rawUser("nameless", 10, new byte[] {'\n'})
                .user("<meta>", 20);
        SeedChatWorld polite = new SeedChatWorld(StreamOptions.plain(), END)
                .user("alice", 0)
                .user("bob", 10)
                .user("meta", 20);
        return new Bug("empty or impersonating names", hostile.body(SeedChatWorld::saneNames),
                polite.body(SeedChatWorld::saneNames), rule("sane-names"));
    }

    private static Predicate<Throwable> rule(String name) {
        return t -> t instanceof SeedChatWorld.ChatBug b && b.rule.equals(name);
    }
}

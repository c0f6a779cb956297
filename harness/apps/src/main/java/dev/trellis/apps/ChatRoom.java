package dev.trellis.apps;

import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.Channel;
import dev.trellis.runtime.Trellis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that orders {@link Chat}'s broadcasts. Every method puts its lines into every
 * recipient's outbox with {@link Channel#trySend}, which is no checkpoint, so each call is one
 * atomic step: no other task runs in the middle of a join, a leave or a message, and every
 * member sees the lines in one total order.
 *
 * <p>A member whose outbox is full when a line is offered to it is dropped at once, inside the
 * same step: it is removed and its connection's scope is cancelled (which cancels its writer);
 * the others hear {@code <meta>: X left (too slow)} in a step of its own, just after. Before
 * each step, {@link #awaitRoom} lets writers that merely have not run yet catch up, so "full"
 * means the peer is not reading; a slow reader holds a broadcaster up for about one poll.
 *
 * <p>Members are kept in joining order, so a step that drops several does it in an order the
 * seed decides and nothing else (no identity hash is ever iterated).
 */
final class ChatRoom {
    /** One line queued to a member: its bytes, and the message number it carries (0 for a meta line). */
    record Outgoing(byte[] bytes, long message) {}

    /** A joined user: who, its outbox, and the scope of its connection, cancelled to disconnect it. */
    static final class Member {
        final long id;
        final String name;
        final Channel<Outgoing> outbox;
        final int capacity;
        final CancelScope connection;
        private boolean tooSlow;
        /** Whether the writer is inside a send. */
        private boolean sending;
        /** Sends the writer has begun, to tell one long send from two short ones. */
        private long sends;
        private boolean broken;

        private Member(long id, String name, Channel<Outgoing> outbox, int capacity, CancelScope connection) {
            this.id = id;
            this.name = name;
            this.outbox = outbox;
            this.capacity = capacity;
            this.connection = connection;
        }

        /** The writer calls this just before each send, and {@link #sent} after it. */
        void sending() {
            sending = true;
            sends++;
        }

        void sent() {
            sending = false;
        }

        /** Whether the room dropped this member because its outbox was full. */
        boolean tooSlow() {
            return tooSlow;
        }

        /** The writer calls this when its send failed: no one waits for this member any more. */
        void broken() {
            broken = true;
        }
    }

    /** How long a broadcaster waits before it looks again at a member whose outbox is short of room. */
    private static final Duration POLL = Duration.ofMillis(5);

    private final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
    private long nextMessage;

    /**
     * Waits until a broadcast would drop nobody but the truly slow: until the outbox of every
     * member but {@code except} has room for this step's line, unless that member's writer broke
     * or has been inside one send for all of a {@link #POLL} this call waited. A checkpoint when
     * it waits. Call it just before
     * {@link #join}, {@link #leave} or {@link #say}, with no checkpoint in between.
     *
     * <p>Why: a writer readied by one broadcast runs only after every task already ready, so a
     * burst of joins, lines or leaves from many connections (500 logins at once) would fill a
     * reader's outbox before its writer runs once, and drop a reader that is not slow at all. A
     * writer still inside the same send after a whole poll is held up by its peer, not by the
     * scheduler; so a slow reader holds a broadcaster up for about one poll, and every broadcast
     * is still one step.
     */
    void awaitRoom(Member except) {
        // Lookups only, never iterated: identity hashing cannot reach the order of anything.
        Map<Member, Long> sendingAtLastLook = new HashMap<>();
        while (true) {
            boolean wait = false;
            for (Member m : members.values()) {
                if (m == except || m.broken || m.outbox.size() < m.capacity) {
                    continue;
                }
                Long before = sendingAtLastLook.get(m);
                if (m.sending && before != null && before == m.sends) {
                    continue;   // stuck in one send for a whole poll: the peer is not reading
                }
                wait = true;
                if (m.sending) {
                    sendingAtLastLook.put(m, m.sends);
                }
            }
            if (!wait) {
                return;
            }
            Trellis.sleep(POLL);
        }
    }

    /**
     * Registers {@code name}, queues its welcome as its first line and tells every other member,
     * all in one step. The outbox holds {@code outboxLines} lines, at least one.
     *
     * @return the member, or null if the name is taken
     */
    Member join(long id, String name, int outboxLines, CancelScope connection) {
        if (members.containsKey(name)) {
            return null;
        }
        Channel<Outgoing> outbox = Channel.bounded(outboxLines);
        Member m = new Member(id, name, outbox, outboxLines, connection);
        members.put(name, m);
        Trellis.note("chat.name " + id + " " + name);
        Trellis.event("chat.join", id, members.size());
        if (!outbox.trySend(meta("Welcome " + name + ".\n"))) {
            throw new IllegalStateException("a new member's outbox must have room for its welcome");
        }
        broadcast(m, meta(name + " joined.\n"));
        return m;
    }

    /**
     * Removes {@code m}, if it is still a member, tells the others it left, and closes its outbox
     * so its writer ends once it has sent what is queued. Idempotent.
     */
    void leave(Member m) {
        if (members.get(m.name) != m) {
            return;
        }
        remove(m);
        broadcast(null, meta(m.name + " left\n"));
    }

    /** Relays {@code text} (one sanitized line, without its newline) from {@code from} to every other member. */
    void say(Member from, String text) {
        long message = ++nextMessage;
        Trellis.event("chat.broadcast", message, from.id);
        broadcast(from, new Outgoing(utf8("<" + from.name + "> : " + text + "\n"), message));
    }

    /** Queues {@code line} to {@code m} alone, if it is still a member; drops it if its outbox is full. */
    void tell(Member m, Outgoing line) {
        if (members.get(m.name) == m && !m.outbox.trySend(line)) {
            drop(List.of(m));
        }
    }

    /** Offers {@code line} to every member but {@code except}; drops each one whose outbox is full. */
    private void broadcast(Member except, Outgoing line) {
        List<Member> full = new ArrayList<>();
        for (Member m : members.values()) {
            if (m != except && !m.outbox.trySend(line)) {
                full.add(m);
            }
        }
        drop(full);
    }

    /**
     * Drops members whose outbox was full: removes them and cancels their connections. Their
     * leave notices are not sent in this step, which already put one line in every outbox: each
     * dropped member's handler sends its own with {@link #announceTooSlow}, as a step of its own,
     * so one step never needs more than one line of room in anyone's outbox.
     */
    private void drop(List<Member> full) {
        for (Member m : full) {
            m.tooSlow = true;
            remove(m);
            m.connection.cancel();
        }
    }

    /** Tells every member that {@code m}, dropped as too slow, left. Call {@link #awaitRoom} just before. */
    void announceTooSlow(Member m) {
        broadcast(null, meta(m.name + " left (too slow)\n"));
    }

    private void remove(Member m) {
        members.remove(m.name);
        m.outbox.close();
        Trellis.event("chat.leave", m.id, members.size());
    }

    /** The members' names, in joining order: the registry a linearizability check reads. */
    List<String> names() {
        return List.copyOf(members.keySet());
    }

    private static Outgoing meta(String text) {
        return new Outgoing(utf8("<meta>: " + text), 0);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

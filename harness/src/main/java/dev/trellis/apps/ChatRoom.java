package dev.trellis.apps;

import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.Channel;
import dev.trellis.runtime.Trellis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The one place that orders {@link Chat}'s broadcasts. Every method puts its lines into every
 * recipient's outbox with {@link Channel#trySend}, which is no checkpoint, so each call is one
 * atomic step: no other task runs in the middle of a join, a leave or a message, and every
 * member sees the lines in one total order.
 *
 * <p>A member whose outbox is full when a line is offered to it is dropped at once, inside the
 * same step: it is removed, its connection's scope is cancelled (which cancels its writer), and
 * the others hear {@code <meta>: X left (too slow)}. Before that step, {@link #awaitRoom} lets
 * writers that merely have not run yet catch up, so "full" means the peer is not reading; a
 * slow reader holds a broadcaster up for at most {@link #STUCK}, once.
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
        /** When the writer began the send it is in, or null while it is not sending. */
        private Duration sendingSince;
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
            sendingSince = Trellis.now();
        }

        void sent() {
            sendingSince = null;
        }

        /** The writer calls this when its send failed: no one waits for this member any more. */
        void broken() {
            broken = true;
        }

        /** Whether the next step may drop or remove this member: its writer broke, or has been inside one send for {@link #STUCK}. */
        private boolean stuck() {
            return broken || sendingSince != null && Trellis.now().minus(sendingSince).compareTo(STUCK) >= 0;
        }

        /** Whether the room dropped this member because its outbox was full. */
        boolean tooSlow() {
            return tooSlow;
        }
    }

    /** How long a writer may be inside one send before its member counts as slow. */
    static final Duration STUCK = Duration.ofMillis(250);
    /** How often a broadcaster looks again while it waits for room. */
    private static final Duration POLL = Duration.ofMillis(1);

    private final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
    private long nextMessage;

    /**
     * Waits until a broadcast would drop nobody but the truly slow: until the outbox of every
     * member but {@code except} has room, or belongs to a member whose writer has been inside one
     * send for {@link #STUCK}. A checkpoint when it waits. Call it just before {@link #join},
     * {@link #leave} or {@link #say}, with no checkpoint in between.
     *
     * <p>Why: a writer readied by one broadcast runs only after every task already ready, so a
     * burst of joins, lines or leaves from many connections (500 logins at once) would fill a
     * reader's outbox before its writer runs once, and drop a reader that is not slow at all.
     * The wait ends after at most {@code STUCK} per slow member, so a slow reader still cannot
     * stall anyone for long, and every broadcast is still one step.
     */
    void awaitRoom(Member except) {
        while (!roomFor(except)) {
            Trellis.sleep(POLL);
        }
    }

    /**
     * Whether every member but {@code except} that is not stuck has room for this step's line and
     * for the leave notice of each stuck member the step may drop.
     */
    private boolean roomFor(Member except) {
        int need = 1;
        for (Member m : members.values()) {
            if (m != except && m.stuck()) {
                need++;
            }
        }
        for (Member m : members.values()) {
            if (m != except && !m.stuck() && m.capacity - m.outbox.size() < Math.min(need, m.capacity)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a connected user has this name now. */
    boolean isTaken(String name) {
        return members.containsKey(name);
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
     * Drops members whose outbox was full: all are removed before anyone is told, so none of them
     * is offered another's leave notice; each notice may drop more, and so on.
     */
    private void drop(List<Member> full) {
        for (Member m : full) {
            m.tooSlow = true;
            remove(m);
            m.connection.cancel();
        }
        for (Member m : full) {
            broadcast(null, meta(m.name + " left (too slow)\n"));
        }
    }

    private void remove(Member m) {
        members.remove(m.name);
        m.outbox.close();
        Trellis.event("chat.leave", m.id, members.size());
    }

    private static Outgoing meta(String text) {
        return new Outgoing(utf8("<meta>: " + text), 0);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.trellis.apps;

import dev.trellis.apps.ChatRoom.Member;
import dev.trellis.apps.ChatRoom.Outgoing;
import dev.trellis.apps.LineReader.Line;
import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.Channel;
import dev.trellis.runtime.ClosedResourceException;
import dev.trellis.runtime.EndOfChannel;
import dev.trellis.runtime.Handler;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The chat server {@link SeedChat} should have been: the same protocol, done right. One instance
 * serves every connection of a server; its {@link ChatRoom} orders every broadcast.
 *
 * <p>The protocol (bytes are UTF-8; lines end with {@code \n}, and an incoming line's trailing
 * {@code \r} is dropped):
 * <ul>
 *   <li>On connect the server sends {@code <meta>: Please enter username: } (no newline).</li>
 *   <li>Each line until a name is accepted is a name attempt: the line decoded strictly as UTF-8,
 *       then {@link String#strip()}ed. A name has 1 to 32 code points, each printable (no control,
 *       format, unassigned, surrogate or line/paragraph separator, no U+FFFD), does not start
 *       with {@code <} and holds no {@code >}. A rejected attempt gets exactly one reply, ending
 *       with {@code Please enter another: }: {@code <meta>: Names are 1 to 32 printable
 *       characters, not starting with < and without >. Please enter another: },
 *       {@code <meta>: Username taken. Please enter another: } or
 *       {@code <meta>: Line too long. Please enter another: }.</li>
 *   <li>With a login deadline ({@link #Chat(int, int, Duration)}; none by default, as in the
 *       tutorial), a connection that has no accepted name by then is sent {@code <meta>: You did
 *       not log in in time; goodbye.\n} and closed.</li>
 *   <li>An accepted name X is registered, X is sent {@code <meta>: Welcome X.\n} and every other
 *       user {@code <meta>: X joined.\n}, in one atomic step.</li>
 *   <li>Every later line is a message, relayed to every other user as {@code <X> : M\n}, where M
 *       is the line decoded with replacement and every control, format (bidi, zero-width) or
 *       line-separator character replaced by U+FFFD.
 *       Empty lines are messages too. The sender never gets its own message.</li>
 *   <li>A line longer than the limit (1024 bytes without its {@code \n} or {@code \r\n} by default) is discarded
 *       as it arrives, never buffered whole; its sender gets {@code <meta>: Line too long (max
 *       1024 bytes); dropped.\n} (the name-phase reply above before login).</li>
 *   <li>At end-of-stream, or when the connection breaks, X is removed and the others get
 *       {@code <meta>: X left\n}. X's writer still sends what was queued to X (for at most
 *       {@link #DRAIN} once X has left, so a peer that half-closes and never reads cannot hold
 *       the connection forever); then the stream is closed. A last line ended by end-of-stream
 *       instead of {@code \n} still counts.</li>
 *   <li>Each user has a bounded outbox (64 lines by default), drained by its own writer task
 *       (which sends all the lines queued when it runs with one {@code sendAll}). A
 *       broadcast that finds it full drops that user at once: it is removed and its writer is
 *       cancelled; then (in a step of its own) the others get {@code <meta>: X left (too slow)\n},
 *       and it is sent
 *       {@code <meta>: You were disconnected: you did not read fast enough.\n} if that goes
 *       through within {@link #FAREWELL}. Full means the peer is not reading: a broadcast first
 *       lets writers that merely have not run yet catch up ({@link ChatRoom#awaitRoom}), so a
 *       burst from many connections drops nobody who reads, and a slow reader holds the others
 *       up for a few milliseconds.</li>
 * </ul>
 * A connection's failures ({@link BrokenStreamException}, {@link ClosedResourceException}) end
 * only that connection; {@code Cancelled} always passes through.
 *
 * <p>For a recorded history, it emits typed trace events (ignored by the real runtime); user ids
 * number connections from 1 in the order their handlers start, messages number relayed lines
 * from 1 in the order they are relayed:
 * <ul>
 *   <li>{@code chat.join user count}: a user was registered; {@code count} users now.</li>
 *   <li>{@code chat.leave user count}: a user was removed (left, broke or too slow); {@code count}
 *       users remain.</li>
 *   <li>{@code chat.broadcast message sender}: a line is being relayed, in the same step as it
 *       is queued to every other user.</li>
 *   <li>{@code chat.deliver message receiver}: that user's writer has sent the message.</li>
 * </ul>
 * A note {@code chat.name user name} records each registered name, just before its join event.
 */
public final class Chat implements Handler {
    /** The longest line by default, in bytes, without its {@code \n}. */
    public static final int DEFAULT_MAX_LINE = 1024;
    /** How many lines a user's outbox holds by default before the user counts as too slow. */
    public static final int DEFAULT_OUTBOX = 64;
    /** How long a dropped slow user's farewell may take before the connection is closed anyway. */
    static final Duration FAREWELL = Duration.ofSeconds(1);
    /** How long a user who left may take to receive what was queued to it. */
    static final Duration DRAIN = Duration.ofSeconds(10);

    static final byte[] PROMPT = utf8("<meta>: Please enter username: ");
    static final byte[] INVALID_NAME =
            utf8("<meta>: Names are 1 to 32 printable characters, not starting with < and without >. Please enter another: ");
    static final byte[] TAKEN = utf8("<meta>: Username taken. Please enter another: ");
    static final byte[] NAME_TOO_LONG = utf8("<meta>: Line too long. Please enter another: ");
    static final byte[] LOGIN_TIMED_OUT = utf8("<meta>: You did not log in in time; goodbye.\n");
    static final byte[] DISCONNECTED = utf8("<meta>: You were disconnected: you did not read fast enough.\n");
    static final int MAX_NAME = 32;

    private final int maxLine;
    private final int outboxLines;
    private final Outgoing lineTooLong;
    private final Duration loginDeadline;
    private final ChatRoom room = new ChatRoom();
    private long nextConnection;

    /** A chat server with the default limits: 1024-byte lines, 64-line outboxes. */
    public Chat() {
        this(DEFAULT_MAX_LINE, DEFAULT_OUTBOX);
    }

    /** A chat server whose lines hold at most {@code maxLine} bytes and outboxes {@code outboxLines} lines. */
    public Chat(int maxLine, int outboxLines) {
        this(maxLine, outboxLines, null);
    }

    /**
     * A chat server whose lines hold at most {@code maxLine} bytes and outboxes {@code outboxLines}
     * lines, where a connection that has not logged in within {@code loginDeadline} of connecting
     * is told {@code <meta>: You did not log in in time; goodbye.\n} and closed (null: no deadline,
     * as the tutorial's). Without one, a peer that connects and never names itself holds its
     * connection for as long as the server runs.
     */
    public Chat(int maxLine, int outboxLines, Duration loginDeadline) {
        if (loginDeadline != null && (loginDeadline.isNegative() || loginDeadline.isZero())) {
            throw new IllegalArgumentException("loginDeadline must be positive (or null for none), was [" + loginDeadline + "]");
        }
        this.loginDeadline = loginDeadline;
        if (maxLine < 1) {
            throw new IllegalArgumentException("maxLine must be positive, was [" + maxLine + "]");
        }
        if (outboxLines < 1) {
            throw new IllegalArgumentException("outboxLines must be positive (the welcome needs room), was ["
                    + outboxLines + "]");
        }
        this.maxLine = maxLine;
        this.outboxLines = outboxLines;
        this.lineTooLong = new Outgoing(utf8("<meta>: Line too long (max " + maxLine + " bytes); dropped.\n"), 0);
    }

    @Override
    public void handle(ByteStream stream) throws Exception {
        long id = ++nextConnection;
        try (stream) {
            stream.sendAll(PROMPT);
            LineReader lines = new LineReader(stream, maxLine);
            Member[] joined = new Member[1];
            Nursery.open(connection -> {
                Member me = logInInTime(stream, lines, id, connection.cancelScope());
                if (me == null) {
                    return;
                }
                joined[0] = me;
                connection.start("writer-" + id, () -> write(stream, me, connection));
                try {
                    relay(lines, me);
                    room.awaitRoom(me);
                    room.leave(me);
                } finally {
                    room.leave(me);   // idempotent: a leave also when the server cancels us, without waiting
                }
                connection.cancelScope().setDeadline(Trellis.now().plus(DRAIN));
            });
            if (joined[0] != null && joined[0].tooSlow()) {
                room.awaitRoom(null);
                room.announceTooSlow(joined[0]);
                CancelScope.moveOnAfter(FAREWELL, () -> stream.sendAll(DISCONNECTED));
            }
        } catch (BrokenStreamException | ClosedResourceException e) {
            // The peer broke the connection: that ends this connection and nothing else.
        }
    }

    /** {@link #logIn} within the login deadline; null, after a goodbye, if it passes first. */
    private Member logInInTime(ByteStream stream, LineReader lines, long id, CancelScope connection) throws Exception {
        if (loginDeadline == null) {
            return logIn(stream, lines, id, connection);
        }
        Member[] me = new Member[1];
        // No checkpoint between a successful join and the end of the body: a joined member is never lost to the deadline.
        CancelScope login = CancelScope.moveOnAfter(loginDeadline, () -> me[0] = logIn(stream, lines, id, connection));
        if (me[0] == null && login.cancelledCaught()) {
            CancelScope.moveOnAfter(FAREWELL, () -> stream.sendAll(LOGIN_TIMED_OUT));
        }
        return me[0];
    }

    /** Asks for names until one is accepted; null if the stream ends first. */
    private Member logIn(ByteStream stream, LineReader lines, long id, CancelScope connection) {
        while (true) {
            Line line = lines.next();
            if (line == null) {
                return null;
            }
            if (line.tooLong()) {
                stream.sendAll(NAME_TOO_LONG);
                continue;
            }
            String name = name(line.bytes());
            if (name == null) {
                stream.sendAll(INVALID_NAME);
                continue;
            }
            room.awaitRoom(null);
            // No checkpoint from here to the join's own test: the name cannot be taken in between.
            Member me = room.join(id, name, outboxLines, connection);
            if (me != null) {
                return me;
            }
            stream.sendAll(TAKEN);
        }
    }

    /**
     * Relays the member's lines until end-of-stream or a broken receive. Each line is a
     * checkpoint, even when it was received with many others: a burst of short lines (4096 empty
     * ones fit one receive) then lets the writers run between its lines, so it cannot fill a
     * reader's outbox faster than that reader's writer empties it.
     */
    private void relay(LineReader lines, Member me) {
        try {
            for (Line line = lines.next(); line != null; line = lines.next()) {
                if (line.tooLong()) {
                    room.tell(me, lineTooLong);
                } else {
                    room.awaitRoom(me);
                    room.say(me, message(line.bytes()));
                }
                Trellis.checkpoint();
            }
        } catch (BrokenStreamException | ClosedResourceException e) {
            // A broken receive is a leave, like end-of-stream.
        }
    }

    /**
     * The member's writer: sends its outbox until the outbox is closed and drained. It takes every
     * line queued by the time it runs and sends them with one {@code sendAll}: a writer that took
     * one line a turn would fall behind a sender that relays one line a turn, and a fast reader
     * would be dropped as slow during any long burst.
     */
    private void write(ByteStream stream, Member me, Nursery connection) {
        List<Outgoing> batch = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            for (Outgoing first : me.outbox) {
                batch.add(first);
                for (Optional<Outgoing> more = tryReceive(me.outbox); more.isPresent(); more = tryReceive(me.outbox)) {
                    batch.add(more.get());
                }
                bytes.reset();
                batch.forEach(line -> bytes.writeBytes(line.bytes()));
                me.sending();
                stream.sendAll(bytes.toByteArray());
                me.sent();
                for (Outgoing line : batch) {
                    if (line.message() > 0) {
                        Trellis.event("chat.deliver", line.message(), me.id);
                    }
                }
                batch.clear();
            }
        } catch (BrokenStreamException | ClosedResourceException e) {
            // The peer is gone: it leaves, and its reader need not wait for end-of-stream.
            me.broken();
            room.awaitRoom(me);
            room.leave(me);
            connection.cancelScope().cancel();
        }
    }

    /** {@link Channel#tryReceive}, with a closed and drained outbox as empty: the iterator sees the end next. */
    private static Optional<Outgoing> tryReceive(Channel<Outgoing> outbox) {
        try {
            return outbox.tryReceive();
        } catch (EndOfChannel e) {
            return Optional.empty();
        }
    }

    /**
     * The name a login line asks for, or null if it is not a valid name: strict UTF-8, stripped,
     * 1 to {@value #MAX_NAME} printable code points, not starting with {@code <} and without
     * {@code >}: a name holding {@code "> : "} would make its lines read as another user's.
     */
    static String name(byte[] line) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line, 0, withoutCr(line)))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        String name = text.strip();
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_NAME || name.startsWith("<") || name.indexOf('>') >= 0 || !name.codePoints().allMatch(Chat::printable)) {
            return null;
        }
        return name;
    }

    /** Whether a name may hold {@code cp}. */
    static boolean printable(int cp) {
        if (Character.isISOControl(cp) || cp == 0xFFFD) {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.SURROGATE,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /**
     * A chat line as relayed: UTF-8 decoded with replacement, every character that can forge what
     * a terminal shows replaced by U+FFFD: controls, format characters (the bidi overrides that
     * turn {@code <bob> : hi} around, zero-width ones) and line or paragraph separators.
     */
    static String message(byte[] line) {
        String text = new String(line, 0, withoutCr(line), StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.appendCodePoint(spoofs(cp) ? 0xFFFD : cp));
        return out.toString();
    }

    /** Whether {@code cp} can change how a terminal shows the text around it. */
    static boolean spoofs(int cp) {
        return Character.isISOControl(cp) || switch (Character.getType(cp)) {
            case Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    /** The line's length without a trailing {@code \r}. */
    private static int withoutCr(byte[] line) {
        int n = line.length;
        return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

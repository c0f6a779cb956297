package dev.trellis.check;

import dev.trellis.check.ChatSessions.Received;
import dev.trellis.check.ChatSessions.Sent;
import dev.trellis.check.ChatSessions.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.trellis.check.Quotes.ms;

/**
 * The rules of a chat server, judged from what its clients sent and received ({@link ChatHistory})
 * alone, so they judge the seed chat and the robust one, under the simulator or over real TCP.
 * Each is a value with a name; each violation quotes the lines involved with their times.
 *
 * <p>The protocol they read is the tutorial's: the server prompts
 * {@code <meta>: Please enter username: }; every refused name gets one reply ending in
 * {@code Please enter another: }; an accepted name {@code X} gets {@code <meta>: Welcome X.} and
 * the others {@code <meta>: X joined.}; each later line {@code m} of X's reaches every other user as
 * {@code <X> : m}; a leave is announced as {@code <meta>: X left}. A client's name is the line its
 * welcome answers (one line per refusal before it); every line it sends after that is a message.
 * Messages compare after invalid UTF-8 and control characters are replaced by U+FFFD, as the robust
 * chat relays them; whether raw ones reach anybody is {@link #cleanText()}'s business.
 *
 * <p>A client sees only when things reached it, so a user's join is placed in an interval: from
 * when it sent the name line its welcome answers to the first sign anywhere that it joined (its
 * welcome, or another client's notice of it). Times are compared with a {@link Limits#slack()}:
 * over real TCP two events a few milliseconds apart at two clients may have happened in either
 * order at the server.
 *
 * {@snippet :
 * HistoryInvariant.verify(history, ChatInvariants.all(ChatInvariants.Limits.simulated()));
 * }
 */
public final class ChatInvariants {
    private ChatInvariants() {}

    /**
     * What the rules allow.
     *
     * @param slack        how far apart two clients' events must be to count as ordered
     * @param delayBound   how long after it was sent a message owed to a reader may arrive
     * @param maxLineBytes longer messages are owed to no one (the robust chat refuses them)
     */
    public record Limits(Duration slack, Duration delayBound, int maxLineBytes) {
        /** Under the simulator: exact virtual times, delivery within 100 ms, lines up to 1,024 bytes. */
        public static Limits simulated() {
            return new Limits(Duration.ZERO, Duration.ofMillis(100), 1024);
        }

        /** Over real loopback TCP: 50 ms of slack, delivery within 2 s. */
        public static Limits realTcp() {
            return new Limits(Duration.ofMillis(50), Duration.ofSeconds(2), 1024);
        }
    }

    /** Every rule, in the order a report should name the first that breaks. */
    public static List<HistoryInvariant<ChatHistory>> all(Limits limits) {
        return List.of(serverAlive(limits), saneNames(), welcomeFirst(limits), uniqueNames(limits), cleanText(),
                wholeLines(limits), noEcho(), senderFifo(), totalOrder(), joinLeaveBounds(limits), fairDrops(limits),
                delayBound(limits), noLoss(limits), notices(limits));
    }

    /**
     * The server outlives whatever one client does: every client's connection is accepted, gets
     * the prompt, and every name line it sends gets an answer (a welcome or a refusal), unless its
     * own connection broke or ended first.
     */
    public static HistoryInvariant<ChatHistory> serverAlive(Limits limits) {
        long slack = limits.slack().toNanos();
        return rule("chat-server-alive", s -> {
            for (Session c : s.sessions) {
                ConnectionLog log = c.client.log();
                if (log.connectedAt() < 0) {
                    return c.label + " could not connect" + (log.broken() == null ? "" : ": " + log.broken()
                            + " at " + ms(log.brokenAt()));
                }
                if (log.brokenAt() >= 0 || !c.client.reads()) {
                    continue;
                }
                if (!c.gotPrompt && c.end > log.connectedAt() + slack) {
                    return c.label + " connected at " + ms(log.connectedAt()) + " and was never prompted for a name "
                            + "(its session lasted to " + ms(c.end) + ")";
                }
                int answered = c.refusals + (c.name == null ? 0 : 1);
                if (c.sentLines.size() > answered && c.name == null) {
                    ConnectionLog.Line unanswered = c.sentLines.get(answered);
                    if (c.end > unanswered.at() + slack && !unanswered.attempted()) {
                        return c.label + " sent the name [" + unanswered.text() + "] at " + ms(unanswered.at())
                                + " and got no answer (neither a welcome nor a refusal) by " + ms(c.end);
                    }
                }
            }
            return null;
        });
    }

    /**
     * The welcome is the first line after the login prompts, names the line it answers (stripped),
     * and a user who joins after another is announced to it before any of its messages.
     */
    public static HistoryInvariant<ChatHistory> welcomeFirst(Limits limits) {
        long slack = limits.slack().toNanos();
        return rule("chat-welcome-first", s -> {
            for (Session c : s.sessions) {
                if (c.name == null) {
                    continue;
                }
                if (!c.welcomeFirst) {
                    return c.label + " was welcomed as [" + c.name + "] at " + ms(c.welcomeAt)
                            + ", but other lines came before the welcome";
                }
                String asked = c.nameLine == null ? null : ChatText.clean(c.nameLine.bytes()).strip();
                if (!ChatText.clean(c.name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).equals(asked)) {
                    return c.label + " was welcomed as [" + c.name + "] at " + ms(c.welcomeAt) + ", but the name line "
                            + "that welcome answers was " + (asked == null ? "never sent" : "[" + asked + "], sent at "
                            + ms(c.nameLine.at()));
                }
            }
            for (Session r : s.sessions) {
                List<String> announced = new ArrayList<>();
                for (Received line : r.lines) {
                    if (line.text.startsWith(ChatSessions.META) && line.text.endsWith(" joined.")) {
                        announced.add(line.text.substring(ChatSessions.META.length(), line.text.length() - " joined.".length()));
                    }
                    if (line.message == null || announced.contains(line.sender)) {
                        continue;
                    }
                    Session sender = line.message.from();
                    if (sender.askedAt > r.joinedBy + slack) {
                        return r.label + " got " + sender.who() + "'s message before being told it joined: "
                                + line.quote(r) + "; " + sender.label + " asked to join at " + ms(sender.askedAt)
                                + ", after " + r.label + " had joined (by " + ms(r.joinedBy) + ")";
                    }
                }
            }
            return null;
        });
    }

    /**
     * Every name the server welcomes or announces is 1 to 32 printable characters, does not start
     * with {@code <} and holds no {@code "> : "}: no one is nameless, no one can pass for
     * {@code <meta>}, and no one's lines can pass for another's.
     */
    public static HistoryInvariant<ChatHistory> saneNames() {
        return rule("chat-sane-names", s -> {
            for (Session c : s.sessions) {
                if (c.name != null && !ChatSessions.saneName(c.name)) {
                    return c.label + " was welcomed as [" + Quotes.escape(c.name) + "] at " + ms(c.welcomeAt);
                }
                for (Received line : c.lines) {
                    String t = line.text;
                    String name = null;
                    if (t.startsWith(ChatSessions.META) && t.endsWith(" joined.")) {
                        name = t.substring(ChatSessions.META.length(), t.length() - " joined.".length());
                    }
                    if (name != null && !ChatSessions.saneName(name)) {
                        return c.label + " was told of a user named [" + Quotes.escape(name) + "]: " + line.quote(c);
                    }
                }
            }
            return null;
        });
    }

    /** No two clients hold one name at once: no one is welcomed under a name a connected user has. */
    public static HistoryInvariant<ChatHistory> uniqueNames(Limits limits) {
        long slack = limits.slack().toNanos();
        return rule("chat-unique-names", s -> {
            for (List<Session> holders : s.byName.values()) {
                for (Session a : holders) {
                    for (Session b : holders) {
                        // Both surely members at once: each joined by then, neither yet gone.
                        boolean aFirst = a.joinedBy < b.joinedBy
                                || a.joinedBy == b.joinedBy && s.sessions.indexOf(a) < s.sessions.indexOf(b);
                        if (a != b && aFirst && b.joinedBy + slack < Math.min(a.end, b.end)) {
                            return b.label + " was welcomed as [" + b.name + "] at " + ms(b.welcomeAt) + " while "
                                    + a.label + " had that name (joined by " + ms(a.joinedBy) + ", connected until "
                                    + ms(a.end) + ")";
                        }
                    }
                }
            }
            return null;
        });
    }

    /** What reaches a client is valid UTF-8 without control characters: nobody's raw bytes are relayed. */
    public static HistoryInvariant<ChatHistory> cleanText() {
        return rule("chat-clean-text", s -> {
            for (Session c : s.sessions) {
                for (Received line : c.lines) {
                    if (!ChatText.cleanText(line.bytes, line.text)) {
                        return c.label + " received raw bytes: [" + Quotes.escape(line.text) + "] at " + ms(line.at);
                    }
                }
            }
            return null;
        });
    }

    /**
     * Every line a client receives after its welcome is a notice or exactly a whole line that the
     * named user sent as a message: nothing split, merged or forged.
     */
    public static HistoryInvariant<ChatHistory> wholeLines(Limits limits) {
        return rule("chat-whole-lines", s -> {
            for (Session r : s.sessions) {
                for (Received line : r.lines) {
                    if (line.text.startsWith(ChatSessions.META)) {
                        continue;
                    }
                    if (line.sender == null) {
                        return r.label + " received a line from no user: " + line.quote(r);
                    }
                    if (line.message == null && !s.sentAtAll(line)) {
                        return r.label + " received a line that is no whole message " + line.sender + " sent: "
                                + line.quote(r) + "; " + line.sender + " sent " + Quotes.texts(s.messagesOf(line.sender));
                    }
                    if (line.message != null && line.message.bytes() > limits.maxLineBytes()) {
                        return r.label + " received a line longer than " + limits.maxLineBytes() + " bytes: "
                                + line.quote(r);
                    }
                }
            }
            return null;
        });
    }

    /** No one receives their own messages. */
    public static HistoryInvariant<ChatHistory> noEcho() {
        return rule("chat-no-echo", s -> {
            for (Session r : s.sessions) {
                for (Received line : r.lines) {
                    if (line.message != null && line.message.from() == r) {
                        return r.label + " received its own message back: " + line.quote(r);
                    }
                }
            }
            return null;
        });
    }

    /** Every receiver gets each sender's messages in the order they were sent. */
    public static HistoryInvariant<ChatHistory> senderFifo() {
        return rule("chat-sender-fifo", s -> {
            for (Session r : s.sessions) {
                for (Received line : r.lines) {
                    if (line.sender != null && line.message == null && s.sentAtAll(line)) {
                        // Sent, but matched nothing after the message matched before it: out of order.
                        return r.label + " received " + line.sender + "'s messages out of order: " + line.quote(r)
                                + " came after a message sent later; " + line.sender + " sent "
                                + Quotes.texts(s.messagesOf(line.sender));
                    }
                }
            }
            return null;
        });
    }

    /** Broadcast ordering: any two receivers see the messages they both got in one order. */
    public static HistoryInvariant<ChatHistory> totalOrder() {
        return rule("chat-total-order", s -> {
            for (int i = 0; i < s.sessions.size(); i++) {
                for (int j = i + 1; j < s.sessions.size(); j++) {
                    Session a = s.sessions.get(i);
                    Session b = s.sessions.get(j);
                    List<Received> inA = a.sharedWith(b);
                    List<Received> inB = b.sharedWith(a);
                    for (int k = 0; k < Math.min(inA.size(), inB.size()); k++) {
                        Sent x = inA.get(k).message;
                        Sent y = inB.get(k).message;
                        if (x != y) {
                            return a.label + " and " + b.label + " saw two broadcasts in different orders: "
                                    + x.quote() + " and " + y.quote() + "; " + a.label + " got them as "
                                    + inA.get(k).quote(a) + " then " + ChatSessions.find(inA, y).quote(a) + ", " + b.label + " as "
                                    + inB.get(k).quote(b) + " then " + ChatSessions.find(inB, x).quote(b);
                        }
                    }
                }
            }
            return null;
        });
    }

    /** Nothing sent before a user asked to join, or after it left, reaches it. */
    public static HistoryInvariant<ChatHistory> joinLeaveBounds(Limits limits) {
        long slack = limits.slack().toNanos();
        return rule("chat-join-leave-bounds", s -> {
            for (Session r : s.sessions) {
                for (Received line : r.lines) {
                    Sent m = line.message;
                    if (m == null) {
                        continue;
                    }
                    if (r.nameLine != null && m.at() + slack < r.nameLine.at()) {
                        return r.label + " received " + m.quote() + ", from before it asked to join at "
                                + ms(r.nameLine.at()) + ": " + line.quote(r);
                    }
                    long left = r.client.log().eofSentAt();
                    if (left >= 0 && m.at() > left + slack) {
                        return r.label + " received " + m.quote() + ", from after it left at " + ms(left) + ": "
                                + line.quote(r);
                    }
                }
            }
            return null;
        });
    }

    /**
     * Join and leave notices: a reader in the chat is told once of each user who joins after it
     * ({@code <meta>: X joined.}) and once of each who leaves while it stays ({@code <meta>: X
     * left}, or {@code left (too slow)}); each notice comes no earlier than what it announces, is
     * about someone who was welcomed, and no one hears of their own join or leave. Notices are
     * matched to joins and leaves in time order.
     */
    public static HistoryInvariant<ChatHistory> notices(Limits limits) {
        return rule("chat-notices", sessions -> ChatNotices.check(sessions, limits.slack().toNanos()));
    }

    /**
     * The server drops only users who do not read: one that reads from before it asked to join is
     * never dropped as too slow, and one that paused is not dropped once it has read again for
     * longer than {@link Limits#delayBound()}.
     */
    public static HistoryInvariant<ChatHistory> fairDrops(Limits limits) {
        long bound = limits.delayBound().toNanos();
        return rule("chat-fair-drops", s -> {
            for (Session c : s.sessions) {
                long reads = c.client.readsFrom();
                if (!c.dropped || reads < 0) {
                    continue;
                }
                if (reads <= c.askedAt) {
                    return c.who() + " was dropped as too slow at " + ms(c.droppedAt) + ", though it read everything "
                            + "sent to it from before it asked to join, at " + ms(c.askedAt);
                }
                if (c.droppedAt > reads + bound) {
                    return c.who() + " was dropped as too slow at " + ms(c.droppedAt) + ", though it had read everything "
                            + "sent to it since " + ms(reads) + ", more than " + ms(bound) + " before";
                }
            }
            return null;
        });
    }

    /**
     * A message owed to a reader reaches it within {@link Limits#delayBound()}: a user who stops
     * reading holds no one else back for longer.
     */
    public static HistoryInvariant<ChatHistory> delayBound(Limits limits) {
        long bound = limits.delayBound().toNanos();
        return rule("chat-delay-bound", s -> {
            for (Session r : s.sessions) {
                for (Received line : r.lines) {
                    // A reader that paused gets what came meanwhile late; that is its own delay, not the server's.
                    if (line.message != null && r.owes(line.message, limits) && line.message.at() >= r.client.readsFrom()
                            && line.at - line.message.at() > bound) {
                        return r.label + " received " + line.message.quote() + " only at " + ms(line.at) + ", "
                                + ms(line.at - line.message.at()) + " later (bound " + ms(bound) + ")";
                    }
                }
            }
            return null;
        });
    }

    /**
     * No loss while joined: a reader gets every message sent while it was in the chat (welcomed
     * before it was sent, not yet gone), unless the server dropped the reader or the sender for
     * not reading, or the message was longer than the limit.
     */
    public static HistoryInvariant<ChatHistory> noLoss(Limits limits) {
        return rule("chat-no-loss", s -> {
            for (Session r : s.sessions) {
                java.util.Set<Sent> got = r.messagesReceived();
                for (Session sender : s.sessions) {
                    for (Sent m : sender.sent) {
                        if (r.owes(m, limits) && !got.contains(m)) {
                            return r.who() + " never received " + m.quote() + ", though it was in the chat from "
                                    + ms(r.joinedBy) + " to " + ms(r.end) + "; it received " + r.lines.size()
                                    + " lines after its welcome";
                        }
                    }
                }
            }
            return null;
        });
    }

    private static HistoryInvariant<ChatHistory> rule(String name, Function<ChatSessions, String> check) {
        return HistoryInvariant.of(name, (ChatHistory h) -> check.apply(h.sessions()));
    }
}

package dev.trellis.check;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.trellis.check.Quotes.ms;

/**
 * A chat history read the way the protocol reads it, once for every rule: for each client, the
 * prompts it got, the name it was welcomed by and when, the messages it sent after its name, and
 * the lines it received after its welcome, each sender's messages matched to what it received.
 */
final class ChatSessions {
    static final String PROMPT = "<meta>: Please enter username: ";
    static final String ANOTHER = "Please enter another: ";
    static final String WELCOME = "<meta>: Welcome ";
    static final String META = "<meta>: ";
    static final String DISCONNECTED = "<meta>: You were disconnected";

    /** A message a client sent after its name: its {@code index} among that client's messages. */
    record Sent(Session from, int index, long at, String text, int bytes, boolean attempted) {
        String quote() {
            return "[" + text + "] sent by " + from.label + " at " + ms(at);
        }
    }

    /** A line a client received after its welcome, and the sent message it is, once matched (else null). */
    static final class Received {
        final long at;
        final String text;
        final byte[] bytes;
        Sent message;
        /** The name of the {@code <name> : } it starts with, if any welcomed name fits. */
        String sender;

        Received(long at, byte[] bytes) {
            this.at = at;
            this.bytes = bytes;
            this.text = new String(bytes, StandardCharsets.UTF_8);
        }

        String quote(Session by) {
            return "[" + text + "] received by " + by.label + " at " + ms(at);
        }
    }

    static final class Session {
        final ChatHistory.Client client;
        final String label;
        boolean gotPrompt;
        int refusals;
        /** Null unless a welcome came. */
        String name;
        long welcomeAt = -1;
        /**
         * When the server registered it lies in [{@code askedAt}, {@code joinedBy}]: from when it sent
         * the name line the welcome answers, to the first sign anywhere that it joined (its welcome,
         * or another client's notice of it). A client that reads late reads its welcome late; the
         * others' notices still say when it joined.
         */
        long askedAt = -1;
        long joinedBy = -1;
        /** The welcome came first after the prompts. */
        boolean welcomeFirst;
        /** The name line this client sent that the welcome answers, or null. */
        ConnectionLog.Line nameLine;
        final List<ConnectionLog.Line> sentLines;
        final List<Sent> sent = new ArrayList<>();
        final List<Received> lines = new ArrayList<>();
        /** When its session ended, or the history's end. */
        long end;
        /** The server dropped it for not reading. */
        boolean dropped;
        /** When the first sign of that drop arrived anywhere, or -1. */
        long droppedAt = -1;

        Session(ChatHistory.Client client, long historyEnd) {
            this.client = client;
            this.label = client.label();
            this.sentLines = client.log().sentLines();
            long e = client.log().endedAt();
            this.end = e < 0 ? historyEnd : e;
        }

        String who() {
            return name == null || name.equals(label) ? label : label + " (" + name + ")";
        }

        /** Whether {@code m} is owed to this reader: sent by another, while this one was surely in the chat. */
        boolean owes(Sent m, ChatInvariants.Limits limits) {
            long slack = limits.slack().toNanos();
            return client.reads() && name != null && !dropped && m.from() != this && !m.from().dropped
                    && !m.attempted() && m.bytes() <= limits.maxLineBytes()
                    && joinedBy + slack < m.at() && m.at() + slack < end
                    && m.from().client.log().brokenAt() < 0 && client.log().brokenAt() < 0;
        }

        /** The notices it received that say {@code "<meta>: " + name + what}. */
        List<Received> notices(String name, String what) {
            if (noticesByText == null) {
                noticesByText = new LinkedHashMap<>();
                for (Received line : lines) {
                    if (line.text.startsWith(META)) {
                        noticesByText.computeIfAbsent(line.text, k -> new ArrayList<>()).add(line);
                    }
                }
            }
            return new ArrayList<>(noticesByText.getOrDefault(META + name + what, List.of()));
        }

        private Map<String, List<Received>> noticesByText;

        /** Its lines that carry a message {@code other} received too, in its order. */
        List<Received> sharedWith(Session other) {
            java.util.Set<Sent> theirs = other.messagesReceived();
            List<Received> out = new ArrayList<>();
            for (Received x : lines) {
                if (x.message != null && theirs.contains(x.message)) {
                    out.add(x);
                }
            }
            return out;
        }

        private java.util.Set<Sent> messagesReceived;

        /** The messages it received (a set looked up, never iterated). */
        java.util.Set<Sent> messagesReceived() {
            if (messagesReceived == null) {
                messagesReceived = new java.util.HashSet<>();
                for (Received x : lines) {
                    if (x.message != null) {
                        messagesReceived.add(x.message);
                    }
                }
            }
            return messagesReceived;
        }
    }

    final List<Session> sessions = new ArrayList<>();
    /** Sessions by the name they were welcomed with, in welcome order. */
    final Map<String, List<Session>> byName = new LinkedHashMap<>();
    /** Each welcomed name's {@code <name> : } in bytes. */
    private final Map<String, byte[]> prefixes = new LinkedHashMap<>();
    /** The welcomed names, longest first: a line is read as from the longest name it starts with. */
    private List<String> namesLongestFirst = List.of();

    ChatSessions(ChatHistory history) {
        for (ChatHistory.Client c : history.clients()) {
            Session s = new Session(c, history.endedAt());
            parseReceived(s);
            sessions.add(s);
            if (s.name != null) {
                byName.computeIfAbsent(s.name, k -> new ArrayList<>()).add(s);
            }
        }
        for (Session s : sessions) {
            parseSent(s);
        }
        for (Session s : sessions) {
            if (s.name == null) {
                continue;
            }
            s.askedAt = s.nameLine == null ? s.welcomeAt : s.nameLine.at();
            s.joinedBy = s.welcomeAt;
            String joined = META + s.name + " joined.";
            for (Session o : sessions) {
                for (Received r : o == s ? List.<Received>of() : o.lines) {
                    if (r.at >= s.askedAt && r.at < s.joinedBy && r.text.equals(joined)) {
                        s.joinedBy = r.at;
                    }
                }
            }
        }
        for (Session s : sessions) {
            for (Received r : s.lines) {
                if (r.text.startsWith(DISCONNECTED)) {
                    drop(s, r.at);
                }
                if (r.text.endsWith(" left (too slow)") && r.text.startsWith(META)) {
                    String who = r.text.substring(META.length(), r.text.length() - " left (too slow)".length());
                    // The one of that name who was in the chat then: the last welcomed before it.
                    Session d = null;
                    for (Session c : byName.getOrDefault(who, List.of())) {
                        if (c.askedAt <= r.at) {
                            d = c;
                        }
                    }
                    if (d != null) {
                        drop(d, r.at);
                    }
                }
            }
        }
        namesLongestFirst = new ArrayList<>(byName.keySet());
        namesLongestFirst.sort((a, b) -> Integer.compare(b.length(), a.length()));
        for (Session s : sessions) {
            matchSenders(s);
        }
    }

    private static void drop(Session s, long at) {
        s.dropped = true;
        s.droppedAt = s.droppedAt < 0 ? at : Math.min(s.droppedAt, at);
    }

    /** The prompts, then the welcome, then whole lines; bytes after the last newline are left out. */
    private static void parseReceived(Session s) {
        List<ConnectionLog.Chunk> chunks = s.client.log().received();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<long[]> ends = new ArrayList<>();   // {end offset, time}
        for (ConnectionLog.Chunk c : chunks) {
            all.writeBytes(c.bytes());
            ends.add(new long[] {all.size(), c.at()});
        }
        byte[] b = all.toByteArray();
        int pos = 0;
        while (true) {
            if (ChatText.startsWith(b, pos, PROMPT)) {
                s.gotPrompt = true;
                pos += PROMPT.length();
                continue;
            }
            int nl = ChatText.indexOf(b, pos, "\n");
            int another = ChatText.startsWith(b, pos, META) ? ChatText.indexOf(b, pos, ANOTHER, nl < 0 ? b.length : nl) : -1;
            if (another >= 0) {
                s.refusals++;
                pos = another + ANOTHER.length();
                continue;
            }
            break;
        }
        boolean first = true;
        int chunk = 0;
        for (int nl = ChatText.indexOf(b, pos, "\n"); nl >= 0; pos = nl + 1, nl = ChatText.indexOf(b, pos, "\n")) {
            while (ends.get(chunk)[0] <= nl) {
                chunk++;
            }
            Received r = new Received(ends.get(chunk)[1], java.util.Arrays.copyOfRange(b, pos, nl));
            if (s.name == null && r.text.startsWith(WELCOME) && r.text.endsWith(".")) {
                s.name = r.text.substring(WELCOME.length(), r.text.length() - 1);
                s.welcomeAt = r.at;
                s.welcomeFirst = first;
                s.lines.clear();   // what came before a late welcome is judged by the welcome rule alone
            } else {
                s.lines.add(r);
            }
            first = false;
        }
    }

    /** The name line the welcome answers (one per refusal before it), and every line after it a message. */
    private static void parseSent(Session s) {
        if (s.name == null || s.refusals >= s.sentLines.size()) {
            return;
        }
        s.nameLine = s.sentLines.get(s.refusals);
        for (int i = s.refusals + 1; i < s.sentLines.size(); i++) {
            ConnectionLog.Line l = s.sentLines.get(i);
            byte[] bytes = l.bytes();
            int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            s.sent.add(new Sent(s, s.sent.size(), l.at(), ChatText.clean(java.util.Arrays.copyOf(bytes, n)), n, l.attempted()));
        }
    }

    /**
     * Names each received {@code <X> : m} line's sender (the longest welcomed name it starts with)
     * and matches it to a message of X's not yet matched that reads the same, after the one matched
     * before: per sender, a received sequence that is a subsequence of what was sent matches
     * exactly; anything else is left unmatched for the rules. Among equal texts it takes the first
     * sent no earlier than the receiver asked to join, so a late joiner who gets only the second of
     * two equal lines is not blamed for the first.
     */
    private void matchSenders(Session receiver) {
        long asked = receiver.nameLine == null ? Long.MIN_VALUE : receiver.nameLine.at();
        Map<String, Integer> next = new LinkedHashMap<>();
        for (Received r : receiver.lines) {
            if (!r.text.startsWith("<") || r.text.startsWith(META)) {
                continue;
            }
            for (String name : namesLongestFirst) {
                byte[] prefix = prefixes.computeIfAbsent(name, n -> ("<" + n + "> : ").getBytes(StandardCharsets.UTF_8));
                if (!ChatText.startsWith(r.bytes, 0, prefix)) {
                    continue;
                }
                r.sender = name;
                String body = ChatText.clean(java.util.Arrays.copyOfRange(r.bytes, prefix.length, r.bytes.length));
                List<Sent> all = messagesOf(name);
                int from = next.getOrDefault(name, 0);
                int first = -1;
                int fitting = -1;
                for (int j = from; j < all.size() && fitting < 0; j++) {
                    if (all.get(j).text().equals(body)) {
                        first = first < 0 ? j : first;
                        fitting = all.get(j).at() >= asked ? j : -1;
                    }
                }
                int j = fitting >= 0 ? fitting : first;
                if (j >= 0) {
                    r.message = all.get(j);
                    next.put(name, j + 1);
                }
                break;
            }
        }
    }

    private java.util.Set<String> askedNames;

    /** Every name any client asked for (each line it sent, stripped): a notice about another is forged. */
    java.util.Set<String> askedNames() {
        if (askedNames == null) {
            askedNames = new java.util.LinkedHashSet<>();
            for (Session c : sessions) {
                for (ConnectionLog.Line l : c.sentLines) {
                    askedNames.add(ChatText.clean(l.bytes()).strip());
                }
            }
        }
        return askedNames;
    }

    /** The name a join or leave notice is about, or null if the line is no such notice. */
    static String noticeAbout(String text) {
        if (!text.startsWith(META)) {
            return null;
        }
        for (String end : new String[] {" joined.", " left (too slow)", " left"}) {
            if (text.endsWith(end) && text.length() > META.length() + end.length()) {
                return text.substring(META.length(), text.length() - end.length());
            }
        }
        return null;
    }

    /** 1 to 32 printable characters, not starting with {@code <}, without {@code "> : "}. */
    static boolean saneName(String name) {
        int n = name.codePointCount(0, name.length());
        return n >= 1 && n <= 32 && !name.startsWith("<") && !name.contains("> : ")
                && name.codePoints().noneMatch(c -> Character.isISOControl(c) || c == 0xFFFD);
    }

    /** The line of {@code lines} that carries {@code m}. */
    static Received find(List<Received> lines, Sent m) {
        return lines.stream().filter(x -> x.message == m).findFirst().orElseThrow();
    }

    /** Whether the line's text is some message its named sender sent, matched or not. */
    boolean sentAtAll(Received line) {
        String body = ChatText.clean(java.util.Arrays.copyOfRange(line.bytes,
                ("<" + line.sender + "> : ").getBytes(StandardCharsets.UTF_8).length, line.bytes.length));
        return messagesOf(line.sender).stream().anyMatch(m -> m.text().equals(body));
    }

    /** Every message sent under {@code name}, by all who held it, in the order they were welcomed. */
    List<Sent> messagesOf(String name) {
        return messagesByName.computeIfAbsent(name, n -> {
            List<Sent> out = new ArrayList<>();
            for (Session s : byName.getOrDefault(n, List.of())) {
                out.addAll(s.sent);
            }
            return out;
        });
    }

    private final Map<String, List<Sent>> messagesByName = new LinkedHashMap<>();
}

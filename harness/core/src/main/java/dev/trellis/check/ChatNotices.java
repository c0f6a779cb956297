package dev.trellis.check;

import dev.trellis.check.ChatSessions.Received;
import dev.trellis.check.ChatSessions.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.trellis.check.Quotes.ms;

/**
 * The {@code chat-notices} rule's work: each join and leave notice a reader got matched, in time
 * order, to a join or leave it may announce, and each join or leave that surely fell inside the
 * reader's stay matched to a notice.
 */
final class ChatNotices {
    private ChatNotices() {}

    /** What is wrong with the notices in {@code s}, or null. */
    static String check(ChatSessions s, long slack) {
        for (Session r : s.sessions) {
            if (r.name == null || !r.client.reads()) {
                continue;
            }
            for (Received line : r.lines) {
                String about = ChatSessions.noticeAbout(line.text);
                if (about != null && !s.askedNames().contains(about)) {
                    return r.label + " was told of [" + about + "], whom no one asked to be: " + line.quote(r);
                }
            }
            long stayEnd = r.dropped ? Math.min(r.end, r.droppedAt) : r.end;
            for (Map.Entry<String, List<Session>> e : s.byName.entrySet()) {
                List<long[]> joins = new ArrayList<>();
                List<long[]> leaves = new ArrayList<>();
                for (Session x : e.getValue()) {
                    if (x == r) {
                        continue;
                    }
                    joins.add(new long[] {x.askedAt, x.joinedBy});
                    boolean broke = x.client.log().brokenAt() >= 0;
                    leaves.add(x.dropped ? new long[] {x.askedAt, x.droppedAt}
                            : new long[] {broke ? x.askedAt : x.end, x.end + slack});
                }
                List<Received> leaveNotices = r.notices(e.getKey(), " left");
                leaveNotices.addAll(r.notices(e.getKey(), " left (too slow)"));
                leaveNotices.sort((a, b) -> Long.compare(a.at, b.at));
                String wrong = match(r, stayEnd, e.getKey(), "joined", r.notices(e.getKey(), " joined."), joins, slack);
                if (wrong == null) {
                    wrong = match(r, stayEnd, e.getKey(), "left", leaveNotices, leaves, slack);
                }
                if (wrong != null) {
                    return wrong;
                }
            }
        }
        return null;
    }

    /**
     * Matches the notices {@code r} got about {@code name} to the events they may announce, each
     * event {@code {from, by}}: it happened in that interval. A notice needs an event not yet
     * matched that happened no later than it came (one that surely needed a notice first, then the
     * earliest); an event that surely fell inside r's stay needs a notice.
     */
    private static String match(Session r, long stayEnd, String name, String what, List<Received> notices,
                                List<long[]> events, long slack) {
        events.sort((a, b) -> Long.compare(a[0], b[0]));
        boolean[] told = new boolean[events.size()];
        for (Received n : notices) {
            // A later notice may announce anything an earlier one may: so each takes, of the events it
            // may announce, first one that surely needed announcing, then the earliest.
            int found = -1;
            for (int i = 0; i < events.size(); i++) {
                long[] ev = events.get(i);
                boolean maybe = ev[1] >= r.askedAt - slack && ev[0] <= stayEnd + slack;
                if (told[i] || !maybe || ev[0] - slack > n.at) {
                    continue;
                }
                if (found < 0 || surely(r, stayEnd, ev, slack) && !surely(r, stayEnd, events.get(found), slack)) {
                    found = i;
                }
            }
            if (found < 0) {
                return name.equals(r.name) ? r.label + " heard of its own " + (what.equals("joined") ? "join" : "leave")
                        + ": " + n.quote(r) : r.who() + " was told " + name + " " + what + " with nothing of the kind to "
                        + "announce then (" + events.size() + " such events in all): " + n.quote(r);
            }
            told[found] = true;
        }
        for (int i = 0; i < events.size(); i++) {
            long[] ev = events.get(i);
            if (!told[i] && surely(r, stayEnd, ev, slack)) {
                return r.who() + " was never told that " + name + " " + what + " (between " + ms(ev[0]) + " and "
                        + ms(ev[1]) + "), though it was in the chat from " + ms(r.joinedBy) + " to " + ms(stayEnd)
                        + Quotes.all(notices, r);
            }
        }
        return null;
    }


    /** Whether the event {@code {from, by}} surely fell inside r's stay, so r must be told of it. */
    private static boolean surely(Session r, long stayEnd, long[] ev, long slack) {
        return ev[0] > r.joinedBy + slack && ev[1] + slack < stayEnd;
    }
}

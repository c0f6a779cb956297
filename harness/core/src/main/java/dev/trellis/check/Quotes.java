package dev.trellis.check;

import dev.trellis.check.ChatSessions.Received;
import dev.trellis.check.ChatSessions.Sent;
import dev.trellis.check.ChatSessions.Session;

import java.util.List;

/** How violations of history rules quote times, texts and lines, the same way everywhere. */
final class Quotes {
    private Quotes() {}

    /** A time as milliseconds, exact when whole: {@code 100ms}, {@code 166.073ms}, or {@code never}. */
    static String ms(long nanos) {
        if (nanos < 0) {
            return "never";
        }
        return nanos % 1_000_000 == 0 ? nanos / 1_000_000 + "ms" : String.format("%.3fms", nanos / 1e6);
    }

    /** Control characters made visible for a report. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** Messages as {@code [text] at time}, comma-separated; {@code nothing} for none. */
    static String texts(List<Sent> sent) {
        StringBuilder out = new StringBuilder();
        for (Sent m : sent) {
            out.append(out.isEmpty() ? "" : ", ").append('[').append(m.text()).append("] at ").append(ms(m.at()));
        }
        return out.isEmpty() ? "nothing" : out.toString();
    }

    /** Lines {@code r} received, each quoted, after a colon; nothing for none. */
    static String all(List<Received> lines, Session r) {
        StringBuilder out = new StringBuilder();
        for (Received line : lines) {
            out.append(out.isEmpty() ? ": " : "; ").append(line.quote(r));
        }
        return out.toString();
    }
}

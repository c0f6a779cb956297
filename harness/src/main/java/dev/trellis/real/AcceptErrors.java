package dev.trellis.real;

import dev.trellis.runtime.Address;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an accept that failed means for a server, as trio's {@code serve_listeners} and the
 * accept loops of Netty and Tomcat read it: the process ran out of descriptors or memory (wait and
 * retry), or one connection went before it was accepted (drop it, go on). Each kind is reported
 * once per {@link #REPORT_EVERY} to {@code System.Logger} "dev.trellis.real", with how many
 * happened since, so a flood of them cannot flood the log.
 */
final class AcceptErrors {
    enum Kind { EXHAUSTED, CONNECTION, OTHER }

    static final Duration BACKOFF = Duration.ofMillis(100);
    static final Duration REPORT_EVERY = Duration.ofSeconds(10);
    private static final System.Logger LOG = System.getLogger("dev.trellis.real");

    /** Per kind of message: when it was last reported (ns, wall clock) and how many since. */
    private final Map<String, long[]> seen = new TreeMap<>();

    /** EMFILE, ENFILE, ENOMEM, ENOBUFS; ECONNABORTED, EPROTO, a reset; anything else. */
    static Kind kind(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("too many open files") || m.contains("cannot allocate memory")
                || m.contains("no buffer space available")) {
            return Kind.EXHAUSTED;
        }
        if (m.contains("connection abort") || m.contains("connection reset") || m.contains("protocol error")
                || m.contains("software caused connection abort")) {
            return Kind.CONNECTION;
        }
        return Kind.OTHER;
    }

    /** Reports {@code e}, unless one like it was reported within {@link #REPORT_EVERY}. */
    void report(Address at, IOException e, String what) {
        long now = System.nanoTime();   // wall time: the real runtime's, never the simulator's
        long[] s = seen.computeIfAbsent(String.valueOf(e.getMessage()), k -> new long[] {Long.MIN_VALUE, 0});
        s[1]++;
        if (s[0] == Long.MIN_VALUE || now - s[0] >= REPORT_EVERY.toNanos()) {
            String message = "accept on " + at + ": " + e.getMessage() + "; " + what
                    + (s[1] > 1 ? " (" + s[1] + " times since the last report)" : "");
            try {
                LOG.log(System.Logger.Level.WARNING, message);
            } catch (Throwable logFailed) {
                // Out of descriptors, a logger may fail too (java.util.logging opens the time-zone
                // file to format its first line): the report must not take the server down.
                System.err.println("WARNING dev.trellis.real: " + message);
            }
            s[0] = now;
            s[1] = 0;
        }
    }
}

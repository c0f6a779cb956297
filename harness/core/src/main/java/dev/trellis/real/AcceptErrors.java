package dev.trellis.real;

import dev.trellis.runtime.Address;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * What an accept that failed means for a server, as trio's {@code serve_listeners} and the
 * accept loops of Netty and Tomcat read it: the process ran out of descriptors or memory (wait and
 * retry), or one connection went before it was accepted (drop it, go on). Each kind is reported
 * through {@link Reports}: at most once per interval, with a count.
 */
final class AcceptErrors {
    enum Kind { EXHAUSTED, CONNECTION, OTHER }

    static final Duration BACKOFF = Duration.ofMillis(100);
    private final Reports reports = new Reports();

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

    /** Reports {@code e}, unless one like it was reported within the interval. */
    void report(Address at, IOException e, String what) {
        reports.report("accept " + e.getMessage(), "accept on " + at + ": " + e.getMessage() + "; " + what);
    }
}

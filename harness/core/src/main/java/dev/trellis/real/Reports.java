package dev.trellis.real;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a server running for weeks says about the failures it survives: to {@code System.Logger}
 * "dev.trellis.real", each kind at most once per {@link #EVERY_NANOS}, with how many happened
 * since, so a flood of resets or refused accepts cannot flood the log; to standard error when
 * the logger itself fails (out of descriptors, java.util.logging cannot open its time-zone file).
 */
final class Reports {
    static final long EVERY_NANOS = 10_000_000_000L;
    private static final System.Logger LOG = System.getLogger("dev.trellis.real");

    /** Per kind: when it was last reported (ns, wall clock) and how many since. */
    private final Map<String, long[]> seen = new TreeMap<>();

    /** Reports {@code message} unless one of {@code kind} was reported within the interval. */
    synchronized void report(String kind, String message) {
        long now = System.nanoTime();   // wall time: the real runtime's, never the simulator's
        long[] s = seen.computeIfAbsent(kind, k -> new long[] {Long.MIN_VALUE, 0});
        s[1]++;
        if (s[0] != Long.MIN_VALUE && now - s[0] < EVERY_NANOS) {
            return;
        }
        String text = message + (s[1] > 1 ? " (" + s[1] + " times since the last report)" : "");
        try {
            LOG.log(System.Logger.Level.WARNING, text);
        } catch (Throwable logFailed) {
            System.err.println("WARNING dev.trellis.real: " + text);
        }
        s[0] = now;
        s[1] = 0;
    }
}

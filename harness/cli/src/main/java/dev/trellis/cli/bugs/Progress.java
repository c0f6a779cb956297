package dev.trellis.cli.bugs;

import java.io.PrintStream;

/**
 * A long benchmark is visibly alive: on a terminal one line rewritten in place at most ten times a
 * second, otherwise (a CI log) a line every few seconds, as explore's {@code ProgressLine} does.
 */
final class Progress {
    private static final long TERMINAL_EVERY = 100_000_000L;
    private static final long LOG_EVERY = 5_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastShown;
    private int width;

    Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        this.lastShown = terminal ? Long.MIN_VALUE / 2 : start;
    }

    /** Standard error: live on a terminal, periodic otherwise. */
    static Progress forStderr() {
        return new Progress(System.err, System.console() != null && System.console().isTerminal());
    }

    /** Nothing at all: for tests that read the output. */
    static Progress silent() {
        return new Progress(null, false);
    }

    synchronized void show(String what, String state) {
        long now = System.nanoTime();
        if (out == null || now - lastShown < (terminal ? TERMINAL_EVERY : LOG_EVERY)) {
            return;
        }
        lastShown = now;
        String line = String.format(java.util.Locale.ROOT, "[%4.0fs] %s: %s", (now - start) / 1e9, what, state);
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            width = line.length();
        } else {
            out.println("  ... " + line);
        }
        out.flush();
    }

    /** Clears a live line before other output. */
    synchronized void clear() {
        if (out != null && terminal && width > 0) {
            out.print("\r" + " ".repeat(width) + "\r");
            out.flush();
        }
        width = 0;
    }
}

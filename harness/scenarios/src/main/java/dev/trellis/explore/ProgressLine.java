package dev.trellis.explore;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows an exploration going: on a terminal, one line rewritten in place at most ten times a
 * second (seeds done of total, executions per second, failures so far); off a terminal (CI logs),
 * a line every few seconds, so a long run is visibly alive without flooding the log.
 */
public final class ProgressLine implements ScenarioRunner.Progress {
    private static final long TERMINAL_EVERY = 100_000_000L;
    private static final long LOG_EVERY = 5_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private long lastShown = Long.MIN_VALUE;
    private int width;

    public ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** A progress line for standard error: live on a terminal, periodic otherwise. */
    public static ProgressLine forStderr() {
        return new ProgressLine(System.err, System.console() != null && System.console().isTerminal());
    }

    @Override
    public synchronized void update(String scenario, long done, long total, long failures, long elapsedNanos) {
        long every = terminal ? TERMINAL_EVERY : LOG_EVERY;
        if (lastShown != Long.MIN_VALUE && elapsedNanos - lastShown < every && (done < total || !terminal)) {
            return;   // off a terminal the scenario's own result line says it is done
        }
        if (lastShown == Long.MIN_VALUE && !terminal && elapsedNanos < LOG_EVERY) {
            lastShown = 0;   // off a terminal, the first line comes after the first interval
            return;
        }
        lastShown = elapsedNanos;
        double rate = elapsedNanos == 0 ? 0 : done * 1e9 / elapsedNanos;
        String line = String.format(Locale.ROOT, "%s  %,d/%,d seeds  %,.0f executions/s  %,d failing", scenario, done, total,
                rate, failures);
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            width = line.length();
        } else {
            out.println("  ... " + line);
        }
        out.flush();
    }

    /** Clears a live line before other output. */
    public synchronized void clear() {
        if (terminal && width > 0) {
            out.print("\r" + " ".repeat(width) + "\r");
            out.flush();
        }
        width = 0;
        lastShown = Long.MIN_VALUE;
    }
}

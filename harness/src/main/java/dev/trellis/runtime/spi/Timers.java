package dev.trellis.runtime.spi;

import java.util.PriorityQueue;

/**
 * Pending timers ordered by deadline, then by a sequence number, so equal deadlines fire in the
 * order they were set on every run (turmoil's rule). Cancelled timers are dropped lazily.
 */
public final class Timers {
    /** A pending wake-up: of a sleeping task, or of a scope whose deadline passes. */
    public static final class Timer implements Comparable<Timer> {
        final long deadline;
        final long seq;
        final Task task;
        final Scope scope;
        boolean cancelled;

        Timer(long deadline, long seq, Task task, Scope scope) {
            this.deadline = deadline;
            this.seq = seq;
            this.task = task;
            this.scope = scope;
        }

        public void cancel() { cancelled = true; }
        public long deadline() { return deadline; }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private long seq;

    Timer add(long deadline, Task task, Scope scope) {
        Timer t = new Timer(deadline, seq++, task, scope);
        queue.add(t);
        return t;
    }

    /** The earliest live deadline, or {@code Long.MAX_VALUE} when none is pending. */
    public long nextDeadline() {
        Timer t;
        while ((t = queue.peek()) != null && t.cancelled) {
            queue.poll();
        }
        return t == null ? Long.MAX_VALUE : t.deadline;
    }

    /** Removes and returns the earliest live timer due at or before {@code now}, or null. */
    Timer pollDue(long now) {
        return nextDeadline() <= now ? queue.poll() : null;
    }

    public boolean isEmpty() { return nextDeadline() == Long.MAX_VALUE; }

    public int size() { return queue.size(); }
}

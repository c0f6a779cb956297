package dev.trellis.runtime.spi;

import java.util.Arrays;

/**
 * Pending timers ordered by deadline, then by a sequence number, so equal deadlines fire in the
 * order they were set on every run (turmoil's rule). A binary heap over primitive keys: with
 * 10,000 sleepers the comparisons read two long arrays instead of chasing timer objects.
 * Cancelled timers are dropped lazily.
 */
public final class Timers {
    /** A pending wake-up: of a sleeping task, or of a scope whose deadline passes. */
    public static final class Timer {
        final long deadline;
        final Task task;
        final Scope scope;
        boolean cancelled;

        Timer(long deadline, Task task, Scope scope) {
            this.deadline = deadline;
            this.task = task;
            this.scope = scope;
        }

        public void cancel() { cancelled = true; }
        public long deadline() { return deadline; }
    }

    private long[] deadlines = new long[16];
    private long[] seqs = new long[16];
    private Timer[] items = new Timer[16];
    private int size;
    private long seq;

    Timer add(long deadline, Task task, Scope scope) {
        Timer t = new Timer(deadline, task, scope);
        if (size == items.length) {
            int n = size * 2;
            deadlines = Arrays.copyOf(deadlines, n);
            seqs = Arrays.copyOf(seqs, n);
            items = Arrays.copyOf(items, n);
        }
        long s = seq++;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(deadline, s, deadlines[parent], seqs[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        deadlines[i] = deadline;
        seqs[i] = s;
        items[i] = t;
        return t;
    }

    /** The earliest live deadline, or {@code Long.MAX_VALUE} when none is pending. */
    public long nextDeadline() {
        while (size > 0 && items[0].cancelled) {
            pop();
        }
        return size == 0 ? Long.MAX_VALUE : deadlines[0];
    }

    /** Removes and returns the earliest live timer due at or before {@code now}, or null. */
    Timer pollDue(long now) {
        return nextDeadline() <= now ? pop() : null;
    }

    public boolean isEmpty() { return nextDeadline() == Long.MAX_VALUE; }

    public int size() { return size; }

    private Timer pop() {
        Timer first = items[0];
        int last = --size;
        long d = deadlines[last];
        long s = seqs[last];
        Timer t = items[last];
        items[last] = null;
        if (last > 0) {
            int i = 0;
            int half = last >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < last && less(deadlines[right], seqs[right], deadlines[child], seqs[child])) {
                    child = right;
                }
                if (!less(deadlines[child], seqs[child], d, s)) {
                    break;
                }
                move(child, i);
                i = child;
            }
            deadlines[i] = d;
            seqs[i] = s;
            items[i] = t;
        }
        return first;
    }

    private void move(int from, int to) {
        deadlines[to] = deadlines[from];
        seqs[to] = seqs[from];
        items[to] = items[from];
    }

    private static boolean less(long d1, long s1, long d2, long s2) {
        return d1 < d2 || (d1 == d2 && s1 < s2);
    }
}

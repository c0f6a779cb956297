package dev.trellis.runtime.spi;

import java.util.Arrays;

/**
 * Pending timers ordered by deadline, then by a sequence number, so equal deadlines fire in the
 * order they were set on every run (turmoil's rule). A binary heap over primitive keys: with
 * 10,000 sleepers the comparisons read two long arrays instead of chasing timer objects.
 * Cancelled timers are dropped when they reach the top, and all at once when they are more than
 * half the heap: a server that sets a deadline per read and cancels nearly all of them (the read
 * came in time) would otherwise keep every one until its deadline passed, growing with the rate of
 * reads times the timeout, as {@code ScheduledThreadPoolExecutor} does without
 * {@code setRemoveOnCancelPolicy}.
 */
public final class Timers {
    /** A pending wake-up: of a sleeping task, or of a scope whose deadline passes. */
    public static final class Timer {
        final long deadline;
        final Task task;
        final Scope scope;
        private final Timers owner;
        boolean cancelled;
        /** Out of the heap (fired, or dropped): a cancel then has nothing to count. */
        boolean removed;

        Timer(Timers owner, long deadline, Task task, Scope scope) {
            this.owner = owner;
            this.deadline = deadline;
            this.task = task;
            this.scope = scope;
        }

        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                if (!removed) {
                    owner.cancelledOne();
                }
            }
        }
        public long deadline() { return deadline; }
    }

    private long[] deadlines = new long[16];
    private long[] seqs = new long[16];
    private Timer[] items = new Timer[16];
    private int size;
    private long seq;
    /** Cancelled timers still in the heap. */
    private int cancelled;
    /** Below this many timers a heap is not worth compacting. */
    private static final int COMPACT_ABOVE = 64;

    Timer add(long deadline, Task task, Scope scope) {
        Timer t = new Timer(this, deadline, task, scope);
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
            cancelled--;
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
        first.removed = true;
        int last = --size;
        if (last > 0) {
            move(last, 0);   // the last leaf takes the root, then sinks to its place
            siftDown(0);
        }
        items[last] = null;
        return first;
    }

    private void cancelledOne() {
        cancelled++;
        if (size > COMPACT_ABOVE && cancelled * 2 > size) {
            compact();
        }
    }

    /**
     * Drops every cancelled timer and rebuilds the heap from the live ones (Floyd's heapify, linear).
     * The order timers fire in is their (deadline, sequence) order, which no layout of the heap
     * changes: compacting never changes a run.
     */
    private void compact() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (items[i].cancelled) {
                items[i].removed = true;
            } else {
                deadlines[n] = deadlines[i];
                seqs[n] = seqs[i];
                items[n] = items[i];
                n++;
            }
        }
        Arrays.fill(items, n, size, null);
        size = n;
        cancelled = 0;
        for (int i = (n >>> 1) - 1; i >= 0; i--) {
            siftDown(i);
        }
        if (items.length > 64 && size < items.length / 4) {
            int len = Math.max(64, items.length / 2);
            deadlines = Arrays.copyOf(deadlines, len);
            seqs = Arrays.copyOf(seqs, len);
            items = Arrays.copyOf(items, len);
        }
    }

    private void siftDown(int i) {
        long d = deadlines[i];
        long s = seqs[i];
        Timer t = items[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && less(deadlines[right], seqs[right], deadlines[child], seqs[child])) {
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

    private void move(int from, int to) {
        deadlines[to] = deadlines[from];
        seqs[to] = seqs[from];
        items[to] = items[from];
    }

    private static boolean less(long d1, long s1, long d2, long s2) {
        return d1 < d2 || (d1 == d2 && s1 < s2);
    }
}

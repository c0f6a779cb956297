package dev.trellis.sim;

import java.util.Arrays;

/**
 * The ready tasks, always seen in ascending id order, so a strategy's index means the same task
 * on every run. A bit set of task ids with a Fenwick tree of per-word counts on top: add and
 * remove flip a bit and update O(log(n/64)) counters; the i-th id is found by a Fenwick descent
 * over words and a select inside one word. The counters fit in L1 for 10,000 tasks, so a random
 * pick among 10,000 ready tasks costs little more than among two.
 */
public final class ReadySet {
    private long[] words = new long[1];
    /** Fenwick tree over word pop-counts, 1-based. */
    private int[] tree = new int[2];
    private int top = 1;
    private int size;
    /** See {@link #last()}; kept by the execution. */
    int last = -1;

    /**
     * The task that took the step before this choice, or -1 before the first: it is among the
     * ready ones when it only reached a schedule point, and choosing another then is a preemption.
     */
    public int last() {
        return last;
    }

    /** How many tasks are ready. */
    public int size() {
        return size;
    }

    /** The id of the {@code index}-th ready task in ascending order, 0-based. */
    public int idAt(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("ready index " + index + " of " + size);
        }
        if (words.length == 1) {
            return select(words[0], index);
        }
        int pos = 0;
        int remaining = index;
        int n = words.length;
        for (int step = top; step > 0; step >>= 1) {
            int next = pos + step;
            if (next <= n && tree[next] <= remaining) {
                pos = next;
                remaining -= tree[next];
            }
        }
        return pos * 64 + select(words[pos], remaining);
    }

    /** The index of {@code id} among the ready tasks, or -1 if it is not ready. */
    public int indexOf(int id) {
        if (!contains(id)) {
            return -1;
        }
        int word = id >>> 6;
        int sum = 0;
        if (words.length == 1) {
            return Long.bitCount(words[0] & ((1L << (id & 63)) - 1));
        }
        for (int i = word; i > 0; i -= i & -i) {
            sum += tree[i];
        }
        return sum + Long.bitCount(words[word] & ((1L << (id & 63)) - 1));
    }

    boolean contains(int id) {
        int word = id >>> 6;
        return id >= 0 && word < words.length && (words[word] & (1L << (id & 63))) != 0;
    }

    void add(int id) {
        int word = id >>> 6;
        if (word >= words.length) {
            grow(word);
        }
        long bit = 1L << (id & 63);
        if ((words[word] & bit) != 0) {
            return;
        }
        words[word] |= bit;
        size++;
        if (words.length == 1) {
            return;   // one word needs no counters; grow() builds them when a second word comes
        }
        for (int i = word + 1; i <= words.length; i += i & -i) {
            tree[i]++;
        }
    }

    void remove(int id) {
        if (!contains(id)) {
            return;
        }
        int word = id >>> 6;
        words[word] &= ~(1L << (id & 63));
        size--;
        if (words.length == 1) {
            return;
        }
        for (int i = word + 1; i <= words.length; i += i & -i) {
            tree[i]--;
        }
    }

    private void grow(int word) {
        int n = words.length;
        while (n <= word) {
            n *= 2;
        }
        words = Arrays.copyOf(words, n);
        tree = new int[n + 1];
        top = Integer.highestOneBit(n);
        for (int w = 0; w < n; w++) {
            int c = Long.bitCount(words[w]);
            for (int i = w + 1; i <= n && c != 0; i += i & -i) {
                tree[i] += c;
            }
        }
    }

    /** The position of the k-th (0-based) set bit of {@code w}. */
    private static int select(long w, int k) {
        int pos = 0;
        for (int shift = 32; shift > 0; shift >>= 1) {
            long low = w & ((1L << shift) - 1);
            int c = Long.bitCount(low);
            if (k >= c) {
                k -= c;
                w >>>= shift;
                pos += shift;
            } else {
                w = low;
            }
        }
        return pos;
    }

    /** The ready ids in ascending order, for messages. */
    int[] toArray() {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = idAt(i);
        }
        return out;
    }
}

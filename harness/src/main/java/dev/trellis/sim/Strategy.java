package dev.trellis.sim;

/**
 * Decides which ready task runs next, and draws the values behind seeded faults. Given the same
 * seed and the same ready sets it must decide the same way: that is what makes a run replayable.
 * Only real choices reach it: a step with one ready task is taken without asking.
 */
public interface Strategy {
    /** A new execution begins with this seed. */
    void begin(long seed);

    /**
     * Picks the task to run: an index into {@code ready[0..count)}, which holds task ids in
     * ascending order; {@code count} is at least 2. {@code step} is the number of steps so far.
     */
    int pick(int[] ready, int count, long step);

    /** A value in [0, bound) for a data choice (a chunk size, a fault); bound is positive. */
    long draw(long bound);

    /** The spec that recreates this strategy, as {@link Strategies#parse} reads it. */
    String spec();
}

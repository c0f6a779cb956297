package dev.trellis.sim;

/**
 * Decides which ready task runs next, and draws the values behind seeded faults. Given the same
 * seed and the same ready sets it must decide the same way: that is what makes a run replayable.
 * Only real choices reach it: a step with one ready task is taken without asking.
 *
 * <p>One instance serves every execution of an exploration ({@link Simulation#explore}), so a
 * strategy may learn from the executions before: PCT learns how many choices they offer, a bounded
 * search moves on to its next schedule. After {@link #begin}, {@link #spec()} must name what this
 * execution will do on its own, so that running that spec with the same seed repeats it.
 */
public interface Strategy {
    /** A new execution begins with this seed. */
    void begin(long seed);

    /**
     * Whether the strategy has run every schedule it means to (a bounded exhaustive search that
     * has covered its space); asked before each {@link #begin}. Most strategies never are.
     */
    default boolean exhausted() {
        return false;
    }

    /**
     * Picks the task to run: an index into {@code ready}, whose tasks are in ascending id order;
     * it holds at least two. {@code step} is the number of steps taken so far.
     */
    int pick(ReadySet ready, long step);

    /**
     * The execution has ended with no harness failure. A strategy that replays choices an earlier
     * run made may fail it here as nondeterministic, if it ended before one of them came (only
     * strategies of this package can: the failure is theirs to raise).
     */
    default void end() {
    }

    /** A value in [0, bound) for a data choice (a chunk size, a fault); bound is positive. */
    long draw(long bound);

    /**
     * The spec that recreates this strategy, as {@link Strategies#parse} reads it: after
     * {@link #begin}, the one that repeats the current execution.
     */
    String spec();
}

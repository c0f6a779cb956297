package dev.trellis.sim;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Partial order sampling (Yuan, Yang, Gu, "Partial Order Aware Concurrency Sampling", CAV 2018),
 * the variant that fits what the simulator knows. Spec: {@code pos}.
 *
 * <p>POS gives every enabled event a random priority and runs the highest. Once an event has run,
 * the events that race with it (touch the same object, one of them writing) get fresh priorities,
 * and so does every newly enabled event; the rest keep theirs. The resets are what make POS
 * sample partial orders, not interleavings, nearly uniformly. Fray's {@code POSScheduler} does
 * exactly that, reading each thread's pending operation to decide which ones race.
 *
 * <p>Here an event is a task's step, from one checkpoint to the next, and nothing says which
 * objects a step will touch before it runs. So this class implements the paper's BasicPOS over
 * steps, without the race resets:
 * <ul>
 *   <li>every ready task holds a random priority, and the highest runs (ties, which need two
 *       equal 63-bit draws, go to the lower id);</li>
 *   <li>the task that ran gets a fresh priority when it is next ready, because its next step is a
 *       new event; so does a task that was not ready at the previous choice (just started, woken
 *       by another task or a timer), because its pending step is new too;</li>
 *   <li>a ready task that lost keeps its priority: its pending step is the same event, and we
 *       cannot tell whether it races with the step just taken. Treating every pair as racing
 *       would re-draw every priority at every choice, which is a uniform random walk
 *       ({@code random}) again.</li>
 * </ul>
 * Kept priorities are what set this apart from {@code random}: a task that lost to a high
 * priority tends to wait through many steps, so runs of one task are long in some executions and
 * short in others, where a random walk switches with the same odds at every step. That is the
 * trade, measured on {@code StrategyCorpus} over 2,000 seeds each: a client that must wait
 * through eight of the server's steps (missed-shutdown) fails about one execution in 6 under POS
 * and one in 110 under {@code random}; two bookings whose steps must strictly alternate
 * (split-bookings) fail one in 60 under POS and one in 7 under {@code random}. Re-drawing each
 * loser with probability p instead (guessing that a step races with the one just taken with
 * that probability) moves both figures towards {@code random}'s as p grows; we keep p = 0, the
 * paper's BasicPOS, so that {@code pos} covers what {@code random} rarely reaches. Were the
 * objects a step touches known (Fray reads each thread's pending operation), the resets could
 * be exact.
 *
 * <p>Steps taken without asking the strategy (one task ready) are not seen here. When the step
 * count jumps, such a step ran in between. Right after a choice it can only be that the winner
 * stopped and a single loser was left, and ran; every other task ready now became ready since.
 * So every pending step is new, and all get fresh priorities.
 *
 * <p>Determinism: priorities come from one {@link SplittableRandom} seeded by {@link #begin},
 * drawn in ascending id order; data draws ({@link #draw}) share that stream, as in the other
 * strategies. Costs O(ready) per choice, like PCT.
 */
public final class Pos implements Strategy {
    /** The spec {@link Strategies#parse} reads. */
    public static final String SPEC = "pos";

    private SplittableRandom random = new SplittableRandom(0);
    private long[] priority = new long[16];
    /** The choice (1, 2, ...) at which each task was last among the ready; 0 for never. */
    private long[] readyAt = new long[16];
    private long choices;
    private long lastStep;
    private int lastRan;

    @Override
    public void begin(long seed) {
        random = new SplittableRandom(seed);
        Arrays.fill(readyAt, 0);
        choices = 0;
        lastStep = Long.MIN_VALUE;
        lastRan = -1;
    }

    @Override
    public int pick(ReadySet ready, long step) {
        long previous = choices++;
        // A lone step in between (see the class comment) made every pending step new. Never
        // true at the first choice, so readyAt's 0 ("never") is not mistaken for choice 0.
        boolean contiguous = step == lastStep + 1;
        int count = ready.size();
        int best = -1;
        long bestPriority = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            int id = ready.idAt(i);
            ensure(id);
            if (!contiguous || id == lastRan || readyAt[id] != previous) {
                priority[id] = random.nextLong() >>> 1;   // 63 bits, never negative
            }
            readyAt[id] = choices;
            if (priority[id] > bestPriority) {   // strictly greater: a tie keeps the lower id
                bestPriority = priority[id];
                best = i;
            }
        }
        lastRan = ready.idAt(best);
        lastStep = step;
        return best;
    }

    private void ensure(int id) {
        if (id >= readyAt.length) {
            int n = Math.max(id + 1, readyAt.length * 2);
            readyAt = Arrays.copyOf(readyAt, n);
            priority = Arrays.copyOf(priority, n);
        }
    }

    @Override
    public long draw(long bound) {
        return random.nextLong(bound);
    }

    @Override
    public String spec() {
        return SPEC;
    }
}

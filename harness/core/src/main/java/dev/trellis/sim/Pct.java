package dev.trellis.sim;

import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010).
 * Every task gets a random priority when it first competes; the highest-priority ready task
 * runs. At {@code depth - 1} choices drawn uniformly from the execution's n choices, the task
 * that would run is demoted below every task not yet demoted, which is what exposes bugs that
 * need a few ordering constraints. An execution with at most n choices among at most k tasks
 * finds a given bug of depth d with probability at least 1/(k n^(d-1)).
 *
 * <p>As in the paper, and as the bound needs:
 * <ul>
 *   <li>A step counts only when it is a choice (two or more tasks ready); a priority change in a
 *       stretch where one task runs alone can only take effect at the next choice (the paper's
 *       section 4.1), so counting choices gives the same schedules with a smaller n.</li>
 *   <li>A task that appears mid-execution gets a fresh uniform random priority, so its rank among
 *       the tasks not demoted is uniform, as if all priorities had been dealt at the start.</li>
 *   <li>The i-th change point drawn (not the i-th in time) lowers its task to priority i of
 *       1..d-1, all below the initial ones: the order of the demoted tasks is random too.</li>
 * </ul>
 *
 * <p>{@code pct:D:K} draws change points over K choices, fixed. {@code pct:D} learns n: each
 * execution draws over the most choices any earlier execution of the exploration offered, the
 * first over {@value #FIRST_CHOICES}; after {@link #begin} its {@link #spec()} names the K it
 * drew over ({@code pct:3:37}), so one execution replays alone. Learning needs no extra run of
 * the body: the first execution is a PCT execution like the others.
 */
public final class Pct implements Strategy {
    /**
     * Choices an adaptive PCT draws over before it has seen an execution: the first execution of
     * an exploration, and every {@code Simulation.run} of {@code pct:D}. Small on purpose, as the
     * programs tests explore mostly are: the README's example offers 3 choices, the 421 programs
     * of the trio corpus a median of 2 and at most 19 (nine in ten at most 8). A change point past
     * an execution's last choice is wasted, while one early in a long execution is still a real
     * preemption; and from the second execution on, the range is learnt.
     */
    public static final long FIRST_CHOICES = 16;

    private final int depth;
    /** K of {@code pct:D:K}, or 0 for an adaptive PCT. */
    private final long fixedChoices;
    /** What the current execution's change points were drawn over; 0 before the first begin. */
    private long range;
    private SplittableRandom random = new SplittableRandom(0);
    private long[] priority = new long[16];
    private boolean[] seen = new boolean[16];
    /** The change points of this execution as choice indices, ascending, with their priorities. */
    private long[] changeAt = new long[0];
    private long[] demoteTo = new long[0];
    private int nextChange;
    /** Choices offered so far in this execution, and tasks given a priority. */
    private long choices;
    private int ranked;
    /** Across executions finished before the current one: the most choices, the most tasks. */
    private long longest;
    private int widest;
    /** How many executions drew their change points over each range, by range. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    private Pct(int depth, long fixedChoices) {
        if (depth < 1) {
            throw new IllegalArgumentException("PCT depth must be at least 1, was [" + depth + "]");
        }
        this.depth = depth;
        this.fixedChoices = fixedChoices;
    }

    /** {@code pct:D:K}: every execution draws its change points over K choices. */
    public static Pct fixed(int depth, long choices) {
        if (choices < 1) {
            throw new IllegalArgumentException("PCT choices per execution (K) must be positive, was [" + choices + "]");
        }
        return new Pct(depth, choices);
    }

    /** {@code pct:D}: each execution draws over the most choices an earlier one offered. */
    public static Pct adaptive(int depth) {
        return new Pct(depth, 0);
    }

    @Override
    public void begin(long seed) {
        if (range > 0) {
            // The execution that just ended is one to learn from.
            longest = Math.max(longest, choices);
            widest = Math.max(widest, ranked);
        }
        range = fixedChoices > 0 ? fixedChoices : longest > 0 ? longest : FIRST_CHOICES;
        ranges.merge(range, 1L, Long::sum);
        random = new SplittableRandom(seed);
        Arrays.fill(seen, false);
        choices = 0;
        ranked = 0;
        // Drawn in order i = 1..d-1, each uniform over the choices; the i-th drawn demotes to
        // priority i - d, below every initial priority (all positive) and above the (i-1)-th.
        int n = depth - 1;
        long[] at = new long[n];
        for (int i = 0; i < n; i++) {
            at[i] = random.nextLong(range);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Stable, by choice index only: ties keep the order they were drawn in.
        Arrays.sort(order, (a, b) -> Long.compare(at[a], at[b]));
        changeAt = new long[n];
        demoteTo = new long[n];
        for (int j = 0; j < n; j++) {
            changeAt[j] = at[order[j]];
            demoteTo[j] = order[j] + 1 - depth;
        }
        nextChange = 0;
    }

    @Override
    public int pick(ReadySet ready, long step) {
        long choice = choices++;
        int best = highest(ready);
        while (nextChange < changeAt.length && changeAt[nextChange] <= choice) {
            // Demote the task that would run; the highest of the rest runs instead.
            priority[ready.idAt(best)] = demoteTo[nextChange++];
            best = highest(ready);
        }
        return best;
    }

    private int highest(ReadySet ready) {
        int best = -1;
        long bestPriority = Long.MIN_VALUE;
        int count = ready.size();
        for (int i = 0; i < count; i++) {
            long p = priorityOf(ready.idAt(i));
            if (p > bestPriority) {
                bestPriority = p;
                best = i;
            }
        }
        return best;
    }

    private long priorityOf(int task) {
        if (task >= seen.length) {
            int n = Math.max(task + 1, seen.length * 2);
            seen = Arrays.copyOf(seen, n);
            priority = Arrays.copyOf(priority, n);
        }
        if (!seen[task]) {
            seen[task] = true;
            ranked++;
            // Positive and distinct with overwhelming probability; ties fall to the lower id.
            priority[task] = 1 + random.nextLong(Long.MAX_VALUE - 1);
        }
        return priority[task];
    }

    @Override
    public long draw(long bound) {
        return random.nextLong(bound);
    }

    /**
     * {@code pct:D:K}; an adaptive PCT before its first {@link #begin} is {@code pct:D}, and after
     * it names the K the current execution drew over.
     */
    @Override
    public String spec() {
        long k = fixedChoices > 0 ? fixedChoices : range;
        return k > 0 ? "pct:" + depth + ":" + k : "pct:" + depth;
    }

    /**
     * What the executions so far promise about bugs of this depth, or empty before the first
     * {@link #begin}. Counts the current execution as finished.
     */
    public Optional<Confidence> confidence() {
        if (range == 0) {
            return Optional.empty();
        }
        return Optional.of(Confidence.of(depth, Math.max(longest, choices), Math.max(widest, ranked), ranges));
    }
}

package dev.trellis.sim;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010).
 * Each task gets a random priority when first seen; the highest-priority ready task runs. At
 * {@code depth - 1} steps chosen at random in [0, expectedSteps) the running task's priority
 * drops below every other, which is what exposes bugs that need a few ordering constraints.
 * A bug of depth d is found with probability at least 1/(n k^(d-1)) per execution.
 *
 * <p>{@code expectedSteps} is a setting, not learnt from earlier runs, so that one seed always
 * gives one schedule.
 */
public final class Pct implements Strategy {
    private final int depth;
    private final long expectedSteps;
    private SplittableRandom random = new SplittableRandom(0);
    private long[] priority = new long[16];
    private boolean[] seen = new boolean[16];
    private long[] changePoints = new long[0];
    private int nextChange;
    private long lowPriority;

    public Pct(int depth, long expectedSteps) {
        if (depth < 1) {
            throw new IllegalArgumentException("PCT depth must be at least 1, was [" + depth + "]");
        }
        if (expectedSteps < 1) {
            throw new IllegalArgumentException("PCT expected steps must be positive, was [" + expectedSteps + "]");
        }
        this.depth = depth;
        this.expectedSteps = expectedSteps;
    }

    @Override
    public void begin(long seed) {
        random = new SplittableRandom(seed);
        Arrays.fill(seen, false);
        changePoints = new long[depth - 1];
        for (int i = 0; i < changePoints.length; i++) {
            changePoints[i] = random.nextLong(expectedSteps);
        }
        Arrays.sort(changePoints);
        nextChange = 0;
        lowPriority = 0;
    }

    @Override
    public int pick(ReadySet ready, long step) {
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
        while (nextChange < changePoints.length && changePoints[nextChange] <= step) {
            nextChange++;
            // Demote the task that would run; the next highest runs instead.
            priority[ready.idAt(best)] = --lowPriority;
            return pick(ready, step);
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
            // Positive and distinct with overwhelming probability; ties fall to the lower id.
            priority[task] = 1 + random.nextLong(Long.MAX_VALUE - 1);
        }
        return priority[task];
    }

    @Override
    public long draw(long bound) {
        return random.nextLong(bound);
    }

    @Override
    public String spec() {
        return "pct:" + depth + ":" + expectedSteps;
    }
}

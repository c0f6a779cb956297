package dev.trellis.sim;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * A schedule as few departures from the default continuation: at every choice it keeps the task
 * that took the previous step if that one is still ready, else runs the lowest ready id, except
 * at the listed choices, where it runs the listed task (when ready). A choice is named by the task
 * that took the step before it and how many choices that task had come to before ({@code 2.3}:
 * the fourth choice right after task 2 ran), not by its step number, so that dropping a departure
 * of other tasks leaves it naming the same moment of task 2. Values drawn for data (chunk sizes,
 * faults) come from a recorded list, in order; past its end, 0. What a shrunk failure is written
 * as: the fewer departures, the fewer preemptions, the closer to sequential.
 *
 * <p>Spec: {@code guided:DRAWS/TASK.K=TASK,...}, such as {@code guided:3,0,17/0.0=2,2.3=1}
 * ({@code -1.0} names the very first choice).
 */
public final class Guided implements Strategy {
    static final String PREFIX = "guided:";

    private final long[] draws;
    /** Departures by {@link #key}. */
    private final TreeMap<Long, Integer> departures;
    private int nextDraw;
    /** Choices met so far right after each task ran (index: task id + 1). */
    private int[] met = new int[16];

    /** Names the {@code k}-th choice (from 0) met right after task {@code last} ran. */
    static long key(int last, int k) {
        return ((long) (last + 1) << 32) | k;
    }

    static int lastOf(long key) {
        return (int) (key >>> 32) - 1;
    }

    static int indexOf(long key) {
        return (int) key;
    }

    public Guided(long[] draws, TreeMap<Long, Integer> departures) {
        this.draws = draws.clone();
        this.departures = new TreeMap<>(departures);
    }

    static Guided parse(String spec) {
        String body = spec.substring(PREFIX.length());
        int slash = body.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("a guided schedule is guided:DRAWS/TASK.K=TASK,..., was [" + spec + "]");
        }
        String d = body.substring(0, slash).strip();
        long[] draws = d.isEmpty() ? new long[0] : Arrays.stream(d.split(",")).mapToLong(s -> Long.parseLong(s.strip())).toArray();
        TreeMap<Long, Integer> deps = new TreeMap<>();
        String p = body.substring(slash + 1).strip();
        if (!p.isEmpty()) {
            for (String pair : p.split(",")) {
                int eq = pair.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("a departure is STEP=TASK, was [" + pair + "] in [" + spec + "]");
                }
                String at = pair.substring(0, eq).strip();
                int dot = at.lastIndexOf('.');
                if (dot < 1) {
                    throw new IllegalArgumentException("a departure is TASK.K=TASK, was [" + pair + "] in [" + spec + "]");
                }
                deps.put(key(Integer.parseInt(at.substring(0, dot)), Integer.parseInt(at.substring(dot + 1))),
                        Integer.parseInt(pair.substring(eq + 1).strip()));
            }
        }
        return new Guided(draws, deps);
    }

    @Override
    public void begin(long seed) {
        nextDraw = 0;
        java.util.Arrays.fill(met, 0);
    }

    /** The key of the choice being made now, counting it as met. */
    static long meet(int[][] met, ReadySet ready) {
        int last = ready.last();
        if (last + 1 >= met[0].length) {
            met[0] = java.util.Arrays.copyOf(met[0], Math.max(last + 2, met[0].length * 2));
        }
        return key(last, met[0][last + 1]++);
    }

    @Override
    public int pick(ReadySet ready, long step) {
        int[][] box = {met};
        long key = meet(box, ready);
        met = box[0];
        Integer want = departures.get(key);
        if (want != null) {
            int i = ready.indexOf(want);
            if (i >= 0) {
                return i;
            }
        }
        return defaultChoice(ready);
    }

    /** Keep the task that ran if it is ready (no preemption), else the lowest ready id. */
    static int defaultChoice(ReadySet ready) {
        int keep = ready.last() >= 0 ? ready.indexOf(ready.last()) : -1;
        return keep >= 0 ? keep : 0;
    }

    @Override
    public long draw(long bound) {
        if (nextDraw >= draws.length) {
            return 0;
        }
        long v = draws[nextDraw++];
        return v >= 0 && v < bound ? v : Math.floorMod(v, bound);
    }

    @Override
    public String spec() {
        StringBuilder sb = new StringBuilder(PREFIX).append(Strategies.join(draws)).append('/');
        boolean firstPair = true;
        for (var e : departures.entrySet()) {
            if (!firstPair) {
                sb.append(',');
            }
            sb.append(lastOf(e.getKey())).append('.').append(indexOf(e.getKey())).append('=').append(e.getValue());
            firstPair = false;
        }
        return sb.toString();
    }
}

package dev.trellis.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Bounded exhaustive search, {@code dfs:P}: every schedule with at most P preemptions, each once,
 * fewest preemptions first (iterative context bounding, Musuvathi and Qadeer, PLDI 2007). Most
 * concurrency bugs need one or two preemptions; this finds the one that needs fewest, and when it
 * finds nothing, it says so of every schedule within the bound, which sampling never can.
 *
 * {@snippet :
 * Simulation.Exploration e = Simulation.explore(body, 0, 100_000, SimConfig.defaults().withStrategy("dfs:2"));
 * e.orThrow();                  // the first failing schedule, with the fewest preemptions
 * System.out.println(e.summary());   // "all 423 schedules with ≤ 2 preemptions explored, no failure"
 * }
 *
 * <p>A preemption is choosing another task while the one that took the previous step is still
 * ready (it only reached a checkpoint). Choosing among the ready tasks when that one blocked or
 * ended costs nothing, so every order of blocking hand-offs is explored at every bound. Where
 * the search does not choose, it keeps the current task if it is ready, else runs the lowest
 * ready id: the default continuation.
 *
 * <p>How: round r runs every schedule with exactly r preemptions. A round's work items are choice
 * prefixes ending in their r-th preemption; each item is explored by a depth-first search over
 * the free choices below it, and every place on the way where a preemption could go becomes an
 * item of round r + 1. The search is stateless: each execution runs the program from the start,
 * replaying its prefix, so the tree is discovered by running. What it keeps is the current
 * depth-first path and, for the next round, every choice met where a preemption could go (about
 * 64 bytes and 4 per ready task each); nothing per schedule already run. That frontier is what a
 * long search costs: 10,000 executions of ten tasks of 100 steps under {@code dfs:2} keep 1.7
 * million choices, about 130 MB, for a round they never reach.
 *
 * <p>Data draws ({@code Trellis.random}, chunk sizes, faults) are not enumerated: they come from
 * the seed of the first execution, the same in every schedule, so the search covers schedules
 * for one choice of data. Explore from another first seed for other data.
 *
 * <p>Each execution's spec names it alone: {@code dfs:2:#17:data=0:5=2,9=1} is execution 17 of
 * the search {@code dfs:2}, drawing data from seed 0, running task 2 at step 5 and task 1 at step
 * 9 and following the default continuation everywhere else. Parsed again it runs that execution
 * and nothing more, with the same trace hash. A replayed prefix that meets a different program
 * (another choice, a task that is not ready) fails the run as {@code Nondeterminism}.
 */
public final class Dfs implements Strategy {
    /** Where a schedule leaves the default continuation: at {@code step}, {@code task} runs. */
    private record Dev(Dev before, long step, int task) {}

    /** A choice below the current work item's prefix, as the search first met it. */
    private static final class Node {
        final long step;
        final int[] ready;
        /** Whether every choice here is free: the task before it blocked or ended. */
        final boolean free;
        /** The deviations up to, not including, this choice. */
        final Dev before;
        int chosen;

        Node(long step, int[] ready, boolean free, int chosen, Dev before) {
            this.step = step;
            this.ready = ready;
            this.free = free;
            this.chosen = chosen;
            this.before = before;
        }

        /** The deviations up to and including this choice. */
        Dev after() {
            return free && chosen != 0 ? new Dev(before, step, ready[chosen]) : before;
        }
    }

    private final int bound;
    /** True for a spec naming one execution; false for the search. */
    private final boolean single;
    private long index;
    private long dataSeed;
    private boolean seeded;

    // The search: the current round, its frontier and the next round's, the depth-first stack.
    private int round;
    /**
     * Choices met in the round before where the running task could have gone on: each of their
     * other tasks starts a work item of this round, in order. One entry per choice, not per
     * item, and the node is the one the stack held, so the frontier costs little beyond it.
     */
    private ArrayDeque<Node> thisRound = new ArrayDeque<>();
    private ArrayDeque<Node> nextRound = new ArrayDeque<>();
    /** The frontier node whose alternatives are being taken, and the last one taken. */
    private Node preempted;
    private int alternative;
    private final List<Node> stack = new ArrayList<>();
    /** Nodes of the stack the current execution replays; past them it meets new ground. */
    private int planned;
    private boolean mustAdvance;
    private boolean exhausted;
    /** Nondeterminism noticed only once an execution had ended; the next one reports it. */
    private String divergedBefore;

    // The current execution.
    private Dev[] devs;
    private int nextDev;
    private int nextNode;
    private SplittableRandom data = new SplittableRandom(0);
    private String spec;

    /** The search {@code dfs:bound}. */
    public Dfs(int bound) {
        this(bound, false, -1, 0, new Dev[0]);
    }

    private Dfs(int bound, boolean single, long index, long dataSeed, Dev[] devs) {
        if (bound < 0) {
            throw new IllegalArgumentException("dfs:P: the preemption bound P must be zero or more, was [" + bound + "]");
        }
        this.bound = bound;
        this.single = single;
        this.index = index;
        this.dataSeed = dataSeed;
        this.seeded = single;
        this.devs = devs;
    }

    /**
     * Reads {@code dfs:P} (the search) or {@code dfs:P:#I:data=D[:S=T,...]} (its execution I).
     */
    static Dfs parse(String spec) {
        String[] parts = spec.split(":", -1);
        try {
            if (parts.length == 2) {
                return new Dfs(Integer.parseInt(parts[1]));
            }
            if ((parts.length == 4 || parts.length == 5) && parts[2].startsWith("#") && parts[3].startsWith("data=")) {
                Dev tip = null;
                if (parts.length == 5 && !parts[4].isBlank()) {
                    for (String d : parts[4].split(",")) {
                        String[] st = d.split("=");
                        if (st.length != 2) {
                            throw new NumberFormatException(d);
                        }
                        long step = Long.parseLong(st[0].strip());
                        int task = Integer.parseInt(st[1].strip());
                        if ((tip != null && step <= tip.step()) || step < 0 || task < 0) {
                            throw new NumberFormatException("steps must ascend; steps and tasks are not negative");
                        }
                        tip = new Dev(tip, step, task);
                    }
                }
                return new Dfs(Integer.parseInt(parts[1]), true, Long.parseLong(parts[2].substring(1)),
                        Long.parseLong(parts[3].substring("data=".length())), list(tip));
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("unknown strategy [" + spec + "]: expected 'dfs:P' (every schedule with "
                + "at most P preemptions, P = 0 or more) or one execution of it as a failure prints it, "
                + "'dfs:P:#I:data=SEED:STEP=TASK,...'");
    }

    /**
     * The schedules a spec's search covers, in words ("with ≤ 2 preemptions"), or null if the
     * spec is not a search's.
     */
    static String space(String spec) {
        if (!spec.startsWith("dfs:")) {
            return null;
        }
        String[] parts = spec.split(":");
        return "with ≤ " + parts[1] + " preemption" + (parts[1].equals("1") ? "" : "s");
    }

    @Override
    public boolean exhausted() {
        advance();
        return exhausted;
    }

    @Override
    public void begin(long seed) {
        advance();
        if (exhausted) {
            throw new IllegalStateException("dfs:" + bound + " has run all its " + (index + 1) + " schedules");
        }
        if (!seeded) {
            // Data comes from the first seed, for the whole search: see the class comment.
            dataSeed = seed;
            seeded = true;
        }
        if (!single) {
            index++;
            mustAdvance = true;
        }
        data = new SplittableRandom(dataSeed);
        nextDev = 0;
        nextNode = 0;
        Dev tip = planned > 0 ? stack.get(planned - 1).after() : prefixTip();
        spec = spec(tip);
    }

    @Override
    public int pick(ReadySet ready, long step) {
        reportDivergedBefore();
        if (nextDev < devs.length) {
            Dev d = devs[nextDev];
            if (d.step() < step) {
                throw diverged("the schedule chooses task " + d.task() + " at step " + d.step()
                        + ", but the program offered no choice there; its next came at step " + step);
            }
            if (d.step() > step) {
                return continuing(ready);
            }
            nextDev++;
            int i = ready.indexOf(d.task());
            if (i < 0) {
                throw diverged("at step " + step + " the schedule runs task " + d.task() + ", which is not ready; ready: "
                        + Arrays.toString(ready.toArray()));
            }
            return i;
        }
        if (single) {
            return continuing(ready);
        }
        if (nextNode < planned) {
            Node n = stack.get(nextNode++);
            if (n.step != step || !Arrays.equals(n.ready, ready.toArray())) {
                throw diverged("at its choice at step " + n.step + " tasks " + Arrays.toString(n.ready)
                        + " had been ready; this time the program offered tasks " + Arrays.toString(ready.toArray())
                        + " at step " + step);
            }
            return n.chosen;
        }
        return meet(ready, step);
    }

    /** A choice no execution of this work item has reached: take the default, note the others. */
    private int meet(ReadySet ready, long step) {
        int[] ids = ready.toArray();
        Dev before = nextNode > 0 ? stack.get(nextNode - 1).after() : prefixTip();
        int current = ready.last() < 0 ? -1 : ready.indexOf(ready.last());
        Node n;
        if (current >= 0) {
            n = new Node(step, ids, false, current, before);
            if (round < bound) {
                // Running any other task here is a preemption: work for the next round.
                nextRound.add(n);
            }
        } else {
            n = new Node(step, ids, true, 0, before);
        }
        stack.add(n);
        nextNode++;
        planned = nextNode;
        return n.chosen;
    }

    /** The last deviation of the work item's prefix (of the one execution's schedule), or null. */
    private Dev prefixTip() {
        return devs.length > 0 ? devs[devs.length - 1] : null;
    }

    /** The default continuation: the task that ran last if it is ready, else the lowest ready id. */
    private static int continuing(ReadySet ready) {
        int i = ready.last() < 0 ? -1 : ready.indexOf(ready.last());
        return Math.max(i, 0);
    }

    /**
     * Moves to the next schedule, once per execution: the deepest free choice with an untried
     * task, else the next work item of this round, else the next round.
     */
    private void advance() {
        if (!mustAdvance) {
            return;
        }
        mustAdvance = false;
        if (nextDev < devs.length || nextNode < planned) {
            long at = nextDev < devs.length ? devs[nextDev].step() : stack.get(nextNode).step;
            divergedBefore = "execution #" + index + " ended before its choice at step " + at
                    + ", which an earlier run of the same choices had reached";
            planned = nextNode;
            stack.subList(nextNode, stack.size()).clear();
        }
        while (!stack.isEmpty()) {
            Node top = stack.get(stack.size() - 1);
            if (top.free && top.chosen + 1 < top.ready.length) {
                top.chosen++;
                planned = stack.size();
                return;
            }
            stack.remove(stack.size() - 1);
        }
        planned = 0;
        Dev item = nextItem();
        if (item == null) {
            if (nextRound.isEmpty()) {
                exhausted = true;
                return;
            }
            ArrayDeque<Node> t = thisRound;
            thisRound = nextRound;
            nextRound = t;
            round++;
            item = nextItem();
        }
        devs = list(item);
    }

    /**
     * An execution that ends before a choice it was to replay is the nondeterministic one: it
     * fails itself, so its printed schedule is the one that shows it.
     */
    @Override
    public void end() {
        if (nextDev < devs.length || nextNode < planned) {
            long at = nextDev < devs.length ? devs[nextDev].step() : stack.get(nextNode).step;
            nextDev = devs.length;
            planned = nextNode;
            stack.subList(nextNode, stack.size()).clear();
            throw diverged("execution #" + index + " ended before its choice at step " + at
                    + ", which an earlier run of the same choices had reached");
        }
    }

    /** This round's next work item: the next preemption on its frontier, or null. */
    private Dev nextItem() {
        while (true) {
            if (preempted != null) {
                alternative++;
                if (alternative == preempted.chosen) {
                    alternative++;
                }
                if (alternative < preempted.ready.length) {
                    return new Dev(preempted.before, preempted.step, preempted.ready[alternative]);
                }
            }
            preempted = thisRound.poll();
            if (preempted == null) {
                return null;
            }
            alternative = -1;
        }
    }

    @Override
    public long draw(long bound) {
        reportDivergedBefore();
        return data.nextLong(bound);
    }

    @Override
    public String spec() {
        if (spec == null) {
            // Not begun: the search names itself; one execution's spec is already complete.
            return single ? spec(prefixTip()) : "dfs:" + bound;
        }
        return spec;
    }

    private String spec(Dev tip) {
        return "dfs:" + bound + ":#" + index + ":data=" + dataSeed + (tip == null ? "" : ":" + text(tip));
    }

    private void reportDivergedBefore() {
        if (divergedBefore != null) {
            String why = divergedBefore;
            divergedBefore = null;
            throw diverged(why);
        }
    }

    private Replay.ReplayDiverged diverged(String what) {
        String who = single ? spec() + " replays the choices its spec names"
                : "dfs:" + bound + " replays the choices of earlier executions to reach new schedules";
        return new Replay.ReplayDiverged(who + ", and the program did not repeat itself: " + what
                + ". The program is nondeterministic: "
                + "something besides the schedule and the seed decides what it does (wall time, an unseeded random, "
                + "the order of a hash set of objects, state left over from an earlier execution).");
    }

    private static Dev[] list(Dev tip) {
        int n = 0;
        for (Dev d = tip; d != null; d = d.before()) {
            n++;
        }
        Dev[] out = new Dev[n];
        for (Dev d = tip; d != null; d = d.before()) {
            out[--n] = d;
        }
        return out;
    }

    private static String text(Dev tip) {
        StringBuilder sb = new StringBuilder();
        for (Dev d : list(tip)) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(d.step()).append('=').append(d.task());
        }
        return sb.toString();
    }
}

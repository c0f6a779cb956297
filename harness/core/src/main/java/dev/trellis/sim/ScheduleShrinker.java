package dev.trellis.sim;

import dev.trellis.runtime.Body;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Shrinks a failing execution's schedule toward the default continuation (the task that ran keeps
 * running while it is ready): fewer preemptions, while the same failure still shows. The failing
 * schedule is rewritten as departures from that continuation ({@link Guided}), then departures are
 * dropped, halves first, then smaller groups, then one at a time (delta debugging, Zeller 2002),
 * keeping a drop whenever the run still fails the same way; after each kept drop the departures
 * are read off the new run, since dropping one moves the steps of those after it. Where no drop
 * keeps the failure, a preemption is traded for a free switch: a choice where the task before had
 * blocked or ended runs another ready task instead (no preemption), nearest choices first. The
 * two alternate until neither helps. Bounded by a
 * wall-time budget and a number of runs, and says when it stopped early.
 *
 * {@snippet :
 * Result failing = Simulation.explore(body, 0, 1_000, config).last();
 * ScheduleShrinker.Shrunk s = ScheduleShrinker.shrink(body, failing,
 *         r -> r.failure() != null && r.failure().headline().equals(failing.failure().headline()),
 *         Duration.ofSeconds(10), 2_000);
 * Simulation.result(body, s.result().schedule());   // the shrunk failure, replayed
 * }
 */
public final class ScheduleShrinker {
    private ScheduleShrinker() {}

    /**
     * What shrinking did: the shrunk execution (its schedule replays it: a {@code guided:} spec),
     * preemptions and steps before and after, how many runs it took, and why it stopped early
     * (null when it reached a schedule from which no departure can be dropped).
     */
    public record Shrunk(Result result, int preemptionsBefore, int preemptionsAfter, long stepsBefore, long stepsAfter,
                         int runs, String stoppedEarly) {
        public boolean shrank() {
            return preemptionsAfter < preemptionsBefore || stepsAfter < stepsBefore;
        }
    }

    /** One run observed: its result and, at each choice, who was ready and who ran. */
    private record Observed(Result result, List<Choice> choices, long[] draws) {
        /** Choices that left the default continuation, as {@link Guided#key} → task, in the order they were made. */
        java.util.LinkedHashMap<Long, Integer> departures() {
            java.util.LinkedHashMap<Long, Integer> out = new java.util.LinkedHashMap<>();
            for (Choice c : choices) {
                if (c.chosen != c.defaultTask) {
                    out.put(c.key, c.chosen);
                }
            }
            return out;
        }

        int preemptions() {
            int n = 0;
            for (Choice c : choices) {
                if (c.lastReady && c.chosen != c.last) {
                    n++;
                }
            }
            return n;
        }
    }

    private record Choice(long step, long key, int last, boolean lastReady, int defaultTask, int chosen, int[] ready) {
        boolean offers(int task) {
            return java.util.Arrays.binarySearch(ready, task) >= 0;
        }

        boolean preempts() {
            return lastReady && chosen != last;
        }
    }

    /** Wraps a strategy to record what it was offered and what it chose. */
    private static final class Observing implements Strategy {
        private final Strategy inner;
        final List<Choice> choices = new ArrayList<>();
        private long[] draws = new long[16];
        private int drawn;
        private final int[][] met = {new int[16]};

        Observing(Strategy inner) {
            this.inner = inner;
        }

        @Override
        public void begin(long seed) {
            inner.begin(seed);
            java.util.Arrays.fill(met[0], 0);
        }

        @Override
        public int pick(ReadySet ready, long step) {
            int i = inner.pick(ready, step);
            int last = ready.last();
            boolean lastReady = last >= 0 && ready.indexOf(last) >= 0;
            choices.add(new Choice(step, Guided.meet(met, ready), last, lastReady, ready.idAt(Guided.defaultChoice(ready)),
                    ready.idAt(i), ready.toArray()));
            return i;
        }

        @Override
        public long draw(long bound) {
            long v = inner.draw(bound);
            if (drawn == draws.length) {
                draws = java.util.Arrays.copyOf(draws, drawn * 2);
            }
            draws[drawn++] = v;
            return v;
        }

        @Override
        public void end() {
            inner.end();
        }

        @Override
        public String spec() {
            return inner.spec();
        }

        long[] draws() {
            return java.util.Arrays.copyOf(draws, drawn);
        }
    }

    /**
     * Shrinks {@code failing}, an execution of {@code body}: every candidate runs {@code body}
     * afresh, and counts as the same failure when {@code sameFailure} accepts its result.
     */
    public static Shrunk shrink(Body body, Result failing, Predicate<Result> sameFailure, Duration budget, int maxRuns) {
        long deadline = System.nanoTime() + budget.toNanos();   // wall time bounds the search only, never a result
        int[] runs = {0};
        Observed original = observe(body, failing.schedule(), Strategies.parse(failing.strategy()), runs);
        if (original.result().traceHash() != failing.traceHash()) {
            return new Shrunk(failing, -1, -1, failing.steps(), failing.steps(), runs[0],
                    "the failing schedule did not run the same way again (trace " + original.result().traceHashHex()
                            + " instead of " + failing.traceHashHex() + "), so it cannot be shrunk");
        }
        int before = original.preemptions();
        Observed best = guided(body, failing, original.draws(), original.departures(), runs);
        if (!sameFailure.test(best.result())) {
            return new Shrunk(failing, before, before, failing.steps(), failing.steps(), runs[0],
                    "the schedule rewritten as departures from the default continuation did not fail the same way");
        }
        Budget limits = new Budget(deadline, budget, maxRuns, runs);
        while (limits.stopped() == null) {
            Observed dropped = dropDepartures(body, failing, original.draws(), best, sameFailure, limits);
            Observed traded = tradePreemptions(body, failing, original.draws(), dropped, sameFailure, limits);
            Observed alone = traded.preemptions() > 1 ? keepOne(body, failing, original.draws(), traded, sameFailure, limits)
                    : traded;
            if (alone == best) {
                break;   // nothing drops, trades or stands alone: a local minimum
            }
            best = alone;
        }
        String stopped = limits.stopped();
        return new Shrunk(best.result(), before, best.preemptions(), failing.steps(), best.result().steps(), runs[0], stopped);
    }

    /** When the search must stop: a wall-time deadline and a number of runs. */
    private static final class Budget {
        private final long deadline;
        private final Duration budget;
        private final int maxRuns;
        private final int[] runs;

        Budget(long deadline, Duration budget, int maxRuns, int[] runs) {
            this.deadline = deadline;
            this.budget = budget;
            this.maxRuns = maxRuns;
            this.runs = runs;
        }

        /** Why to stop now, or null to go on. */
        String stopped() {
            if (runs[0] >= maxRuns) {
                return "stopped after " + maxRuns + " runs";
            }
            if (System.nanoTime() > deadline) {
                return "stopped at its time budget of " + budget.toMillis() + " ms";
            }
            return null;
        }
    }

    /**
     * Drops departures while the same failure shows: halves of them first, then smaller groups,
     * then one at a time. Returns the best run found ({@code best} itself when none is better).
     */
    private static Observed dropDepartures(Body body, Result failing, long[] draws, Observed best,
                                           Predicate<Result> sameFailure, Budget limits) {
        java.util.LinkedHashMap<Long, Integer> deps = best.departures();
        int chunks = 2;
        while (!deps.isEmpty() && limits.stopped() == null) {
            List<Map.Entry<Long, Integer>> list = new ArrayList<>(deps.entrySet());
            int n = Math.min(chunks, list.size());
            boolean dropped = false;
            for (int c = 0; c < n && limits.stopped() == null; c++) {
                java.util.LinkedHashMap<Long, Integer> candidate = new java.util.LinkedHashMap<>(deps);
                for (int k = c * list.size() / n; k < (c + 1) * list.size() / n; k++) {
                    candidate.remove(list.get(k).getKey());
                }
                Observed o = guided(body, failing, draws, candidate, limits.runs);
                if (sameFailure.test(o.result()) && better(o, best)) {
                    best = o;
                    deps = o.departures();
                    chunks = Math.max(2, chunks - 1);
                    dropped = true;
                    break;
                }
            }
            if (!dropped) {
                if (n >= list.size()) {
                    break;
                }
                chunks = Math.min(list.size(), chunks * 2);
            }
        }
        return best;
    }

    /** Free switches tried in place of one preemption, at most: bounds a pass on long executions. */
    static final int SWITCHES_PER_PREEMPTION = 64;

    /**
     * Trades a preemption for a free switch: drops a departure that takes the carrier from a task
     * still ready, and instead, at a choice where the task before had blocked or ended (a switch
     * that costs no preemption), runs another of the tasks ready there. Nearest choices first.
     */
    private static Observed tradePreemptions(Body body, Result failing, long[] draws, Observed best,
                                             Predicate<Result> sameFailure, Budget limits) {
        boolean traded = true;
        while (traded && limits.stopped() == null) {
            traded = false;
            for (Choice c : best.choices()) {
                if (!c.preempts() || limits.stopped() != null) {
                    continue;
                }
                java.util.LinkedHashMap<Long, Integer> without = best.departures();
                without.remove(c.key());
                Observed plain = guided(body, failing, draws, without, limits.runs);
                if (sameFailure.test(plain.result()) && better(plain, best)) {
                    best = plain;
                    traded = true;
                    break;
                }
                List<long[]> switches = new ArrayList<>();   // {distance, step, task, key}
                for (Choice free : plain.choices()) {
                    if (free.lastReady()) {
                        continue;
                    }
                    for (int task : free.ready()) {
                        if (task != free.chosen()) {
                            switches.add(new long[] {Math.abs(free.step() - c.step()), free.step(), task, free.key()});
                        }
                    }
                }
                switches.sort(java.util.Comparator.<long[]>comparingLong(x -> x[0]).thenComparingLong(x -> x[1])
                        .thenComparingLong(x -> x[2]));
                for (int i = 0; i < Math.min(SWITCHES_PER_PREEMPTION, switches.size()) && limits.stopped() == null; i++) {
                java.util.LinkedHashMap<Long, Integer> candidate = new java.util.LinkedHashMap<>(without);
                    candidate.put(switches.get(i)[3], (int) switches.get(i)[2]);
                    Observed o = guided(body, failing, draws, candidate, limits.runs);
                    if (sameFailure.test(o.result()) && better(o, best)) {
                        best = o;
                        traded = true;
                        break;
                    }
                }
                if (traded) {
                    break;
                }
            }
        }
        return best;
    }

    /**
     * Tries each departure on its own, every other dropped at once: dropping them one at a time can
     * stop where each alone is needed by the others, while one of them alone fails the same way.
     */
    private static Observed keepOne(Body body, Result failing, long[] draws, Observed best, Predicate<Result> sameFailure,
                                    Budget limits) {
        for (Map.Entry<Long, Integer> d : best.departures().entrySet()) {
            if (limits.stopped() != null) {
                break;
            }
            Observed o = guided(body, failing, draws, Map.of(d.getKey(), d.getValue()), limits.runs);
            if (sameFailure.test(o.result()) && better(o, best)) {
                return o;
            }
        }
        return best;
    }

    /** Fewer preemptions, or as many and fewer departures, or as many and fewer steps. */
    private static boolean better(Observed a, Observed b) {
        if (a.preemptions() != b.preemptions()) {
            return a.preemptions() < b.preemptions();
        }
        if (a.departures().size() != b.departures().size()) {
            return a.departures().size() < b.departures().size();
        }
        return a.result().steps() <= b.result().steps();
    }

    /**
     * How many preemptions {@code r}'s schedule makes: choices of another task while the one that
     * took the step before was still ready. Runs it once more to see.
     */
    public static int preemptions(Body body, Result r) {
        return observe(body, r.schedule(), Strategies.parse(r.strategy()), new int[1]).preemptions();
    }

    private static Observed guided(Body body, Result failing, long[] draws, Map<Long, Integer> deps, int[] runs) {
        Guided g = new Guided(draws, new TreeMap<>(deps));
        return observe(body, new Schedule(failing.seed(), failing.schedule().config().withStrategy(g.spec())), g, runs);
    }

    private static Observed observe(Body body, Schedule schedule, Strategy strategy, int[] runs) {
        runs[0]++;
        Observing o = new Observing(strategy);
        Result r = Simulation.runWith(body, schedule, o);
        return new Observed(r, o.choices, o.draws());
    }
}

package dev.trellis.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How fast each strategy finds each bug of the {@link StrategyCorpus}: every program × strategy
 * explores {@code blocks} disjoint seed blocks (block b starts at seed b × {@link #BLOCK_STRIDE})
 * of at most {@code budget} executions, each stopping at its first failure. Which seeds are run
 * depends on nothing but the options, so the found/median/worst columns are the same on every
 * run; only executions/s is a wall-clock figure. It counts every execution of the row over the
 * row's wall time, each block's start and each failure's report included, so a row that finds
 * its bug in a few executions per block shows a low rate.
 */
final class StrategyBench {
    /** Distance between the first seeds of two blocks; a budget may not exceed it, so blocks never overlap. */
    static final long BLOCK_STRIDE = 1_000_000;

    /** The strategies the bench compares unless told otherwise. */
    static final List<String> DEFAULT_SPECS = List.of("random", "pct:1", "pct:2", "pct:3", "pos", "dfs:2");

    /**
     * One program × strategy. Null fields are left out of the JSON; a strategy that does not
     * parse has {@code available} false and nothing measured.
     *
     * @param tasks              k: the most tasks of one execution that were ready at some choice, as PCT
     *                           measured it (the program's own count when no PCT row ran)
     * @param steps              n: the most choices (steps with two or more tasks ready) one
     *                           execution offered, as PCT measured it over the program's rows
     * @param found              blocks whose exploration ended with the program's bug
     * @param otherFailures      blocks that ended with a different failure (a harness or corpus fault)
     * @param medianExecutions   executions to the first failure, median over all blocks, a block
     *                           that missed counting as more than the budget; null if half missed
     * @param worstExecutions    the most any block needed; null if some block missed
     * @param exhaustedAfter     for a bounded search: the schedules it ran when it covered its
     *                           space with no failure (the same in every block), else null
     * @param pctBound           for pct:D with D = the program's depth: k·n^(d−1), the expected
     *                           executions PCT's guarantee promises at most (1/p, Burckhardt et
     *                           al., whose paper names the tasks n and the steps k)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Row(String program, String description, int depth, int tasks, Long steps, String strategy,
               boolean available, Integer found, Integer blocks, Integer otherFailures, String otherFailure,
               Double medianExecutions, Long worstExecutions, Long exhaustedAfter, Double executionsPerSecond,
               Long pctBound) {}

    private final int blocks;
    private final long budget;
    private final PrintStream out;

    StrategyBench(int blocks, long budget, PrintStream out) {
        if (blocks < 1) {
            throw new IllegalArgumentException("--blocks must be at least 1, was [" + blocks + "]");
        }
        if (budget < 1 || budget > BLOCK_STRIDE) {
            throw new IllegalArgumentException("--budget must be in [1, " + BLOCK_STRIDE + "] so that seed blocks do "
                    + "not overlap, was [" + budget + "]");
        }
        this.blocks = blocks;
        this.budget = budget;
        this.out = out;
    }

    /** Executions of each program run, unmeasured, before the first row, so the JIT has compiled the simulator. */
    static final int WARM_UP_EXECUTIONS = 300;
    /** Where the warm-up's seeds start: far from every block's. */
    private static final long WARM_UP_SEED = Long.MAX_VALUE / 2;

    /** Runs every program against every spec and prints the table as it goes; returns the rows. */
    List<Row> run(List<StrategyCorpus.Program> programs, List<String> specs) {
        warmUp(programs);
        out.printf(Locale.ROOT, "%d seed blocks of at most %,d executions each (block b starts at seed b*%,d)%n",
                blocks, budget, BLOCK_STRIDE);
        out.printf(Locale.ROOT, "%-16s %2s %2s %4s  %-7s %6s %8s %7s %9s %10s%n", "program", "d", "k", "n", "strategy",
                "found", "median", "worst", "exec/s", "k*n^(d-1)");
        List<Row> all = new ArrayList<>();
        for (StrategyCorpus.Program p : programs) {
            List<Measured> measured = new ArrayList<>();
            for (String spec : specs) {
                measured.add(measure(p, spec));
            }
            long most = measured.stream().mapToLong(Measured::choices).max().orElse(0);
            int wide = measured.stream().mapToInt(Measured::readyTasks).max().orElse(0);
            Long n = most == 0 ? null : most;
            int k = wide == 0 ? p.tasks() : wide;
            for (Measured m : measured) {
                Row row = m.row(p, n, k);
                all.add(row);
                print(row);
            }
        }
        out.printf(Locale.ROOT, "found: blocks that hit the bug; median, worst: executions to the first failure "
                + "(>%d: not within the budget;%n"
                + "all N clean: a search that ran every one of its N schedules and found nothing);%nn: the most choices (steps with 2+ tasks ready) one execution offered, "
                + "k: the most tasks of one execution ready at some choice, both as PCT measured;%nk*n^(d-1): the executions PCT's "
                + "guarantee says pct:d needs at most, on average%n", budget);
        return all;
    }

    /**
     * Without this the first rows' executions/s measure the JIT.
     */
    private static void warmUp(List<StrategyCorpus.Program> programs) {
        SimConfig config = SimConfig.defaults();
        for (StrategyCorpus.Program p : programs) {
            long seed = WARM_UP_SEED;
            while (seed < WARM_UP_SEED + WARM_UP_EXECUTIONS) {
                // explore stops at each failure; go on from the seed after it
                seed += Simulation.explore(p.body(), seed, WARM_UP_SEED + WARM_UP_EXECUTIONS - seed, config).executions();
            }
        }
    }

    /** What one program × strategy gave, before n (pooled over the program's rows) is known. */
    private record Measured(String spec, boolean available, long[] toFailure, int found, int other, String otherFailure,
                            long executions, long steps, double seconds, long choices, int readyTasks,
                            long exhaustedAfter) {
        Row row(StrategyCorpus.Program p, Long n, int k) {
            if (!available) {
                return new Row(p.name(), p.description(), p.depth(), k, n, spec, false, null, null, null, null,
                        null, null, null, null, null);
            }
            long[] sorted = toFailure.clone();
            Arrays.sort(sorted);   // misses are Long.MAX_VALUE, so they sort last
            int b = sorted.length;
            long lo = sorted[(b - 1) / 2];
            long hi = sorted[b / 2];
            Double median = hi == Long.MAX_VALUE ? null : (lo + hi) / 2.0;
            Long worst = sorted[b - 1] == Long.MAX_VALUE ? null : sorted[b - 1];
            Long bound = n != null && p.depth() > 0 && spec.equals("pct:" + p.depth())
                    ? k * pow(n, p.depth() - 1) : null;
            return new Row(p.name(), p.description(), p.depth(), k, n, spec, true, found, b, other,
                    otherFailure, median, worst, exhaustedAfter < 0 ? null : exhaustedAfter, seconds > 0 ? executions / seconds : null, bound);
        }
    }

    private Measured measure(StrategyCorpus.Program p, String spec) {
        SimConfig config;
        try {
            config = SimConfig.defaults().withStrategy(spec);
        } catch (IllegalArgumentException e) {
            // Not (yet) a strategy in this build: the row says so and the table goes on.
            return new Measured(spec, false, null, 0, 0, null, 0, 0, 0, 0, 0, -1);
        }
        long[] toFailure = new long[blocks];
        int found = 0;
        int other = 0;
        String otherFailure = null;
        long executions = 0;
        long steps = 0;
        long choices = 0;
        int readyTasks = 0;
        long exhaustedAfter = -1;
        long start = System.nanoTime();   // for executions/s only; nothing run depends on it
        for (int b = 0; b < blocks; b++) {
            Simulation.Exploration e = Simulation.explore(p.body(), b * BLOCK_STRIDE, budget, config);
            executions += e.executions();
            steps += e.totalSteps();
            if (e.confidence().isPresent()) {
                choices = Math.max(choices, e.confidence().get().choices());
                readyTasks = Math.max(readyTasks, e.confidence().get().tasks());
            }
            toFailure[b] = Long.MAX_VALUE;
            if (e.exhausted()) {
                exhaustedAfter = e.executions();
            }
            if (e.ok()) {
                continue;
            }
            Result r = e.last();
            if (p.shows(r)) {
                found++;
                toFailure[b] = e.executions();
            } else {
                other++;
                if (otherFailure == null) {
                    otherFailure = "seed " + r.seed() + ": " + (r.failure() != null ? r.failure().headline()
                            : "the body threw " + r.bodyFailure());
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Measured(spec, true, toFailure, found, other, otherFailure, executions, steps, seconds, choices,
                readyTasks, exhaustedAfter);
    }

    private void print(Row r) {
        String head = String.format(Locale.ROOT, "%-16s %2d %2d %4s  %-7s", r.program(), r.depth(), r.tasks(),
                r.steps() == null ? "-" : r.steps().toString(), r.strategy());
        if (!r.available()) {
            out.println(head + "    n/a (not a strategy in this build)");
            return;
        }
        String over = ">" + budget;
        out.printf(Locale.ROOT, "%s %6s %8s %7s %,9.0f %10s%n", head, r.found() + "/" + r.blocks(),
                r.medianExecutions() != null ? trim(r.medianExecutions())
                        : r.exhaustedAfter() != null ? "all " + r.exhaustedAfter() : over,
                r.worstExecutions() != null ? r.worstExecutions().toString()
                        : r.exhaustedAfter() != null ? "clean" : over,
                r.executionsPerSecond() == null ? 0.0 : r.executionsPerSecond(),
                r.pctBound() == null ? "" : String.format(Locale.ROOT, "%,d", r.pctBound()));
        if (r.otherFailures() > 0) {
            out.printf(Locale.ROOT, "    %d block(s) ended with another failure, first: %s%n", r.otherFailures(),
                    r.otherFailure());
        }
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static long pow(long base, int exp) {
        long r = 1;
        for (int i = 0; i < exp; i++) {
            r *= base;
        }
        return r;
    }
}

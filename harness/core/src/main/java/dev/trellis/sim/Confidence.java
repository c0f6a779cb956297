package dev.trellis.sim;

import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a PCT exploration promises about the bugs it did not find. PCT's guarantee (Burckhardt et
 * al., ASPLOS 2010): an execution whose change points are drawn over at least n choices, in a
 * program that offers at most n choices among at most k tasks, finds a given bug of depth d with
 * probability at least {@code p = 1/(k n^(d-1))} (the paper names them the other way round, n
 * threads and k steps, and writes 1/(n k^(d-1)): the exponent goes on the steps); N such
 * executions, drawn independently, all miss it with probability at most {@code (1 - p)^N}.
 *
 * <p>n and k are measured, not known: they are the most any execution of the exploration
 * reached, so the figures hold if the schedules not tried are no longer and no wider than those
 * tried. A choice is a step at which two or more tasks were ready; a task counts when it was
 * ready at one of them. An execution whose change points were drawn over fewer than n choices (a
 * {@code pct:D:K} with K below n, or an adaptive PCT before it had seen the longest execution)
 * promises nothing for a bug late in a long one, and is not counted in {@link #covered}.
 *
 * {@snippet :
 * Simulation.Exploration e = Simulation.explore(body, 0, 1_000, SimConfig.defaults().withStrategy("pct:2"));
 * e.confidence().ifPresent(c -> System.out.println(c.summary()));
 * }
 *
 * @param depth        d, the bug depth the exploration's PCT was set for
 * @param choices      n, the most choices one execution offered
 * @param tasks        k, the most tasks of one execution that were ready at one of its choices or
 *                     more (not at once: every task that competed at some point)
 * @param range        K, the fewest choices a covered execution drew its change points over: n for
 *                     {@code pct:D}, K for {@code pct:D:K} when K is at least n (and n when no
 *                     execution is covered); p is the bound at K, as PCT's change points are
 *                     drawn over K choices whatever the execution's length
 * @param executions   N, the executions run
 * @param covered      the executions whose change points were drawn over at least n choices (at
 *                     depth 1, which has none, every execution): the bound holds for these
 * @param perExecution p = 1/(k K^(d-1)), the least chance one covered execution finds a given bug of
 *                     depth d (1 when the program offered no choice: its one schedule ran)
 * @param missed       the most the chance can be that every covered execution missed it: the
 *                     product of (1 - p_i) over them, each p_i with the range its change points
 *                     were drawn over; 1 when none is covered
 */
public record Confidence(int depth, long choices, int tasks, long range, long executions, long covered,
                         double perExecution, double missed) {

    /**
     * From what a PCT saw: the most choices and tasks of one execution, and how many executions drew
     * their change points over each range of choices. Public so that explorations run in slices (on
     * several threads or machines) can add their figures up and state the bound once.
     */
    public static Confidence of(int depth, long choices, int tasks, SortedMap<Long, Long> ranges) {
        long executions = 0;
        long covered = 0;
        long range = 0;
        double logMissed = 0;
        for (Map.Entry<Long, Long> e : ranges.entrySet()) {
            executions += e.getValue();
            // Depth 1 has no change point: the range they would be drawn over does not matter.
            if (depth == 1 || e.getKey() >= choices) {
                range = range == 0 ? e.getKey() : range;   // ranges ascend: the first covered is the fewest
                covered += e.getValue();
                // StrictMath: the same digits in every JVM, since the summary prints them.
                logMissed += e.getValue() * StrictMath.log1p(-bound(depth, e.getKey(), tasks));
            }
        }
        // Depth 1 draws no change point, so its bound does not depend on a range: n stands for it.
        range = range == 0 || depth == 1 || choices == 0 ? choices : range;
        // With no choice at all there is one schedule: once it ran, nothing is left to miss.
        double missed = choices == 0 ? (executions > 0 ? 0 : 1) : StrictMath.exp(logMissed);
        return new Confidence(depth, choices, tasks, range, executions, covered, bound(depth, range, tasks), missed);
    }

    /** 1/(k n^(d-1)); with no choice at all there is one schedule, and it ran. */
    private static double bound(int depth, long choices, int tasks) {
        if (choices == 0) {
            return 1;
        }
        return 1 / (Math.max(tasks, 1) * StrictMath.pow(choices, depth - 1));
    }

    /** 1/p = k K^(d-1): how many covered executions PCT needs, on average at worst, to find a given bug of depth d. */
    public double expectedExecutions() {
        return 1 / perExecution;
    }

    /**
     * How many covered executions in all bring {@link #missed} to at most {@code chance}, a value in
     * (0, 1): the least N with (1 - p)^N at most {@code chance}.
     */
    public long executionsFor(double chance) {
        if (!(chance > 0 && chance < 1)) {
            throw new IllegalArgumentException("chance must be in (0, 1), was [" + chance + "]");
        }
        if (perExecution >= 1) {
            return 1;
        }
        return (long) Math.ceil(StrictMath.log(chance) / StrictMath.log1p(-perExecution));
    }

    /** One paragraph, for people: n, k, d, p, what the executions run promise, and how many more would promise more. */
    public String summary() {
        if (choices == 0) {
            return bound();
        }
        StringBuilder sb = new StringBuilder(bound()).append(' ');
        if (covered == 0) {
            sb.append("None of the ").append(executions).append(" executions drew its change points over all ")
                    .append(choices).append(" choices, so they promise nothing about such a bug; run more (pct:")
                    .append(depth).append(" learns n), or give K of at least ").append(choices).append('.');
            return sb.toString();
        }
        sb.append(String.format(Locale.ROOT, "%s drew change points over all n choices: the chance that they "
                        + "all missed such a bug is at most %s", covered == executions ? "All " + executions + " executions"
                        : covered + " of " + executions + " executions", percent(missed)));
        long forOnePercent = executionsFor(0.01);
        if (covered < forOnePercent) {
            sb.append(String.format(Locale.ROOT, " (%d covered executions would make it 1 %%)", forOnePercent));
        }
        return sb.append('.').toString();
    }

    /** The first sentence of {@link #summary()}: n, k, d and p, without what the executions promise. */
    public String bound() {
        if (choices == 0) {
            return "PCT for depth " + depth + ": no execution offered a choice (a step with two or more tasks "
                    + "ready), so there is one schedule, and it ran.";
        }
        String n = range == choices ? "n" : "K";
        String formula = depth == 1 ? "1/k" : depth == 2 ? "1/(k " + n + ")" : "1/(k " + n + "^" + (depth - 1) + ")";
        String each = depth == 1 || covered == executions ? "each" : "each covered one (change points drawn over at "
                + "least n choices: " + covered + " of " + executions + ")";
        return String.format(Locale.ROOT, "PCT for depth %d: executions offered up to n = %d choices (steps with two "
                        + "or more tasks ready) among k = %d tasks, %sso %s finds a given depth-%d bug with "
                        + "probability p >= %s = %s.", depth, choices, tasks,
                range == choices ? "" : "with change points drawn over K = " + range + " choices, ", each, depth, formula,
                reciprocal(perExecution));
    }

    /** "1/5476" for a p that is one over a whole number, as PCT's bound is. */
    private static String reciprocal(double p) {
        double r = 1 / p;
        return r < 1e15 ? String.format(Locale.ROOT, "1/%.0f", r) : String.format(Locale.ROOT, "%.3g", p);
    }

    private static String percent(double x) {
        return x >= 1e-3 ? String.format(Locale.ROOT, "%.1f %%", 100 * x) : String.format(Locale.ROOT, "%.2g %%", 100 * x);
    }

    @Override
    public String toString() {
        return summary();
    }
}

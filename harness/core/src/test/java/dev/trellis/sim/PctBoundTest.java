package dev.trellis.sim;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PCT keeps its promise: over many seeds, a bug of depth d is hit at least as often as
 * 1/(k n^(d-1)) says, n and k being what the exploration itself measured (see {@link Confidence}).
 *
 * <p>The check is a one-sided binomial test at 99.9 %: hits must be at least the smallest count
 * that a PCT meeting the bound exactly would fall below in no more than 1 seed block in 1,000.
 * Seeds are fixed and runs deterministic, so each test passes or fails the same way every time;
 * the 99.9 % is the chance that a correct PCT passes with the seeds chosen, taken when the test was
 * written. Each program gets enough seeds that the bound alone expects about 40 hits: the
 * threshold is then about 22, so a PCT that reaches only a fraction of the bound fails, while
 * one that meets it passes with room. The fixed K = 1,000 PCT this replaced hit the depth-2
 * program 70 times less often (10 in 20,000 executions) and the depth-3 one never in 20,000, and
 * failed both. Depth 1 draws no change point, so K never mattered there; that test fails instead
 * if tasks born mid-execution rank below the others. The tests take about 3 s together.
 */
class PctBoundTest {
    private static final double ALPHA = 0.001;

    /** Hits counted by execution, the first apart: it drew over a default range, not a learnt one. */
    private record Count(Simulation.Exploration exploration, long hits, long hitsAfterFirst) {
        Confidence confidence() {
            return exploration.confidence().orElseThrow();
        }
    }

    private static Count explore(DepthPrograms.Program program, String spec, long seeds) {
        long[] runs = {0};
        long[] hits = {0, 0};
        Simulation.Exploration e = Simulation.explore(() -> {
            boolean first = runs[0]++ == 0;
            program.run(() -> {
                hits[0]++;
                hits[1] += first ? 0 : 1;
            });
        }, 0, seeds, SimConfig.defaults().withStrategy(spec));
        assertThat(e.ok()).as("no execution may fail: hits are counted, not thrown").isTrue();
        assertThat(e.executions()).isEqualTo(seeds);
        return new Count(e, hits[0], hits[1]);
    }

    /**
     * The least count a Binomial(n, p) variable reaches with probability above 1 - ALPHA: fewer
     * hits than this reject "the hit rate is at least p" at 99.9 %.
     */
    static long threshold(long n, double p) {
        double logPmf = n * Math.log1p(-p);
        double cdf = 0;
        for (long t = 0; t <= n; t++) {
            cdf += Math.exp(logPmf);
            if (cdf > ALPHA) {
                return t;
            }
            logPmf += Math.log(n - t) - Math.log(t + 1) + Math.log(p) - Math.log1p(-p);
        }
        return n;
    }

    /**
     * Hits among the executions the bound covers must clear the threshold. Counted strictly: the
     * first execution is left out, and every execution not covered is taken to have hit.
     */
    private static void assertMeetsTheBound(Count c) {
        Confidence conf = c.confidence();
        long uncovered = conf.executions() - conf.covered();
        long counted = c.hitsAfterFirst() - uncovered;
        long needed = threshold(conf.covered(), conf.perExecution());
        assertThat(counted).as(String.format(Locale.ROOT,
                "hits %d of %d executions (%d covered, rate %.4f) against the bound p = %.5f (n = %d, k = %d, d = %d): "
                        + "at least %d needed", c.hits(), conf.executions(), conf.covered(),
                c.hits() / (double) conf.executions(), conf.perExecution(), conf.choices(), conf.tasks(), conf.depth(),
                needed)).isGreaterThanOrEqualTo(needed);
    }

    @Test
    void aDepthOneBugIsHitAtLeastOnceInKExecutions() {
        // Three tasks, the writer born mid-execution: the bug needs the reader below both others.
        Count c = explore(hit -> DepthPrograms.writeBeforeRead(5, hit), "pct:1", 120);
        assertThat(c.confidence().tasks()).isEqualTo(3);
        assertMeetsTheBound(c);
    }

    @Test
    void aDepthTwoBugIsHitAtLeastOnceInKNExecutions() {
        // Three tasks (a, b, one noise task), about 14 choices: the bound is about 1/42.
        Count c = explore(hit -> DepthPrograms.lookInsideWindow(8, 1, 4, hit), "pct:2", 1_700);
        assertThat(c.confidence().tasks()).isEqualTo(3);
        assertThat(c.confidence().choices()).isBetween(8L, 14L);
        assertMeetsTheBound(c);
    }

    @Test
    void aDepthThreeBugIsHitAtLeastOnceInKNSquaredExecutions() {
        // Three tasks (a, b, one noise task), about 13 choices: the bound is about 1/507.
        Count c = explore(hit -> DepthPrograms.crossingWindows(4, 1, 3, hit), "pct:3", 20_000);
        assertThat(c.confidence().tasks()).isEqualTo(3);
        assertThat(c.confidence().choices()).isBetween(8L, 14L);
        assertMeetsTheBound(c);
    }

    /**
     * The check has teeth: a PCT whose change points are drawn over far more choices than the
     * execution has (K = 1,000, the old fixed default) rarely preempts inside it, and fails the
     * same check against the bound for the program's real n.
     */
    @Test
    void theCheckRejectsAPctWhoseChangePointsMostlyMissTheExecution() {
        Count learnt = explore(hit -> DepthPrograms.lookInsideWindow(8, 1, 4, hit), "pct:2", 1_700);
        Count wide = explore(hit -> DepthPrograms.lookInsideWindow(8, 1, 4, hit), "pct:2:1000", 1_700);
        Confidence conf = learnt.confidence();
        assertThat(wide.hits()).isLessThan(threshold(wide.exploration().executions(), conf.perExecution()));
    }
}

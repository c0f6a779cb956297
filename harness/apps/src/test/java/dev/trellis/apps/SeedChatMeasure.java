package dev.trellis.apps;

import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;

import java.util.Arrays;
import java.util.List;

/**
 * Figures, not a test: for each of the seed chat's bugs ({@link SeedChatBugs}) and each strategy,
 * the executions to the first failure in 20 independent seed blocks of at most 5,000, and their
 * median. A block that fails with something other than the bug is counted as a miss and said so;
 * then 5,000 executions of the bug's twin without it, which must not fail.
 * From {@code harness/apps/} after {@code mvn -B -q test-compile} in the repository root:
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp target/classes:target/test-classes:../core/target/classes:../core/target/test-classes \
 *     dev.trellis.apps.SeedChatMeasure random pct:1 pct:2 pct:3
 * </pre>
 */
public final class SeedChatMeasure {
    private static final int BLOCKS = 20;
    private static final long PER_BLOCK = 5_000;

    public static void main(String[] args) {
        List<String> specs = args.length > 0 ? List.of(args) : List.of("random", "pct:1", "pct:2", "pct:3");
        for (SeedChatBugs.Bug bug : SeedChatBugs.all()) {
            for (String spec : specs) {
                long[] firsts = new long[BLOCKS];
                int missed = 0;
                int other = 0;
                for (int b = 0; b < BLOCKS; b++) {
                    Simulation.Exploration e = Simulation.explore(bug.buggy(), b * 1_000_000L, PER_BLOCK,
                            SimConfig.defaults().withStrategy(spec));
                    boolean hit = !e.ok() && e.last().failure() == null && bug.isTheBug().test(e.last().bodyFailure());
                    if (!e.ok() && !hit) {
                        other++;
                    }
                    if (!hit) {
                        missed++;
                    }
                    firsts[b] = hit ? e.executions() : Long.MAX_VALUE;
                }
                Arrays.sort(firsts);
                long median = firsts[BLOCKS / 2 - 1];   // the lower median: found within it in half the blocks
                System.out.printf("%-26s %-7s median %s, sorted %s%s%n", bug.name(), spec,
                        median == Long.MAX_VALUE ? "> " + PER_BLOCK : String.valueOf(median),
                        Arrays.toString(Arrays.stream(firsts).map(f -> f == Long.MAX_VALUE ? -1 : f).toArray()),
                        missed == 0 ? "" : " (" + missed + " missed" + (other > 0 ? ", " + other + " failed otherwise" : "") + ")");
                // The twin without the bug must not fail: a check that fires on it proves nothing.
                System.out.printf("%-26s %-7s twin without the bug: %s%n", "", spec,
                        Simulation.explore(bug.clean(), 0, PER_BLOCK, SimConfig.defaults().withStrategy(spec)).summary());
            }
        }
    }
}

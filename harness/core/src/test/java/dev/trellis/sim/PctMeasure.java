package dev.trellis.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Figures, not a test: how often each {@link DepthPrograms} program's bug is hit, and how many
 * executions each strategy needs to find it, over 20 seed blocks of at most 5,000 executions.
 * From {@code harness/core/} after {@code mvn -B -q test-compile} in the repository root:
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp target/classes:target/test-classes \
 *     dev.trellis.sim.PctMeasure first random pct:1 pct:2 pct:3     # or: rate ...
 * </pre>
 */
public final class PctMeasure {
    private static final int BLOCKS = 20;
    private static final long PER_BLOCK = 5_000;
    private static final long RATE_EXECUTIONS = 20_000;

    private record Named(String name, DepthPrograms.Program program) {}

    private static List<Named> programs() {
        return List.of(
                new Named("d1 writeBeforeRead(5)", hit -> DepthPrograms.writeBeforeRead(5, hit)),
                new Named("d2 lookInsideWindow(8,1,4)", hit -> DepthPrograms.lookInsideWindow(8, 1, 4, hit)),
                new Named("d2 lookInsideWindow(20,2,5)", hit -> DepthPrograms.lookInsideWindow(20, 2, 5, hit)),
                new Named("d3 crossingWindows(4,1,3)", hit -> DepthPrograms.crossingWindows(4, 1, 3, hit)),
                new Named("d3 crossingWindows(8,2,4)", hit -> DepthPrograms.crossingWindows(8, 2, 4, hit)));
    }

    public static void main(String[] args) {
        boolean rate = args.length == 0 || args[0].equals("rate");
        List<String> specs = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("random", "pct:1", "pct:2", "pct:3");
        for (Named p : programs()) {
            for (String spec : specs) {
                System.out.println(rate ? rate(p, spec) : first(p, spec));
            }
        }
    }

    /** Hits over one exploration, and for PCT the n, k and 1/p it measured. */
    private static String rate(Named p, String spec) {
        long[] hits = {0};
        Simulation.Exploration e = Simulation.explore(() -> p.program().run(() -> hits[0]++), 0, RATE_EXECUTIONS,
                SimConfig.defaults().withStrategy(spec));
        return String.format(Locale.ROOT, "%-28s %-8s hits %5d / %d = %.4f  %s", p.name(), spec, hits[0],
                e.executions(), hits[0] / (double) e.executions(), e.confidence()
                        .map(c -> String.format(Locale.ROOT, "n=%d k=%d 1/p=%.0f", c.choices(), c.tasks(), c.expectedExecutions()))
                        .orElse(""));
    }

    /** Executions to the first failure in each seed block: how many blocks found it, the median, the worst. */
    private static String first(Named p, String spec) {
        List<Long> found = new ArrayList<>();
        for (int b = 0; b < BLOCKS; b++) {
            Simulation.Exploration e = Simulation.explore(DepthPrograms.failing(p.program()), b * 1_000_000L, PER_BLOCK,
                    SimConfig.defaults().withStrategy(spec));
            found.add(e.ok() ? Long.MAX_VALUE : e.executions());
        }
        found.sort(null);
        long hits = found.stream().filter(n -> n != Long.MAX_VALUE).count();
        return String.format(Locale.ROOT, "%-28s %-8s found %2d/%d  median %s  worst %s", p.name(), spec, hits, BLOCKS,
                show(found.get(BLOCKS / 2 - 1), found.get(BLOCKS / 2)), show(found.getLast(), found.getLast()));
    }

    private static String show(long a, long b) {
        if (b == Long.MAX_VALUE) {
            return ">" + PER_BLOCK;
        }
        return (a + b) % 2 == 0 ? Long.toString((a + b) / 2) : String.format(Locale.ROOT, "%.1f", (a + b) / 2.0);
    }
}

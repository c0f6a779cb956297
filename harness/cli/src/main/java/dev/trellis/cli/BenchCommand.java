package dev.trellis.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.trellis.cli.bugs.BugBench;
import dev.trellis.cli.bugs.Subject;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Measures the simulator: executions per second and scheduling decisions (steps) per second for
 * each workload, tracing on, invariants checked. Each workload is warmed up, then measured in
 * several timed rounds; the median round is reported.
 *
 * <p>With {@code --strategies} it measures the strategies instead: how many executions each
 * needs to find each bug of the {@link StrategyCorpus} ({@link StrategyBench}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure simulator throughput (executions/s, decisions/s) and print a table; with "
                + "--strategies, how fast each strategy finds each bug of a corpus of known-depth programs; with "
                + "--bugs, every known bug under Trellis, a stress loop and Lincheck's model checker.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
    File json;

    @Option(names = "--seconds", description = "Length of each measured round (default: 2); with --bugs, the wall-time "
            + "budget per subject for each Trellis seed block, stress loop and Lincheck run (default: "
            + BUGS_SECONDS + ").")
    Double seconds;

    @Option(names = "--rounds", defaultValue = "5", description = "Measured rounds per workload (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--only", paramLabel = "NAME", description = "Run only workloads (with --strategies: programs; "
            + "with --bugs: subjects, such as racy-channel or seed-chat/) whose name starts with NAME.")
    String only;

    @Option(names = "--strategies", description = "Measure bug finding instead: each corpus program x each strategy "
            + "x --blocks seed blocks.")
    boolean strategies;

    @Option(names = "--blocks", defaultValue = "20", description = "With --strategies or --bugs: independent seed blocks per "
            + "program and strategy (default: ${DEFAULT-VALUE}).")
    int blocks;

    @Option(names = "--budget", description = "With --strategies or --bugs: executions a block may run before it counts "
            + "as a miss (default: 5000; with --bugs " + BUGS_BUDGET + ").")
    Long budget;

    @Option(names = "--bugs", description = "Compare tools on known bugs: each subject on Trellis (each strategy x "
            + "--blocks seed blocks, every failure replayed), in a stress loop on platform threads, and under Lincheck's "
            + "model checker, with the same wall-time budget; prints a Markdown table.")
    boolean bugs;

    @Option(names = "--specs", split = ",", paramLabel = "SPEC", description = "With --strategies or --bugs: the strategies to "
            + "compare (default: random,pct:1,pct:2,pct:3,pos,dfs:2); one this build does not know is shown as n/a.")
    List<String> specs;

    @Option(names = "--strategy", defaultValue = "random", description = "Strategy spec (default: ${DEFAULT-VALUE}).")
    String strategy;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Figures(String name, String description, Double executionsPerSecond, Double decisionsPerSecond,
                   Double decisionsPerExecution, Long executions, Double roundTripsPerSecond) {}

    /** Defaults for --bugs: the whole run takes about three to four minutes on two cores. */
    static final double BUGS_SECONDS = 5;
    static final long BUGS_BUDGET = 2_000;

    @Override
    public Integer call() throws Exception {
        if (bugs) {
            return bugBench();
        }
        if (strategies) {
            return strategyBench();
        }
        double seconds = this.seconds == null ? 2 : this.seconds;
        SimConfig config = SimConfig.defaults().withStrategy(strategy);
        List<Figures> results = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%-14s %16s %16s %14s %12s%n", "workload", "executions/s", "decisions/s",
                "decisions/exec", "executions");
        for (Workloads.Workload w : Workloads.all()) {
            if (only != null && !w.name().startsWith(only)) {
                continue;
            }
            Figures f = measure(w, config, seconds);
            results.add(f);
            System.out.printf(Locale.ROOT, "%-14s %,16.0f %,16.0f %14.1f %,12d%n", f.name(), f.executionsPerSecond(),
                    f.decisionsPerSecond(), f.decisionsPerExecution(), f.executions());
        }
        if (only == null || LOOPBACK.startsWith(only)) {
            Figures f = measureLoopback();
            results.add(f);
            System.out.printf(Locale.ROOT, "%-14s %,16.0f round trips/s (real TCP, 100 connections x 100 round trips)%n",
                    f.name(), f.roundTripsPerSecond());
        }
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("jvm", Runtime.version().toString());
            doc.put("cores", Runtime.getRuntime().availableProcessors());
            doc.put("strategy", strategy);
            doc.put("workloads", results);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json, doc);
            System.out.println("wrote " + json);
        }
        return 0;
    }

    private static final String LOOPBACK = "loopback-echo";

    private int strategyBench() throws Exception {
        List<StrategyCorpus.Program> programs = new ArrayList<>();
        List<StrategyCorpus.Program> candidates = new ArrayList<>(StrategyCorpus.bugs());
        candidates.add(StrategyCorpus.lockedCounter());
        for (StrategyCorpus.Program p : candidates) {
            if (only != null && !p.name().startsWith(only)) {
                continue;
            }
            programs.add(p);
        }
        List<String> compared = specs == null ? StrategyBench.DEFAULT_SPECS : specs;
        for (String spec : compared) {
            try {
                SimConfig.defaults().withStrategy(spec);
            } catch (IllegalArgumentException e) {
                // A typo must not read as a strategy missing from this build on every row.
                System.err.println("--specs: " + e.getMessage());
                return 2;
            }
        }
        List<StrategyBench.Row> rows = new StrategyBench(blocks, budget == null ? 5000 : budget, System.out).run(programs, compared);
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("jvm", Runtime.version().toString());
            doc.put("cores", Runtime.getRuntime().availableProcessors());
            doc.put("blocks", blocks);
            doc.put("budget", budget == null ? 5000 : budget);
            doc.put("blockStride", StrategyBench.BLOCK_STRIDE);
            doc.put("rows", rows);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json, doc);
            System.out.println("wrote " + json);
        }
        return 0;
    }

    private Figures measureLoopback() throws Exception {
        LoopbackEcho.run(100, 100);   // warm-up
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long ns = LoopbackEcho.run(100, 100);
            rates[r] = 10_000 / (ns / 1e9);
        }
        return new Figures(LOOPBACK, "real TCP on loopback, the real runtime: 100 connections x 100 round trips of "
                + "16 bytes to an echo server", null, null, null, null, median(rates));
    }

    private int bugBench() throws Exception {
        List<String> compared = specs == null ? StrategyBench.DEFAULT_SPECS : specs;
        for (String spec : compared) {
            try {
                SimConfig.defaults().withStrategy(spec);
            } catch (IllegalArgumentException e) {
                return Cli.bad("--specs: " + e.getMessage());
            }
        }
        List<Subject> corpus = new ArrayList<>();
        for (StrategyCorpus.Program p : StrategyCorpus.bugs()) {
            corpus.add(Subject.of(p.name(), "StrategyCorpus", p.description(), p.body(), p::shows));
        }
        BugBench bench;
        List<BugBench.Row> rows;
        try {
            bench = new BugBench(blocks, StrategyBench.BLOCK_STRIDE, budget == null ? BUGS_BUDGET : budget,
                    seconds == null ? BUGS_SECONDS : seconds, true);
            rows = bench.run(corpus, compared, only, System.out);
        } catch (IllegalArgumentException e) {
            return Cli.bad(e.getMessage());
        }
        if (json != null) {
            bench.writeJson(json, rows, compared);
            System.out.println("wrote " + json);
        }
        if (!BugBench.everyFailureReplayed(rows)) {
            System.err.println("trellis bench: a failure Trellis found did not replay with its trace hash (see the "
                    + "replays column): that is a bug in Trellis's determinism; please report it with the table");
            return 1;
        }
        return 0;
    }

    private Figures measure(Workloads.Workload w, SimConfig config, double seconds) {
        long seed = 1;
        // Warm-up: let the JIT compile the driver loop and the workload.
        long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warmEnd) {
            seed += batch(w, seed, config).executions();
        }
        double[] execRates = new double[rounds];
        double[] stepRates = new double[rounds];
        long totalExec = 0;
        long totalSteps = 0;
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long exec = 0;
            long steps = 0;
            long now;
            do {
                Simulation.Exploration e = batch(w, seed, config);
                seed += e.executions();
                exec += e.executions();
                steps += e.totalSteps();
                now = System.nanoTime();
            } while (now < end);
            double secs = (now - start) / 1e9;
            execRates[r] = exec / secs;
            stepRates[r] = steps / secs;
            totalExec += exec;
            totalSteps += steps;
        }
        return new Figures(w.name(), w.description(), median(execRates), median(stepRates),
                (double) totalSteps / totalExec, totalExec, null);
    }

    private static Simulation.Exploration batch(Workloads.Workload w, long seed, SimConfig config) {
        // A batch runs many executions on one driver thread; explore stops at the first failure.
        Simulation.Exploration e = Simulation.explore(w.body(), seed, 200, config);
        if (!e.ok()) {
            e.orThrow();
        }
        return e;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}

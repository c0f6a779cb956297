package dev.trellis.explore;

import dev.trellis.report.ExecutionReport;
import dev.trellis.scenario.Outcome;
import dev.trellis.scenario.ScenarioPlan;
import dev.trellis.sim.Result;
import dev.trellis.sim.Schedule;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.trace.Trace;
import dev.trellis.trace.TraceKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Explores one scenario's seeds. Executions are independent of each other: each seed's result is
 * a function of the scenario, the seed and the strategy's spec alone, never of which seeds ran
 * before it, so seeds can be split over threads and machines and the summaries merged
 * ({@link ScenarioSummary#merge}). The one strategy that learns across executions, an adaptive
 * {@code pct:D}, is calibrated first to a fixed {@code pct:D:K} ({@link #resolveStrategy}).
 */
public final class ScenarioRunner {
    /** Seeds the PCT calibration runs (with {@code random}), from the scenario's first seed. */
    public static final int CALIBRATION_SEEDS = 4;

    private ScenarioRunner() {}

    /**
     * How to run: {@code seeds} and {@code strategy} override the file's when not null;
     * {@code keepGoing} runs every seed even after a failure (by default the run stops at the
     * first); at most {@code maxReports} failing executions get a report.
     */
    public record Options(Long firstSeed, Long seeds, String strategy, boolean keepGoing, int maxReports) {
        public static Options defaults() {
            return new Options(null, null, null, false, 3);
        }

        /** Start at seed {@code first} instead of the file's first seed (a slice of its seeds). */
        public Options withFirstSeed(Long first) {
            return new Options(first, seeds, strategy, keepGoing, maxReports);
        }

        public Options withSeeds(Long n) {
            return new Options(firstSeed, n, strategy, keepGoing, maxReports);
        }

        public Options withStrategy(String s) {
            return new Options(firstSeed, seeds, s, keepGoing, maxReports);
        }

        public Options withKeepGoing(boolean k) {
            return new Options(firstSeed, seeds, strategy, k, maxReports);
        }
    }

    /** Where failing executions' reports go: writes one and says where, or returns null for none. */
    @FunctionalInterface
    public interface ReportSink {
        String write(ExecutionReport report);

        ReportSink NONE = r -> null;
    }

    /** Told after every execution; called on the thread that ran it. */
    @FunctionalInterface
    public interface Progress {
        void update(String scenario, long done, long total, long failures, long elapsedNanos);

        Progress NONE = (s, d, t, f, e) -> { };
    }

    /** Runs {@code plan}'s seeds as {@code options} say. */
    public static ScenarioSummary run(ScenarioPlan plan, Options options, ReportSink sink, Progress progress) {
        long first = options.firstSeed() != null ? options.firstSeed() : plan.scenario().explore().firstSeed();
        long count = options.seeds() != null ? options.seeds() : plan.scenario().explore().seeds();
        String strategy = resolveStrategy(plan, options.strategy() != null ? options.strategy() : plan.config().strategy());
        SimConfig config = plan.config().withStrategy(strategy);
        ScenarioPlan.Execution exec = plan.newExecution();

        TreeSet<Long> hashes = new TreeSet<>();
        List<Long> failingSeeds = new ArrayList<>();
        long[] digest = {0};
        long[] failures = {0};
        int[] reports = {0};
        ScenarioSummary.Failure[] firstFailure = {null};
        long started = System.nanoTime();   // the wall clock, for executions per second only
        Simulation.Exploration e = Simulation.explore(exec.body(), first, count, config, r -> {
            hashes.add(r.traceHash());
            digest[0] += ScenarioSummary.digestOf(r.seed(), r.traceHash());
            if (!r.ok()) {
                failures[0]++;
                if (failingSeeds.size() < ScenarioSummary.MAX_SEEDS_LISTED) {
                    failingSeeds.add(r.seed());
                }
                Outcome o = Outcome.of(r);
                String where = null;
                if (reports[0] < options.maxReports()) {
                    reports[0]++;
                    where = sink.write(report(plan, r, o, exec, strategy));
                }
                if (firstFailure[0] == null) {
                    firstFailure[0] = new ScenarioSummary.Failure(r.seed(), o.toString(), o.is(plan.expected()), o.headline(),
                            r.schedule().text(), r.traceHashHex(), where);
                }
            }
            progress.update(plan.name(), r.seed() - first + 1, count, failures[0], System.nanoTime() - started);
            return r.ok() || options.keepGoing();
        });
        long wall = System.nanoTime() - started;
        String pct = e.confidence().map(c -> c.summary()).orElse(null);
        return new ScenarioSummary(plan.name(), Objects.toString(plan.loaded().file(), null), plan.expected(), strategy,
                first, count, e.executions(), e.totalSteps(), hashes, digest[0], failures[0], failingSeeds,
                firstFailure[0], pct, e.executions() < count && !e.exhausted(), wall);
    }

    /**
     * The strategy every seed runs with: {@code spec} itself, except an adaptive {@code pct} or
     * {@code pct:D}, which learns K (the choices its change points are drawn over) from the
     * executions before and so would make a seed's schedule depend on the seeds run before it. It
     * becomes {@code pct:D:K}, K being the most choices (steps with two or more tasks ready) any of
     * the first {@value #CALIBRATION_SEEDS} seeds offers under {@code random}: the same K for every
     * slice of the seeds, on every machine.
     */
    public static String resolveStrategy(ScenarioPlan plan, String spec) {
        String s = spec.strip();
        if (!(s.equals("pct") || (s.startsWith("pct:") && s.split(":", -1).length == 2))) {
            return s;
        }
        int depth = s.equals("pct") ? 3 : Integer.parseInt(s.substring(4));
        long[] most = {1};
        Simulation.explore(plan.newExecution().body(), plan.scenario().explore().firstSeed(), CALIBRATION_SEEDS,
                plan.config().withStrategy("random"), r -> {
                    most[0] = Math.max(most[0], choices(r.trace()));
                    return true;
                });
        return "pct:" + depth + ":" + most[0];
    }

    /** Runs one seed of {@code plan} with {@code strategy} (already resolved), for replay. */
    public static Replayed runOne(ScenarioPlan plan, long seed, String strategy) {
        ScenarioPlan.Execution exec = plan.newExecution();
        Result r = Simulation.run(exec.body(), new Schedule(seed, plan.config().withStrategy(strategy)));
        return new Replayed(r, Outcome.of(r), report(plan, r, Outcome.of(r), exec, strategy));
    }

    /**
     * Runs {@code schedule} (a recorded execution's) on {@code plan}, judged by the plan's rules.
     */
    public static Replayed runOne(ScenarioPlan plan, Schedule schedule) {
        ScenarioPlan.Execution exec = plan.newExecution();
        Schedule s = new Schedule(schedule.seed(), schedule.config().withInvariants(plan.config().invariants()));
        Result r = Simulation.run(exec.body(), s);
        return new Replayed(r, Outcome.of(r), report(plan, r, Outcome.of(r), exec, schedule.strategy()));
    }

    /** One execution run again: its result, outcome and the report it would write. */
    public record Replayed(Result result, Outcome outcome, ExecutionReport report) {}

    private static long choices(Trace t) {
        long n = 0;
        for (int i = 0; i < t.size(); i++) {
            if (t.kind(i) == TraceKind.STEP && t.a(i) > 1) {
                n++;
            }
        }
        return n;
    }

    private static final Pattern AT_EVENT = Pattern.compile("At event:\\s+#(\\d+)");

    private static ExecutionReport report(ScenarioPlan plan, Result r, Outcome o, ScenarioPlan.Execution exec,
                                          String strategy) {
        String message;
        if (r.ok()) {
            message = "";
        } else {
            try {
                r.orThrow();
                message = "";
            } catch (AssertionError f) {
                message = f.getMessage();
            }
        }
        Matcher m = AT_EVENT.matcher(message);
        int event = m.find() ? Integer.parseInt(m.group(1)) : -1;
        return new ExecutionReport(plan.name(), Objects.toString(plan.loaded().file(), null), plan.loaded().text(),
                r.schedule().text(), r.seed(), plan.expected(), o.is(plan.expected()) ? plan.expected() : o.name(),
                o.headline(), message, event, r.trace(), exec.clients(), replayCommand(plan, r.seed(), strategy));
    }

    /** The command that runs one seed of the scenario again. */
    public static String replayCommand(ScenarioPlan plan, long seed, String strategy) {
        String file = plan.loaded().file() == null ? plan.name() + ".yaml" : plan.loaded().file().toString();
        String own = plan.config().strategy();
        return "./trellis replay " + file + " --seed " + seed + (strategy.equals(own) ? "" : " --strategy " + strategy);
    }
}

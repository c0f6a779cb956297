package dev.trellis.explore;

import dev.trellis.report.ExecutionReport;
import dev.trellis.report.Shrinking;
import dev.trellis.sim.Outcome;
import dev.trellis.scenario.ScenarioException;
import dev.trellis.scenario.ScenarioReader;
import dev.trellis.scenario.ScenarioVariants;
import dev.trellis.scenario.ScenarioWriter;
import dev.trellis.scenario.ScenarioPlan;
import dev.trellis.sim.Result;
import dev.trellis.sim.ScheduleShrinker;
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
    public static final int CALIBRATION_SEEDS = 8;

    private ScenarioRunner() {}

    /**
     * How to run: {@code firstSeed}, {@code seeds} and {@code strategy} override the file's when not
     * null; {@code keepGoing} runs every seed even after a failure (by default the run stops at the
     * lowest failing seed); at most {@code maxReports} failing executions (the lowest seeds) get a
     * report; {@code jobs} threads run seeds at once, with the same result as one.
     */
    public record Options(Long firstSeed, Long seeds, String strategy, boolean keepGoing, int maxReports, int jobs,
                          int shrinkRuns, java.time.Duration shrinkTime) {
        /** Executions shrinking one failure may run by default: a bound every machine reaches alike. */
        public static final int SHRINK_RUNS = 2_000;

        public Options {
            if (jobs < 1) {
                throw new IllegalArgumentException("jobs must be at least 1, was [" + jobs + "]");
            }
            if (shrinkRuns < 0) {
                throw new IllegalArgumentException("shrinkRuns must not be negative, was [" + shrinkRuns + "]");
            }
        }

        public static Options defaults() {
            return new Options(null, null, null, false, 3, 1, SHRINK_RUNS, java.time.Duration.ofSeconds(60));
        }

        /**
         * Shrink each reported failure with at most {@code runs} executions (0: report the failure as
         * found) and {@code time} of wall time, whichever runs out first. The run bound gives every
         * machine the same shrunk execution; the time bound only guards against a slow one, and a
         * report says when either stopped the shrinking.
         */
        public Options withShrinking(int runs, java.time.Duration time) {
            return new Options(firstSeed, seeds, strategy, keepGoing, maxReports, jobs, runs, time);
        }

        /** Start at seed {@code first} instead of the file's first seed (a slice of its seeds). */
        public Options withFirstSeed(Long first) {
            return new Options(first, seeds, strategy, keepGoing, maxReports, jobs, shrinkRuns, shrinkTime);
        }

        public Options withSeeds(Long n) {
            return new Options(firstSeed, n, strategy, keepGoing, maxReports, jobs, shrinkRuns, shrinkTime);
        }

        public Options withStrategy(String s) {
            return new Options(firstSeed, seeds, s, keepGoing, maxReports, jobs, shrinkRuns, shrinkTime);
        }

        public Options withKeepGoing(boolean k) {
            return new Options(firstSeed, seeds, strategy, k, maxReports, jobs, shrinkRuns, shrinkTime);
        }

        /** At most {@code n} failing executions (the lowest seeds) get a report; 0 for none. */
        public Options withMaxReports(int n) {
            return new Options(firstSeed, seeds, strategy, keepGoing, n, jobs, shrinkRuns, shrinkTime);
        }

        public Options withJobs(int n) {
            return new Options(firstSeed, seeds, strategy, keepGoing, maxReports, n, shrinkRuns, shrinkTime);
        }
    }

    /** Where failing executions' reports go: writes one and says where, or returns null for none. */
    @FunctionalInterface
    public interface ReportSink {
        String write(ExecutionReport report);

        ReportSink NONE = r -> null;
    }

    /** Told after every execution; called on the thread that ran it, so it must be thread-safe. */
    @FunctionalInterface
    public interface Progress {
        void update(String scenario, long done, long total, long failures, long elapsedNanos);

        Progress NONE = (s, d, t, f, e) -> { };
    }

    /** Seeds a thread takes at a time: small enough to share the work evenly, large enough to cost nothing. */
    static final int BLOCK = 16;

    /**
     * Runs {@code plan}'s seeds as {@code options} say. The seeds run in blocks of {@value #BLOCK},
     * each block a run of its own that stops at its first failure (unless the run keeps going);
     * blocks are taken in seed order by {@code jobs} threads, a block above a failure already found
     * is skipped, and the blocks' summaries merge in seed order ({@link ScenarioSummary#merge}):
     * the lowest failing seed is the first failure, whichever thread found it first, and the
     * result is the same for any number of jobs.
     */
    public static ScenarioSummary run(ScenarioPlan plan, Options options, ReportSink sink, Progress progress) {
        long first = options.firstSeed() != null ? options.firstSeed() : plan.scenario().explore().firstSeed();
        long count = options.seeds() != null ? options.seeds() : plan.scenario().explore().seeds();
        String strategy = resolveStrategy(plan, options.strategy() != null ? options.strategy() : plan.config().strategy());
        if (options.jobs() > 1 && strategy.startsWith("dfs:")) {
            // A search's executions depend on the ones before it: it runs as one block.
            options = options.withJobs(1);
        }
        Blocks blocks = new Blocks(plan, options, strategy, first, count, progress);
        long started = System.nanoTime();   // the wall clock, for executions per second only
        blocks.runAll();
        ScenarioSummary s = blocks.merged(System.nanoTime() - started);
        return report(plan, options, s, blocks.failing, sink);
    }

    /**
     * Writes the reports of the lowest failing seeds, each shrunk first (a report of what was found,
     * made after the run, so which ones get a report and what they hold depends on the seeds alone,
     * never on which thread found what first), and returns the summary naming the first one's folder.
     */
    private static ScenarioSummary report(ScenarioPlan plan, Options options, ScenarioSummary s,
                                          java.util.Map<Long, String> failing, ReportSink sink) {
        if (s.first() == null || options.maxReports() == 0) {
            return s;
        }
        ScenarioSummary.Failure first = s.first();
        for (long seed : s.failingSeeds().subList(0, Math.min(options.maxReports(), s.failingSeeds().size()))) {
            String where = sink.write(shrunk(plan, Schedule.parse(failing.get(seed)), options));
            if (seed == first.seed()) {
                first = first.withReport(where, plan.classpathOption());
            }
        }
        return new ScenarioSummary(s.scenario(), s.file(), s.expected(), s.strategy(), s.firstSeed(), s.seedsAsked(),
                s.keepGoing(), s.executions(), s.steps(), s.traceHashes(), s.digest(), s.failures(), s.failingSeeds(), first,
                s.pct(), s.wallNanos());
    }

    /**
     * The report of the execution {@code schedule} names, shrunk to the fewest preemptions that
     * keep its outcome ({@link ScheduleShrinker}), unless shrinking is off.
     */
    public static ExecutionReport shrunk(ScenarioPlan plan, Schedule schedule, Options options) {
        Replayed found = runOne(plan, schedule);
        if (options.shrinkRuns() == 0 || found.result().ok()) {
            return found.report();
        }
        java.util.function.Predicate<Result> same = sameFailure(found.outcome());
        int[] left = {options.shrinkRuns()};
        long deadline = System.nanoTime() + options.shrinkTime().toNanos();
        ScheduleShrinker.Shrunk k = ScheduleShrinker.shrink(plan.newExecution().body(), found.result(), same,
                options.shrinkTime(), left[0]);
        left[0] -= k.runs();
        int runs = k.runs();
        String stopped = k.stoppedEarly();

        // Then the scenario: a client, a step or a fault fewer, while some seed near the found one
        // still fails the same way; each smaller scenario's failure is shrunk again.
        ScenarioPlan current = plan;
        Result best = k.result();
        List<String> changes = new ArrayList<>();
        boolean smaller = current.servesClients();
        while (smaller && stopped == null) {
            smaller = false;
            for (ScenarioVariants.Variant v : ScenarioVariants.of(current.scenario())) {
                if (left[0] <= 0 || System.nanoTime() > deadline) {
                    stopped = left[0] <= 0 ? "stopped after " + options.shrinkRuns() + " runs" : "stopped at its time budget";
                    break;
                }
                ScenarioPlan candidate;
                try {
                    String text = ScenarioWriter.write(v.scenario(), "shrunk from " + plan.loaded().file() + " by trellis: "
                            + String.join("; ", concat(changes, v.change())));
                    candidate = ScenarioPlan.of(ScenarioReader.parse(text, plan.loaded().file(), plan.name()), plan.loader());
                } catch (ScenarioException e) {
                    continue;   // not a scenario any more (a client an expect step needs, say)
                }
                Result hit = firstFailing(candidate, found.result(), same, left);
                if (hit != null) {
                    ScheduleShrinker.Shrunk again = ScheduleShrinker.shrink(candidate.newExecution().body(), hit, same,
                            options.shrinkTime(), Math.max(1, left[0]));
                    left[0] -= again.runs();
                    runs += again.runs();
                    current = candidate;
                    best = again.result();
                    changes.add(v.change());
                    smaller = true;
                    break;
                }
            }
        }
        runs = options.shrinkRuns() - left[0];
        Replayed small = current == plan && best == found.result() ? found : runOne(current, best.schedule());
        int[] before = ScenarioVariants.size(plan.scenario());
        int[] after = ScenarioVariants.size(current.scenario());
        return small.report().withShrinking(new Shrinking(found.result().seed(), found.result().schedule().text(),
                found.result().traceHashHex(),
                k.preemptionsBefore(), ScheduleShrinker.preemptions(current.newExecution().body(), small.result()),
                found.result().steps(), small.result().steps(), runs, stopped, before[0], after[0], before[1], after[1],
                changes));
    }

    /**
     * What counts as the same failure while shrinking: the same outcome; for a client's
     * {@code expect}, also the same client expecting the same line (another client's expect failing
     * is another failure, and may be one shrinking made, not the server's).
     */
    static java.util.function.Predicate<Result> sameFailure(Outcome found) {
        String outcome = found.toString();
        String expectation = found.name().equals("expect") ? expectation(found.headline()) : null;
        return r -> {
            Outcome o = Outcome.of(r);
            return o.toString().equals(outcome) && (expectation == null || expectation.equals(expectation(o.headline())));
        };
    }

    /** "alice expected a line equal to [hi]" out of an expect failure's headline. */
    private static String expectation(String headline) {
        String h = headline.startsWith("expect: ") ? headline.substring("expect: ".length()) : headline;
        int within = h.indexOf(" within ");
        return within < 0 ? h : h.substring(0, within);
    }

    /** Seeds a smaller scenario is tried on, from the found seed on, with the found strategy. */
    static final int VARIANT_SEEDS = 16;

    /** The first execution of {@code candidate}, from the found seed on, that fails the same way; or null. */
    private static Result firstFailing(ScenarioPlan candidate, Result found, java.util.function.Predicate<Result> same,
                                       int[] left) {
        String strategy = found.strategy();
        long n = Math.min(VARIANT_SEEDS, left[0]);
        Result[] hit = {null};
        Simulation.explore(candidate.newExecution().body(), found.seed(), n, candidate.config().withStrategy(strategy), r -> {
            left[0]--;
            if (same.test(r)) {
                hit[0] = r;
                return false;
            }
            return true;
        });
        return hit[0];
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }

    /** The blocks of one run, the threads that take them, and what they found. */
    private static final class Blocks {
        private final ScenarioPlan plan;
        private final Options options;
        private final String strategy;
        private final SimConfig config;
        private final long first;
        private final long count;
        private final Progress progress;
        private final boolean oneSearch;
        private final java.util.concurrent.atomic.AtomicLong nextBlock = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong lowestFailure = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        private final java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
        /** The failing seeds' schedules, to report once the run is over. */
        final java.util.concurrent.ConcurrentSkipListMap<Long, String> failing = new java.util.concurrent.ConcurrentSkipListMap<>();
        private final java.util.concurrent.ConcurrentSkipListMap<Long, ScenarioSummary> results = new java.util.concurrent.ConcurrentSkipListMap<>();
        private final long started = System.nanoTime();

        Blocks(ScenarioPlan plan, Options options, String strategy, long first, long count, Progress progress) {
            this.plan = plan;
            this.options = options;
            this.strategy = strategy;
            this.config = plan.config().withStrategy(strategy);
            this.first = first;
            this.count = count;
            this.progress = progress;
            this.oneSearch = strategy.startsWith("dfs:");
        }

        void runAll() {
            int jobs = (int) Math.min(options.jobs(), Math.max(1, (count + BLOCK - 1) / BLOCK));
            if (jobs == 1) {
                work();
                return;
            }
            List<Thread> threads = new ArrayList<>();
            java.util.concurrent.atomic.AtomicReference<Throwable> trouble = new java.util.concurrent.atomic.AtomicReference<>();
            for (int j = 0; j < jobs; j++) {
                threads.add(Thread.ofPlatform().name("trellis-explore-" + j).start(() -> {
                    try {
                        work();
                    } catch (Throwable t) {
                        trouble.compareAndSet(null, t);
                    }
                }));
            }
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while exploring " + plan.name(), e);
                }
            }
            if (trouble.get() instanceof RuntimeException re) {
                throw re;
            } else if (trouble.get() instanceof Error err) {
                throw err;
            } else if (trouble.get() != null) {
                throw new IllegalStateException(trouble.get());
            }
        }

        /** Takes blocks in seed order until none is left, or every block left lies above a failure found. */
        private void work() {
            long size = oneSearch ? count : BLOCK;
            while (true) {
                long from = first + nextBlock.getAndIncrement() * size;
                if (from >= first + count || (!options.keepGoing() && from > lowestFailure.get())) {
                    return;
                }
                results.put(from, block(from, Math.min(size, first + count - from)));
            }
        }

        private ScenarioSummary block(long from, long n) {
            ScenarioPlan.Execution exec = plan.newExecution();
            TreeSet<Long> hashes = new TreeSet<>();
            List<Long> failingSeeds = new ArrayList<>();
            long[] digest = {0};
            long[] failures = {0};
            ScenarioSummary.Failure[] firstFailure = {null};
            long t0 = System.nanoTime();
            Simulation.Exploration e = Simulation.explore(exec.body(), from, n, config, r -> {
                hashes.add(r.traceHash());
                digest[0] += ScenarioSummary.digestOf(r.seed(), r.traceHash());
                if (!r.ok()) {
                    failures[0]++;
                    failed.incrementAndGet();
                    if (failingSeeds.size() < ScenarioSummary.MAX_SEEDS_LISTED) {
                        failingSeeds.add(r.seed());
                    }
                    lowestFailure.accumulateAndGet(r.seed(), Math::min);
                    Outcome o = Outcome.of(r);
                    if (failing.size() < ScenarioSummary.MAX_SEEDS_LISTED) {
                        failing.put(r.seed(), r.schedule().text());
                    }
                    if (firstFailure[0] == null) {
                        firstFailure[0] = new ScenarioSummary.Failure(r.seed(), o.toString(), o.is(plan.expected()),
                                o.headline(), r.schedule().text(), r.traceHashHex(), null, null);
                    }
                }
                progress.update(plan.name(), done.incrementAndGet(), count, failed.get(), System.nanoTime() - started);
                return options.keepGoing() || (r.ok() && (oneSearch || r.seed() < lowestFailure.get()));
            });
            ScenarioSummary.PctFigures pct = e.confidence()
                    .map(c -> new ScenarioSummary.PctFigures(c.depth(), Long.parseLong(strategy.substring(strategy.lastIndexOf(':') + 1)),
                            c.choices(), c.tasks(), e.executions()))
                    .orElse(null);
            return new ScenarioSummary(plan.name(), Objects.toString(plan.loaded().file(), null), plan.expected(), strategy,
                    from, n, options.keepGoing(), e.executions(), e.totalSteps(), hashes, digest[0], failures[0],
                    failingSeeds, firstFailure[0], pct, System.nanoTime() - t0);
        }

        ScenarioSummary merged(long wall) {
            ScenarioSummary s = null;
            for (ScenarioSummary b : results.values()) {
                s = s == null ? b : s.merge(b);
            }
            if (s == null) {
                throw new IllegalStateException("no seeds ran for " + plan.name());
            }
            // A block stopped by a failure another block found is not a run's end; what one run over
            // every seed would have done is what the merge keeps. Seeds no block reached (skipped
            // above the first failure) count as asked, not run.
            return new ScenarioSummary(s.scenario(), s.file(), s.expected(), s.strategy(), first, count, s.keepGoing(),
                    s.executions(), s.steps(), s.traceHashes(), s.digest(), s.failures(), s.failingSeeds(), s.first(),
                    s.pct(), wall);
        }

    }

    /**
     * The strategy every seed runs with: {@code spec} itself, except an adaptive {@code pct} or
     * {@code pct:D}, which learns K (the choices its change points are drawn over) from the
     * executions before and so would make a seed's schedule depend on the seeds run before it. It
     * becomes {@code pct:D:K}, K being half again the most choices (steps with two or more tasks
     * ready) any of the first {@value #CALIBRATION_SEEDS} seeds offers under {@code random}: the same
     * K for every slice of the seeds, on every machine.
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
        // Half again over the most seen: PCT's bound holds for executions whose choices K covers,
        // and seeds past the calibration's may offer more.
        return "pct:" + depth + ":" + (most[0] + (most[0] + 1) / 2);
    }

    /** Runs one seed of {@code plan} with {@code strategy} (already resolved), for replay. */
    public static Replayed runOne(ScenarioPlan plan, long seed, String strategy) {
        ScenarioPlan.Execution exec = plan.newExecution();
        Result r = Simulation.result(exec.body(), new Schedule(seed, plan.config().withStrategy(strategy)));
        return new Replayed(r, Outcome.of(r), report(plan, r, Outcome.of(r), exec, strategy));
    }

    /**
     * Runs {@code schedule} (a recorded execution's) on {@code plan}, judged by the plan's rules.
     */
    public static Replayed runOne(ScenarioPlan plan, Schedule schedule) {
        ScenarioPlan.Execution exec = plan.newExecution();
        Schedule s = new Schedule(schedule.seed(), schedule.config().withInvariants(plan.config().invariants()));
        Result r = Simulation.result(exec.body(), s);
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
    private static final Pattern SIMULATOR_REPLAY = Pattern.compile("(?m)^  replay     Simulation\\.run\\(.*\\n(?: {13}or .*\\n)?");

    private static ExecutionReport report(ScenarioPlan plan, Result r, Outcome o, ScenarioPlan.Execution exec,
                                          String strategy) {
        // A shrunk (guided) schedule is replayed from its report; its seed's own strategy from the file.
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
        String replay = replayCommand(plan, r.seed(), strategy);
        // The simulator's footer says how to replay a body from Java; a scenario replays by its command.
        // The Maven form runs a shipped scenario's seed with its own strategy: not a shrunk schedule
        // (its seed is the shrinker's, not the one exploring failed at), nor a file of the user's.
        String file = Objects.toString(plan.loaded().file(), "");
        boolean shipped = file.startsWith("scenarios/") || file.startsWith("scenarios" + java.io.File.separator);
        String maven = shipped && !strategy.startsWith("guided:")
                ? "             or, in the Trellis repository, mvn -B test -pl harness/scenarios -am -Dtest=ScenarioFilesTest -Dsurefire.failIfNoSpecifiedTests=false -Dtrellis.replay=" + plan.name() + "@" + r.seed() + "\n"
                : "";
        message = SIMULATOR_REPLAY.matcher(message).replaceFirst(Matcher.quoteReplacement("  replay     " + replay + "\n"
                + maven));
        return new ExecutionReport(plan.name(), Objects.toString(plan.loaded().file(), null), plan.loaded().text(),
                r.schedule().text(), r.seed(), plan.expected(), o.is(plan.expected()) ? plan.expected() : o.name(),
                o.headline(), message, event, r.trace(), exec.clients(), replay, null);
    }

    /** The command that runs one seed of the scenario again. */
    public static String replayCommand(ScenarioPlan plan, long seed, String strategy) {
        String file = plan.loaded().file() == null ? plan.name() + ".yaml" : plan.loaded().file().toString();
        String own = plan.config().strategy();
        if (strategy.length() > 60) {
            // a shrunk schedule is long: its report folder holds it
            return Command.trellis() + " replay reports/" + plan.name() + "/seed-" + seed + plan.classpathOption();
        }
        return Command.trellis() + " replay " + file + " --seed " + seed + (strategy.equals(own) ? "" : " --strategy " + strategy)
                + plan.classpathOption();
    }
}

package dev.trellis.sim;

import dev.trellis.runtime.Body;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.trace.Trace;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs code under the simulator: one task at a time, the order chosen by a seeded strategy, time
 * virtual. The same body, seed and config always give the same trace hash.
 *
 * {@snippet :
 * Result r = Simulation.run(() -> Nursery.open(n -> {   // throws a deadlock, a broken invariant
 *     n.start("child1", () -> Trellis.sleep(Duration.ofSeconds(2)));   // or the body's failure
 *     n.start("child2", () -> Trellis.sleep(Duration.ofSeconds(5)));
 * }), 42, SimConfig.defaults());
 * assert r.endTime().equals(Duration.ofSeconds(5));
 * }
 *
 * <p>Executions run on a driver thread of the simulator's own, which becomes the carrier of every
 * task; the caller waits. If a task never reaches a checkpoint, the caller still gets its answer
 * (a {@link SimulationFailure.Runaway}) and the stuck driver thread is abandoned.
 */
public final class Simulation {
    private static final AtomicInteger DRIVER_IDS = new AtomicInteger();
    /**
     * Driver threads: a fixed number, idle ones expiring, so running executions one after
     * another reuses one thread. Replaced when a runaway strands a driver, so a stuck thread
     * never holds up later executions.
     */
    private static volatile ThreadPoolExecutor drivers = newDrivers();

    private Simulation() {}

    /**
     * Runs {@code body} once under the default config and throws its failure (a
     * {@link SimulationFailure}: a deadlock, a broken invariant, the body's own exception as
     * {@link SimulationFailure.BodyFailed}), with the schedule that repeats it; returns the result
     * when it passed. What a test calls: a failure cannot pass unnoticed.
     */
    public static Result run(Body body, long seed) {
        return run(body, seed, SimConfig.defaults());
    }

    /** {@link #run(Body, long)} with {@code config}: throws the execution's failure. */
    public static Result run(Body body, long seed, SimConfig config) {
        return result(body, seed, config).orThrow();
    }

    /**
     * Runs {@code body} as {@code schedule} says (the execution a failure printed the schedule of,
     * again, with the same trace hash) and throws its failure, as a replay should show it.
     * {@code Schedule.parse} reads the printed text.
     */
    public static Result run(Body body, Schedule schedule) {
        return result(body, schedule).orThrow();
    }

    /** Runs {@code body} once under the default config and returns how it ended; never throws for its failure. */
    public static Result result(Body body, long seed) {
        return result(body, seed, SimConfig.defaults());
    }

    /**
     * Runs {@code body} once with {@code seed} and returns how it ended, failed or not: for code that
     * looks at a failure (its trace, its kind) rather than failing with it. Never throws for the
     * body's own failure: see {@link Result}; {@link #run} throws it.
     */
    public static Result result(Body body, long seed, SimConfig config) {
        return result(body, new Schedule(seed, config));
    }

    /** Runs {@code body} as {@code schedule} says and returns how it ended; never throws for its failure. */
    public static Result result(Body body, Schedule schedule) {
        Strategy strategy = Strategies.parse(schedule.strategy());
        return onDriver(done -> runOne(body, schedule, strategy, done, new Trace()));
    }

    /**
     * Runs {@code body} once with {@code strategy} as it is (its spec must be the schedule's, so the
     * result's schedule repeats it): for tools that watch a strategy at work, such as the shrinker.
     */
    static Result runWith(Body body, Schedule schedule, Strategy strategy) {
        return onDriver(done -> runOne(body, schedule, strategy, done, new Trace()));
    }

    /** Replays the schedule {@code trace} recorded; the result's trace hash must equal the recorded one. */
    public static Result replay(Body body, long seed, Trace trace, SimConfig config) {
        return result(body, seed, config.withStrategy(Replay.of(trace).spec()));
    }

    /**
     * Runs seeds {@code first, first + 1, ...}, {@code count} of them, stopping at the first that
     * fails (a harness failure or the body's). If the system property {@value SimConfig#SEED_PROPERTY}
     * is set, runs only that seed; if {@value SimConfig#SCHEDULE_PROPERTY} is set, runs only that
     * schedule (with this config's invariants). Returns the failing result, or the last one.
     *
     * <p>One strategy object serves all the executions, so it may learn from the ones before
     * (see {@link Strategy}); each result's schedule holds the spec that repeats that execution
     * alone. A strategy that has covered its space stops the exploration early. With PCT the
     * result says what the executions promise about bugs they did not find ({@link Confidence}).
     */
    public static Exploration explore(Body body, long first, long count, SimConfig config) {
        String onlySchedule = System.getProperty(SimConfig.SCHEDULE_PROPERTY);
        if (onlySchedule != null && !onlySchedule.isBlank()) {
            Schedule s = Schedule.parse(onlySchedule);
            Result r = result(body, new Schedule(s.seed(), s.config().withInvariants(config.invariants())));
            return new Exploration(1, r.steps(), r);   // a fixed schedule: nothing was explored
        }
        String only = System.getProperty(SimConfig.SEED_PROPERTY);
        long from = only == null ? first : Long.parseLong(only.trim());
        long n = only == null ? count : 1;
        return explore(body, from, n, config, Result::ok);
    }

    /**
     * {@link #explore(Body, long, long, SimConfig)} on {@code jobs} threads at once, with the same
     * result as on one: the lowest failing seed (not the first one found), the executions and steps
     * up to it, and PCT's bound over those executions. Seeds run in blocks of 16, taken in seed
     * order; a block above a failure already found is skipped.
     *
     * <p>The body runs on several threads at once, one execution on each: it must not share mutable
     * state between executions (create what it uses inside it). Every execution must also be
     * independent of the ones before it, so the strategy must be one that decides each execution
     * from its seed alone: {@code random}, {@code pos}, {@code pct:D:K}, a choice list or a replay;
     * an adaptive {@code pct:D}, which learns from the executions before, and a {@code dfs:P} search
     * run on one thread only (name K, or use {@code jobs} 1).
     *
     * {@snippet :
     * Simulation.explore(body, 0, 100_000, SimConfig.defaults().withStrategy("pct:3:200"),
     *         Runtime.getRuntime().availableProcessors()).orThrow();
     * }
     */
    public static Exploration explore(Body body, long first, long count, SimConfig config, int jobs) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, was [" + jobs + "]");
        }
        if (jobs == 1 || System.getProperty(SimConfig.SCHEDULE_PROPERTY) != null || System.getProperty(SimConfig.SEED_PROPERTY) != null) {
            return explore(body, first, count, config);
        }
        Strategy probe = Strategies.parse(config.strategy());
        if (probe instanceof Dfs || (probe instanceof Pct && !config.strategy().matches("pct:\\d+:\\d+"))) {
            throw new IllegalArgumentException("strategy [" + config.strategy() + "] learns from the executions before each "
                    + "one, so its executions cannot run on " + jobs + " threads with the result of one; use pct:D:K "
                    + "(K: choices per execution), random or pos, or jobs 1");
        }
        return ParallelExploration.run(body, first, count, config, jobs);
    }

    /**
     * Runs seeds {@code first, first + 1, ...}, {@code count} of them, and hands each result to
     * {@code carryOn} as it ends, on the thread that ran it, before the next execution starts; the
     * exploration goes on while {@code carryOn} returns true (and the strategy has schedules left).
     * The results share one trace buffer, cleared for the next execution: read (or copy) a result's
     * trace inside {@code carryOn}. Ignores the seed and schedule system properties, which the
     * overload without {@code carryOn} obeys.
     *
     * {@snippet :
     * Set<Long> hashes = new TreeSet<>();
     * Simulation.explore(body, 0, 1_000, config, r -> { hashes.add(r.traceHash()); return true; });
     * }
     */
    public static Exploration explore(Body body, long first, long count, SimConfig config,
                                      java.util.function.Predicate<Result> carryOn) {
        long[] ran = new long[1];
        long[] steps = new long[1];
        boolean[] exhausted = new boolean[1];
        boolean[] stopped = new boolean[1];
        Strategy strategy = Strategies.parse(config.strategy());
        Result last = onDriver(done -> {
            Result r = null;
            // Only the last result is returned, so executions share one trace buffer.
            Trace trace = new Trace();
            for (long s = first; s < first + count && !strategy.exhausted(); s++) {
                trace.clear();
                r = runOne(body, new Schedule(s, config), strategy, done, trace);
                ran[0]++;
                steps[0] += r.steps();
                if (!carryOn.test(r)) {
                    stopped[0] = true;
                    break;
                }
            }
            exhausted[0] = !stopped[0] && strategy.exhausted();
            return r;
        });
        Optional<Confidence> confidence = strategy instanceof Pct pct ? pct.confidence() : Optional.empty();
        return new Exploration(ran[0], steps[0], last, exhausted[0] && (last == null || last.ok()), confidence);
    }

    /**
     * What {@link #explore} did: how many executions, how many steps in all, the last (or failing)
     * result, whether the strategy ran every schedule it meant to without a failure (a
     * {@code dfs:P} search that finished; never a strategy that samples), and, for PCT, what the
     * executions promise about the bugs they did not find (see {@link Confidence}).
     * {@link #summary()} says it in words; a failure thrown by {@link #orThrow()} says after how
     * many executions it was found.
     */
    public record Exploration(long executions, long totalSteps, Result last, boolean exhausted,
                              Optional<Confidence> confidence) {
        public Exploration {
            Objects.requireNonNull(confidence, "confidence");
        }

        /** An exploration whose strategy neither covered its space nor makes a promise. */
        public Exploration(long executions, long totalSteps, Result last) {
            this(executions, totalSteps, last, false, Optional.empty());
        }

        public boolean ok() {
            return last == null || last.ok();
        }

        /**
         * Throws the failing execution's failure, as {@link Result#orThrow} does, with a line
         * saying how many executions ran before it was found, and PCT's bound if there is one.
         */
        public Exploration orThrow() {
            if (last != null) {
                try {
                    last.orThrow();
                } catch (SimulationFailure f) {
                    throw Failures.explored(f, executions, confidence);
                }
            }
            return this;
        }

        /**
         * For people, the first line: "all 6 schedules with ≤ 2 preemptions explored, no
         * failure", "500 executions, no failure" (with, for a search, that it stopped at the
         * exploration's limit before it was exhausted), or "execution 37 failed: ..." with the
         * schedule that repeats it. Then, for PCT, the bound and, when none failed, the chance
         * that a bug of its depth was missed ({@link Confidence#summary()}).
         */
        public String summary() {
            StringBuilder sb = new StringBuilder();
            String space = last == null ? null : Dfs.space(last.strategy());
            if (!ok()) {
                sb.append("execution ").append(executions).append(" failed: ")
                        .append(last.failure() != null ? last.failure().headline() : "the body threw " + last.bodyFailure())
                        .append(" (").append(last.schedule().text()).append(')');
            } else if (exhausted) {
                sb.append("all ").append(executions).append(executions == 1 ? " schedule" : " schedules")
                        .append(space == null ? "" : " " + space).append(" explored, no failure");
            } else {
                sb.append(executions).append(executions == 1 ? " execution" : " executions").append(", no failure");
                if (space != null) {
                    sb.append("; the search was not exhausted: it stopped at the exploration's limit before every "
                            + "schedule ").append(space).append(" had run");
                }
            }
            // After a failure, what a miss would have cost no longer matters; the bound still does.
            confidence.ifPresent(c -> sb.append('\n').append(ok() ? c.summary() : c.bound()));
            return sb.toString();
        }

        @Override
        public String toString() {
            return summary();
        }
    }

    private static ThreadPoolExecutor newDrivers() {
        int n = Math.max(2, Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "trellis-driver-" + DRIVER_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static synchronized void replaceDrivers(ThreadPoolExecutor stranded) {
        if (drivers == stranded) {
            drivers = newDrivers();
            stranded.shutdown();
        }
    }

    private interface DriverJob {
        Result run(Consumer<Result> abandon);
    }

    /**
     * Begins {@code strategy} on the schedule's seed and runs one execution; its schedule holds
     * the spec the strategy gives for it, which repeats it alone.
     */
    private static Result runOne(Body body, Schedule base, Strategy strategy, Consumer<Result> abandon, Trace trace) {
        strategy.begin(base.seed());
        String spec = strategy.spec();
        Schedule schedule = spec.equals(base.strategy()) ? base
                : new Schedule(base.seed(), base.config().withStrategy(spec));
        Execution ex = new Execution(schedule, strategy, trace);
        Watchdog.Slot slot = Watchdog.slot();
        slot.onRunaway = abandon;
        slot.execution = ex;
        try {
            return ex.run(body);
        } finally {
            slot.execution = null;
            slot.onRunaway = null;
        }
    }

    private static Result onDriver(DriverJob job) {
        if (Kernel.currentOrNull() != null) {
            throw new IllegalStateException("Simulation.run cannot be called from inside a Trellis task");
        }
        CompletableFuture<Result> done = new CompletableFuture<>();
        ThreadPoolExecutor pool = drivers;
        pool.execute(() -> {
            try {
                done.complete(job.run(done::complete));
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            Result r = done.get();
            if (r.failure() instanceof SimulationFailure.Runaway) {
                replaceDrivers(pool);
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a simulation", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }
}

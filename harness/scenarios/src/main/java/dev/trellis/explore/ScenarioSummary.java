package dev.trellis.explore;

import dev.trellis.sim.Confidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What exploring a contiguous range of one scenario's seeds showed: a value that merges, so that
 * seeds run in slices (blocks on several threads, shards on several machines) add up to exactly
 * what one run over all of them gives. Everything but the wall time is a function of the
 * scenario, the seeds and the strategy alone.
 *
 * <p>A run that stops at its first failure ({@code keepGoing} false) covers its seeds up to and
 * including the lowest failing one; so when two slices merge and the lower one failed, the higher
 * one's executions are not part of the result (one run would never have reached them).
 *
 * @param scenario       the scenario's name
 * @param file           the file it was read from
 * @param expected       what it expects: {@code pass}, a rule or a failure kind
 * @param strategy       the strategy every seed ran with (a {@code pct:D} calibrated to {@code pct:D:K})
 * @param firstSeed      the first seed of the range
 * @param seedsAsked     how many seeds the range holds
 * @param keepGoing      whether the run went on after a failure
 * @param executions     how many ran
 * @param steps          scheduling steps, all executions together
 * @param traceHashes    the distinct trace hashes seen (distinct schedules)
 * @param digest         the sum, modulo 2^64, of a mix of each executed seed and its trace hash: two
 *                       runs of the same seeds agree on it exactly when every execution did
 * @param failures       failing executions
 * @param failingSeeds   their seeds, ascending (the lowest {@link #MAX_SEEDS_LISTED})
 * @param first          the lowest failing seed's details, or null
 * @param pct            what PCT's bound needs, or null for other strategies
 * @param wallNanos      wall time spent (not part of {@link #sameRunAs})
 */
public record ScenarioSummary(String scenario, String file, String expected, String strategy, long firstSeed,
                              long seedsAsked, boolean keepGoing, long executions, long steps, SortedSet<Long> traceHashes,
                              long digest, long failures, List<Long> failingSeeds, Failure first, PctFigures pct,
                              long wallNanos) {
    public static final int MAX_SEEDS_LISTED = 100;

    /**
     * One failing execution, as the summary shows it: its outcome ({@code chat-total-order},
     * {@code BodyFailed (java.util.ConcurrentModificationException)}), whether that is what the
     * scenario expects, the folder its report went to and the command that replays that (null
     * when none was written).
     */
    public record Failure(long seed, String outcome, boolean asExpected, String headline, String schedule,
                          String traceHash, String report, String replay) {
        /**
         * This failure with its report in {@code where}, replayed by {@code ./trellis replay where}
         * and {@code options} (a {@code --classpath}, for instance).
         */
        public Failure withReport(String where, String options) {
            return new Failure(seed, outcome, asExpected, headline, schedule, traceHash, where,
                    where == null ? null : Command.trellis() + " replay " + where + options);
        }
    }

    /**
     * What PCT's bound needs from the executions of a {@code pct:D:K}: the most choices and tasks
     * one offered, and how many ran ({@link Confidence}).
     */
    public record PctFigures(int depth, long range, long choices, int tasks, long executions) {
        PctFigures merge(PctFigures o) {
            return new PctFigures(depth, range, Math.max(choices, o.choices), Math.max(tasks, o.tasks),
                    executions + o.executions);
        }

        public Confidence confidence() {
            TreeMap<Long, Long> ranges = new TreeMap<>();
            if (executions > 0) {
                ranges.put(range, executions);
            }
            return Confidence.of(depth, choices, tasks, ranges);
        }
    }

    public ScenarioSummary {
        traceHashes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(traceHashes));
        failingSeeds = List.copyOf(failingSeeds);
    }

    /** Whether the scenario got what it expects: no failure for {@code pass}, else its lowest failing seed shows the expected outcome. */
    public boolean met() {
        return verdict() == null;
    }

    /**
     * {@link #verdict()} for a slice of the seeds (a CI shard): a known bug that did not show in
     * this slice may show in another, so only a failure that is not the expected one, or any
     * failure of a scenario that expects to pass, is a verdict here.
     */
    public String sliceVerdict() {
        return !expected.equals("pass") && first == null ? null : verdict();
    }

    /** Why the scenario did not get what it expects, in words; null when it did. */
    public String verdict() {
        if (expected.equals("pass")) {
            return first == null ? null : "expected every seed to pass; seed " + first.seed() + " failed: " + first.headline();
        }
        if (first == null) {
            return "expected " + expected + ", but none of the " + executions + " executions failed";
        }
        return first.asExpected() ? null
                : "expected " + expected + ", but seed " + first.seed() + " failed with " + first.outcome() + ": " + first.headline();
    }

    /** Whether the run ended at a failure before running every seed of its range. */
    public boolean stoppedEarly() {
        return !keepGoing && first != null && executions < seedsAsked;
    }

    /** PCT's bound for these executions, in words, or null for other strategies. */
    public String pctSummary() {
        // PCT's own advice is for a pct:D that learns K; here K was calibrated once, so name the K to give.
        return pct == null ? null : pct.confidence().summary().replaceAll("run more \\(pct:\\d+ learns n\\), or give K",
                "explore with --strategy pct:" + pct.depth() + ":K, K");
    }

    /** Executions per wall second. */
    public double executionsPerSecond() {
        return wallNanos == 0 ? 0 : executions * 1e9 / wallNanos;
    }

    public String digestHex() {
        return String.format("%016x", digest);
    }

    /** One execution's share of the digest: a 64-bit mix of its seed and its trace hash (SplitMix64's finaliser). */
    static long digestOf(long seed, long traceHash) {
        long z = seed * 0x9e3779b97f4a7c15L ^ traceHash;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * This summary and {@code other}, of disjoint ranges of the same scenario's seeds run the same
     * way, as the summary of one run over both: the lower failing seed is the first failure, and
     * when the lower range failed and the run stops at a failure, the higher range's executions
     * drop out. In either order.
     */
    public ScenarioSummary merge(ScenarioSummary other) {
        if (!scenario.equals(other.scenario) || !strategy.equals(other.strategy) || keepGoing != other.keepGoing) {
            throw new IllegalArgumentException("cannot merge summaries of " + scenario + " (" + strategy
                    + (keepGoing ? ", keep going" : "") + ") and " + other.scenario + " (" + other.strategy
                    + (other.keepGoing ? ", keep going" : "") + ")");
        }
        ScenarioSummary lo = firstSeed <= other.firstSeed ? this : other;
        ScenarioSummary hi = lo == this ? other : this;
        if (lo.firstSeed + lo.seedsAsked > hi.firstSeed) {
            throw new IllegalArgumentException("cannot merge overlapping seed ranges of " + scenario + ": from " + lo.firstSeed
                    + " (" + lo.seedsAsked + " seeds) and from " + hi.firstSeed);
        }
        long asked = lo.seedsAsked + hi.seedsAsked + (hi.firstSeed - lo.firstSeed - lo.seedsAsked);
        long wall = wallNanos + other.wallNanos;
        if (!keepGoing && lo.first != null) {
            // One run would have stopped in the lower range.
            return new ScenarioSummary(scenario, file, expected, strategy, lo.firstSeed, asked, false, lo.executions, lo.steps,
                    lo.traceHashes, lo.digest, lo.failures, lo.failingSeeds, lo.first, lo.pct, wall);
        }
        TreeSet<Long> hashes = new TreeSet<>(traceHashes);
        hashes.addAll(other.traceHashes);
        TreeSet<Long> seeds = new TreeSet<>(failingSeeds);
        seeds.addAll(other.failingSeeds);
        List<Long> listed = new ArrayList<>(seeds).subList(0, Math.min(seeds.size(), MAX_SEEDS_LISTED));
        Failure f = lo.first != null ? lo.first : hi.first;
        PctFigures p = pct == null ? other.pct : other.pct == null ? pct : pct.merge(other.pct);
        return new ScenarioSummary(scenario, file, expected, strategy, lo.firstSeed, asked, keepGoing,
                executions + other.executions, steps + other.steps, hashes, digest + other.digest, failures + other.failures,
                listed, f, p, wall);
    }

    /** Equal in everything a run decides (the wall time aside). */
    public boolean sameRunAs(ScenarioSummary o) {
        return scenario.equals(o.scenario) && strategy.equals(o.strategy) && firstSeed == o.firstSeed
                && seedsAsked == o.seedsAsked && executions == o.executions && steps == o.steps
                && traceHashes.equals(o.traceHashes) && digest == o.digest && failures == o.failures
                && failingSeeds.equals(o.failingSeeds) && Objects.equals(first, o.first) && Objects.equals(pct, o.pct);
    }
}

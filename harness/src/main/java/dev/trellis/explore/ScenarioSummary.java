package dev.trellis.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What exploring one scenario's seeds showed: a value that merges, so that seeds run in slices
 * (threads, CI shards) add up to what one run over all of them gives. Everything but the wall time
 * is a function of the scenario and the seeds alone.
 *
 * @param scenario       the scenario's name
 * @param file           the file it was read from
 * @param expected       what it expects: {@code pass}, a rule or a failure kind
 * @param strategy       the strategy every seed ran with (a {@code pct:D} calibrated to {@code pct:D:K})
 * @param firstSeed      the first seed asked for
 * @param seedsAsked     how many seeds were asked for
 * @param executions     how many ran
 * @param steps          scheduling steps, all executions together
 * @param traceHashes    the distinct trace hashes seen (distinct schedules)
 * @param digest         the sum, modulo 2^64, of a mix of each executed seed and its trace hash: two
 *                       runs of the same seeds agree on it exactly when every execution did
 * @param failures       failing executions
 * @param failingSeeds   their seeds, ascending (at most {@link #MAX_SEEDS_LISTED})
 * @param first          the lowest failing seed's details, or null
 * @param pct            PCT's bound for the executions, in words, or null for other strategies
 * @param stoppedEarly   whether the run stopped at its first failure before running every seed
 * @param wallNanos      wall time spent (not part of equality between runs)
 */
public record ScenarioSummary(String scenario, String file, String expected, String strategy, long firstSeed,
                              long seedsAsked, long executions, long steps, SortedSet<Long> traceHashes, long digest,
                              long failures, List<Long> failingSeeds, Failure first, String pct, boolean stoppedEarly,
                              long wallNanos) {
    public static final int MAX_SEEDS_LISTED = 100;

    /**
     * One failing execution, as the summary shows it: its outcome ({@code chat-total-order},
     * {@code BodyFailed (java.util.ConcurrentModificationException)}), whether that is what the
     * scenario expects, and the folder its report went to (null when none was written).
     */
    public record Failure(long seed, String outcome, boolean asExpected, String headline, String schedule,
                          String traceHash, String report) {}

    public ScenarioSummary {
        traceHashes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(traceHashes));
        failingSeeds = List.copyOf(failingSeeds);
    }

    /** Whether the scenario got what it expects: no failure for {@code pass}, else its lowest failing seed shows the expected outcome. */
    public boolean met() {
        return verdict() == null;
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
     * This summary and {@code other}, of disjoint seeds of the same scenario, as one. The lower
     * failing seed is the first failure, as one run over both slices would find it.
     */
    public ScenarioSummary merge(ScenarioSummary other) {
        if (!scenario.equals(other.scenario) || !strategy.equals(other.strategy)) {
            throw new IllegalArgumentException("cannot merge summaries of " + scenario + " (" + strategy + ") and "
                    + other.scenario + " (" + other.strategy + ")");
        }
        TreeSet<Long> hashes = new TreeSet<>(traceHashes);
        hashes.addAll(other.traceHashes);
        TreeSet<Long> seeds = new TreeSet<>(failingSeeds);
        seeds.addAll(other.failingSeeds);
        List<Long> listed = new ArrayList<>(seeds).subList(0, Math.min(seeds.size(), MAX_SEEDS_LISTED));
        Failure f = first == null ? other.first : other.first == null ? first
                : first.seed() <= other.first.seed() ? first : other.first;
        String bound = pct == null ? other.pct : pct;
        return new ScenarioSummary(scenario, file, expected, strategy, Math.min(firstSeed, other.firstSeed),
                seedsAsked + other.seedsAsked, executions + other.executions, steps + other.steps, hashes,
                digest + other.digest, failures + other.failures, listed, f, bound, stoppedEarly || other.stoppedEarly,
                wallNanos + other.wallNanos);
    }

    /** Equal in everything a run decides (the wall time aside). */
    public boolean sameRunAs(ScenarioSummary o) {
        return scenario.equals(o.scenario) && strategy.equals(o.strategy) && executions == o.executions
                && steps == o.steps && traceHashes.equals(o.traceHashes) && digest == o.digest && failures == o.failures
                && failingSeeds.equals(o.failingSeeds) && Objects.equals(first, o.first);
    }
}

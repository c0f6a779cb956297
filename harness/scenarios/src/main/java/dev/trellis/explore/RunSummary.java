package dev.trellis.explore;

import java.util.List;

/**
 * One {@code trellis explore} run: each scenario's summary, in the order the files were given,
 * and the files that could not be used (with the one-line reason).
 *
 * @param shard    the slice of every scenario's seeds this run ran, or null for all of them
 * @param complete whether the run got to its end (false: stopped part way, or a merge that lacks a shard)
 * @param planned  how many scenario files it was given
 * @param ranges   for a shard, each scenario's whole seed range {first, count} it ran a slice of
 *                 (what a merge checks the slices against); empty otherwise
 */
public record RunSummary(List<ScenarioSummary> scenarios, List<BadFile> badFiles, Shard shard, boolean complete,
                         int planned, java.util.Map<String, List<Long>> ranges) {
    /** A scenario file that could not be read or planned. */
    public record BadFile(String file, String message) {}

    public RunSummary {
        scenarios = List.copyOf(scenarios);
        badFiles = List.copyOf(badFiles);
        ranges = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ranges));
    }

    /** A whole run (no shard). */
    public RunSummary(List<ScenarioSummary> scenarios, List<BadFile> badFiles) {
        this(scenarios, badFiles, null, true, scenarios.size() + badFiles.size(), java.util.Map.of());
    }

    /** A finished run, of a shard or not. */
    public RunSummary(List<ScenarioSummary> scenarios, List<BadFile> badFiles, Shard shard) {
        this(scenarios, badFiles, shard, true, scenarios.size() + badFiles.size(), java.util.Map.of());
    }

    /** Why {@code s} did not get what it expects, or null: for a shard, as far as its slice can tell. */
    public String verdict(ScenarioSummary s) {
        return shard == null ? s.verdict() : s.sliceVerdict();
    }

    public boolean met(ScenarioSummary s) {
        return verdict(s) == null;
    }

    /** 0 when every scenario got what it expects (as far as a shard can tell), 2 when a file was bad, else 1. */
    public int exitCode() {
        if (!badFiles.isEmpty() || !complete) {
            return 2;
        }
        return unmet() == 0 ? 0 : 1;
    }

    public long unmet() {
        return scenarios.stream().filter(s -> !met(s)).count();
    }
}

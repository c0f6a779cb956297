package dev.trellis.explore;

import java.util.List;

/**
 * One {@code trellis explore} run: each scenario's summary, in the order the files were given,
 * and the files that could not be used (with the one-line reason).
 */
public record RunSummary(List<ScenarioSummary> scenarios, List<BadFile> badFiles, Shard shard, boolean complete) {
    /** A scenario file that could not be read or planned. */
    public record BadFile(String file, String message) {}

    public RunSummary {
        scenarios = List.copyOf(scenarios);
        badFiles = List.copyOf(badFiles);
    }

    /** A whole run (no shard). */
    public RunSummary(List<ScenarioSummary> scenarios, List<BadFile> badFiles) {
        this(scenarios, badFiles, null, true);
    }

    /** A finished run, of a shard or not. */
    public RunSummary(List<ScenarioSummary> scenarios, List<BadFile> badFiles, Shard shard) {
        this(scenarios, badFiles, shard, true);
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

package dev.trellis.explore;

import java.util.List;

/**
 * One {@code trellis explore} run: each scenario's summary, in the order the files were given,
 * and the files that could not be used (with the one-line reason).
 */
public record RunSummary(List<ScenarioSummary> scenarios, List<BadFile> badFiles) {
    /** A scenario file that could not be read or planned. */
    public record BadFile(String file, String message) {}

    public RunSummary {
        scenarios = List.copyOf(scenarios);
        badFiles = List.copyOf(badFiles);
    }

    /** 0 when every scenario got what it expects, 2 when a file was bad, else 1. */
    public int exitCode() {
        if (!badFiles.isEmpty()) {
            return 2;
        }
        return scenarios.stream().allMatch(ScenarioSummary::met) ? 0 : 1;
    }

    public long unmet() {
        return scenarios.stream().filter(s -> !s.met()).count();
    }
}

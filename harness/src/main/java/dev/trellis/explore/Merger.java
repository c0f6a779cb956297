package dev.trellis.explore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What {@code trellis merge} does: the summaries of the shards of one exploration, as the summary
 * one unsharded run gives, and the failing executions' reports gathered under one folder.
 */
public final class Merger {
    private Merger() {}

    /** A merged run, and what the person merging should know (a shard missing), or nothing. */
    public record Merged(RunSummary run, List<String> warnings) {}

    /**
     * Merges {@code parts} (each read from a shard's {@code summary.json}) and copies the report
     * folder of every scenario's first failure under {@code reports}.
     */
    public static Merged merge(List<RunSummary> parts, Path reports) throws IOException {
        List<String> warnings = new ArrayList<>();
        TreeSet<Integer> seen = new TreeSet<>();
        int count = -1;
        for (RunSummary p : parts) {
            if (p.shard() == null) {
                throw new IllegalArgumentException("a summary of a whole run (no --shard) cannot be merged with others");
            }
            if (count >= 0 && p.shard().count() != count) {
                throw new IllegalArgumentException("the summaries are of different shardings: " + count + " and "
                        + p.shard().count() + " shards");
            }
            count = p.shard().count();
            if (!seen.add(p.shard().index())) {
                throw new IllegalArgumentException("shard " + p.shard() + " is given twice");
            }
        }
        if (seen.size() < count) {
            List<Integer> missing = new ArrayList<>();
            for (int k = 1; k <= count; k++) {
                if (!seen.contains(k)) {
                    missing.add(k);
                }
            }
            warnings.add("only " + seen.size() + " of " + count + " shards were given; the seeds of shard"
                    + (missing.size() == 1 ? " " : "s ") + missing + " are not in this summary");
        }
        boolean complete = true;
        for (RunSummary p : parts) {
            if (!p.complete()) {
                complete = false;
                warnings.add("shard " + p.shard() + " was stopped before it ended; its summary holds only the scenarios it finished");
            }
        }
        Map<String, ScenarioSummary> byName = new LinkedHashMap<>();
        Map<String, RunSummary.BadFile> bad = new LinkedHashMap<>();
        for (RunSummary p : parts) {
            for (ScenarioSummary s : p.scenarios()) {
                byName.merge(s.scenario(), s, ScenarioSummary::merge);
            }
            p.badFiles().forEach(b -> bad.putIfAbsent(b.file(), b));
        }
        List<ScenarioSummary> out = new ArrayList<>();
        for (ScenarioSummary s : byName.values()) {
            out.add(gatherReport(s, reports));
        }
        return new Merged(new RunSummary(out, List.copyOf(bad.values()), null, complete), warnings);
    }

    /** Copies the first failure's report folder under {@code reports}, where an unsharded run would have written it. */
    private static ScenarioSummary gatherReport(ScenarioSummary s, Path reports) throws IOException {
        if (s.first() == null || s.first().report() == null) {
            return s;
        }
        Path from = Path.of(s.first().report());
        Path to = reports.resolve(s.scenario()).resolve("seed-" + s.first().seed());
        if (!Files.isDirectory(from)) {
            return withReport(s, null);
        }
        if (!from.toAbsolutePath().normalize().equals(to.toAbsolutePath().normalize())) {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return withReport(s, to.toString());
    }

    private static ScenarioSummary withReport(ScenarioSummary s, String where) {
        String replay = s.first().replay();
        int cp = replay == null ? -1 : replay.indexOf(" --classpath ");
        return new ScenarioSummary(s.scenario(), s.file(), s.expected(), s.strategy(), s.firstSeed(), s.seedsAsked(),
                s.keepGoing(), s.executions(), s.steps(), s.traceHashes(), s.digest(), s.failures(), s.failingSeeds(),
                s.first().withReport(where, cp < 0 ? "" : replay.substring(cp)), s.pct(), s.wallNanos());
    }
}

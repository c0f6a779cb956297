package dev.trellis.explore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What {@code trellis merge} does: the summaries of the shards of one exploration, as the summary
 * one unsharded run gives, and the failing executions' reports gathered under one folder. Slices
 * are put in seed order whatever order they are given in, and must cover every scenario's seeds
 * once: a missing shard, or shards run with different seeds, make the merge incomplete (exit 2).
 */
public final class Merger {
    private Merger() {}

    /** A shard's summary and the folder it was read from (its reports are under it). */
    public record Part(RunSummary run, Path folder) {}

    /** A merged run, and what the person merging should know (a shard missing), or nothing. */
    public record Merged(RunSummary run, List<String> warnings) {}

    /** Merges {@code parts} and copies the reports one unsharded run would have written under {@code reports}. */
    public static Merged merge(List<Part> parts, Path reports) throws IOException {
        List<String> problems = new ArrayList<>();
        TreeSet<Integer> seen = new TreeSet<>();
        int count = -1;
        for (Part p : parts) {
            if (p.run().shard() == null) {
                throw new IllegalArgumentException(p.folder() + " holds the summary of a whole run (no --shard): there is "
                        + "nothing to merge it with");
            }
            if (count >= 0 && p.run().shard().count() != count) {
                throw new IllegalArgumentException("the summaries are of different shardings: " + count + " and "
                        + p.run().shard().count() + " shards");
            }
            count = p.run().shard().count();
            if (!seen.add(p.run().shard().index())) {
                throw new IllegalArgumentException("shard " + p.run().shard() + " is given twice");
            }
            if (!p.run().complete()) {
                problems.add("shard " + p.run().shard() + " did not get to its end; its summary holds only the scenarios "
                        + "it finished");
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int k = 1; k <= count; k++) {
            if (!seen.contains(k)) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            problems.add("only " + seen.size() + " of " + count + " shards were given; the seeds of shard"
                    + (missing.size() == 1 ? " " : "s ") + missing + " are not in this summary");
        }
        // Every scenario's slices, in seed order.
        Map<String, List<ScenarioSummary>> slices = new LinkedHashMap<>();
        Map<String, List<Long>> ranges = new LinkedHashMap<>();
        Map<String, RunSummary.BadFile> bad = new LinkedHashMap<>();
        int planned = 0;
        for (Part p : parts.stream().sorted(Comparator.comparingInt(x -> x.run().shard().index())).toList()) {
            planned = Math.max(planned, p.run().planned());
            for (ScenarioSummary s : p.run().scenarios()) {
                slices.computeIfAbsent(s.scenario(), k -> new ArrayList<>()).add(s);
                List<Long> range = p.run().ranges().get(s.scenario());
                if (range != null) {
                    List<Long> before = ranges.putIfAbsent(s.scenario(), range);
                    if (before != null && !before.equals(range)) {
                        throw new IllegalArgumentException(s.scenario() + ": the shards ran different seeds (from " + before.get(0)
                                + ", " + before.get(1) + " seeds, and from " + range.get(0) + ", " + range.get(1)
                                + " seeds): shard one exploration, with the same --seeds everywhere");
                    }
                }
            }
            p.run().badFiles().forEach(b -> bad.putIfAbsent(b.file(), b));
        }
        List<ScenarioSummary> out = new ArrayList<>();
        for (var e : slices.entrySet()) {
            List<ScenarioSummary> list = new ArrayList<>(e.getValue());
            list.sort(Comparator.comparingLong(ScenarioSummary::firstSeed));
            ScenarioSummary merged = list.getFirst();
            for (int i = 1; i < list.size(); i++) {
                merged = merged.merge(list.get(i));
            }
            List<Long> range = ranges.get(e.getKey());
            if (range != null && (merged.firstSeed() != range.get(0) || merged.seedsAsked() != range.get(1))) {
                problems.add(e.getKey() + ": the slices cover seeds " + merged.firstSeed() + " to "
                        + (merged.firstSeed() + merged.seedsAsked() - 1) + " of " + range.get(0) + " to "
                        + (range.get(0) + range.get(1) - 1));
            }
            out.add(gatherReports(merged, parts, reports));
        }
        boolean complete = problems.isEmpty();
        return new Merged(new RunSummary(out, List.copyOf(bad.values()), null, complete,
                Math.max(planned, out.size() + bad.size()), Map.of()), problems);
    }

    /**
     * Copies the report folders of the lowest failing seeds the merged run reports (as many as any
     * shard reported for the scenario) from the shards to where an unsharded run would have
     * written them, and points the summary at the first one.
     */
    private static ScenarioSummary gatherReports(ScenarioSummary s, List<Part> parts, Path reports) throws IOException {
        if (s.first() == null) {
            return s;
        }
        String where = null;
        int reported = 0;
        for (Part p : parts) {
            reported = Math.max(reported, count(p.folder().resolve(s.scenario())));
        }
        for (long seed : s.failingSeeds().subList(0, Math.min(Math.max(reported, 1), s.failingSeeds().size()))) {
            for (Part p : parts) {
                Path from = p.folder().resolve(s.scenario()).resolve("seed-" + seed);
                if (Files.isDirectory(from)) {
                    Path to = reports.resolve(s.scenario()).resolve("seed-" + seed);
                    copy(from, to);
                    if (seed == s.first().seed()) {
                        where = to.toString();
                    }
                    break;
                }
            }
        }
        String replay = s.first().replay();
        int cp = replay == null ? -1 : replay.indexOf(" --classpath ");
        return new ScenarioSummary(s.scenario(), s.file(), s.expected(), s.strategy(), s.firstSeed(), s.seedsAsked(),
                s.keepGoing(), s.executions(), s.steps(), s.traceHashes(), s.digest(), s.failures(), s.failingSeeds(),
                s.first().withReport(where, cp < 0 ? "" : replay.substring(cp)), s.pct(), s.wallNanos());
    }

    private static int count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(p -> p.getFileName().toString().matches("seed-\\d+")).count();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        if (from.toAbsolutePath().normalize().equals(to.toAbsolutePath().normalize())) {
            return;
        }
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}

package dev.trellis.explore;

import dev.trellis.report.ExecutionReport;
import dev.trellis.report.ReportWriter;
import dev.trellis.scenario.ScenarioException;
import dev.trellis.scenario.ScenarioPlan;
import dev.trellis.scenario.ScenarioReader;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What {@code trellis explore} does, for the command and for tests: read every scenario file,
 * explore each, write a report folder per failing execution, then {@code summary.json} and
 * {@code index.html}. A bad file is reported in one line and the others still run.
 */
public final class Explorer {
    public static final String SUMMARY_JSON = "summary.json";
    public static final String INDEX_HTML = "index.html";

    private Explorer() {}

    /**
     * @param options  seeds, strategy and what to do after a failure
     * @param reports  the reports folder
     * @param loader   where handler classes come from
     * @param out      one line per scenario as it ends, and the table at the end
     * @param progress the live line
     */
    public record Settings(ScenarioRunner.Options options, Path reports, ClassLoader loader, PrintStream out,
                           ProgressLine progress, Shard shard) {
        /** A whole run, not a shard. */
        public Settings(ScenarioRunner.Options options, Path reports, ClassLoader loader, PrintStream out, ProgressLine progress) {
            this(options, reports, loader, out, progress, null);
        }
    }

    /**
     * The scenario files under {@code paths}: a file as it is, a folder walked for {@code .yaml}
     * and {@code .yml} files in name order. Throws {@link IllegalArgumentException} for a path
     * that does not exist.
     */
    public static List<Path> collect(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).filter(Explorer::isScenario).sorted(Comparator.comparing(Path::toString))
                            .forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IllegalArgumentException("no such file or folder: " + p);
            }
        }
        return out;
    }

    private static boolean isScenario(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    /**
     * The folder scenario names are taken relative to: the nearest folder at or above {@code file}
     * that holds {@code scenario.schema.json} or is called {@code scenarios}; else the file's own.
     */
    public static Path rootOf(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        for (Path d = abs.getParent(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("scenario.schema.json")) || d.getFileName() != null
                    && d.getFileName().toString().equals("scenarios")) {
                return d;
            }
        }
        return abs.getParent();
    }

    /** Reads and plans one file; a {@link ScenarioException} says what is wrong with it. */
    public static ScenarioPlan plan(Path file, ClassLoader loader) {
        return ScenarioPlan.of(ScenarioReader.read(file, rootOf(file)), loader);
    }

    /** Explores every file and writes the reports, summary and index. */
    public static RunSummary run(List<Path> files, Settings s) throws IOException {
        return new Live(files, s).run();
    }

    /**
     * A run going on: {@link #run} explores, and {@link #sofar} (from any thread, a shutdown hook's
     * say) is what it has found until now, so a stopped run can still leave its summary.
     */
    public static final class Live {
        private final List<Path> files;
        private final Settings s;
        private final List<ScenarioSummary> done = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<RunSummary.BadFile> bad = java.util.Collections.synchronizedList(new ArrayList<>());
        private final java.util.Map<String, List<Long>> ranges = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
        private volatile boolean finished;

        public Live(List<Path> files, Settings s) {
            this.files = files;
            this.s = s;
        }

        public boolean finished() {
            return finished;
        }

        /** What the run has found so far, marked unfinished unless it has ended. */
        public RunSummary sofar() {
            synchronized (done) {
                return new RunSummary(List.copyOf(done), List.copyOf(bad), s.shard(), finished, files.size(),
                        new java.util.LinkedHashMap<>(ranges));
            }
        }

        public RunSummary run() throws IOException {
        for (Path f : files) {
            ScenarioPlan plan;
            try {
                plan = plan(f, s.loader());
            } catch (ScenarioException e) {
                s.progress().clear();
                s.out().println("  bad    " + e.getMessage());
                bad.add(new RunSummary.BadFile(f.toString(), e.getMessage()));
                continue;
            }
            ScenarioRunner.Options options = s.options();
            if (s.shard() != null) {
                long first = options.firstSeed() != null ? options.firstSeed() : plan.scenario().explore().firstSeed();
                long seeds = options.seeds() != null ? options.seeds() : plan.scenario().explore().seeds();
                if (s.shard().seeds(seeds) == 0) {
                    continue;   // fewer seeds than shards: this one has none of them
                }
                ranges.put(plan.name(), List.of(first, seeds));
                options = options.withFirstSeed(s.shard().first(first, seeds)).withSeeds(s.shard().seeds(seeds));
            }
            clearOldReports(s.reports(), plan.name());
            ScenarioSummary summary = ScenarioRunner.run(plan, options, sink(s.reports()), s.progress());
            s.progress().clear();
            s.out().println(line(summary, s.shard() == null ? summary.verdict() : summary.sliceVerdict(), options.maxReports()));
            done.add(summary);
            // Written as it goes, marked unfinished, so a run stopped part way (Ctrl-C, a CI time-out)
            // still leaves what it found readable.
            RunSummary partial = sofar();
            SummaryJson.write(s.reports().resolve(SUMMARY_JSON), partial);
            IndexPage.write(s.reports().resolve(INDEX_HTML), partial);
        }
        finished = true;
        RunSummary run = sofar();
        SummaryJson.write(s.reports().resolve(SUMMARY_JSON), run);
        IndexPage.write(s.reports().resolve(INDEX_HTML), run);
        s.out().println();
        s.out().print(table(run));
        s.out().println("summary: " + s.reports().resolve(SUMMARY_JSON) + ", " + s.reports().resolve(INDEX_HTML));
        return run;
        }
    }

    /** Writes report folders under {@code reports}. */
    public static ScenarioRunner.ReportSink sink(Path reports) {
        return new ScenarioRunner.ReportSink() {
            @Override
            public String write(ExecutionReport r) {
                try {
                    Path folder = ReportWriter.folder(reports, r);
                    String cmd = r.replayCommand();
                    int cp = cmd == null ? -1 : cmd.indexOf(" --classpath ");
                    ExecutionReport here = r.withReplayCommand(Command.trellis() + " replay " + folder + (cp < 0 ? "" : cmd.substring(cp)));
                    return ReportWriter.write(folder, here).toString();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the report of " + r.scenario() + " seed " + r.seed(), e);
                }
            }

        };
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Removes the {@code seed-N} folders an earlier run left for this scenario, so every report on disk is this run's. */
    private static void clearOldReports(Path reports, String scenario) throws IOException {
        Path dir = reports.resolve(scenario);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> seeds = Files.list(dir)) {
            for (Path seed : seeds.filter(p -> p.getFileName().toString().matches("seed-\\d+")).toList()) {
                deleteTree(seed);
            }
        }
    }

    /** One scenario's result in a line; {@code verdict} is null when it got what it expects. */
    static String line(ScenarioSummary s, String verdict, int maxReports) {
        StringBuilder sb = new StringBuilder();
        sb.append(verdict == null ? "  met    " : "  FAILED ").append(s.scenario()).append(": ");
        if (s.first() == null) {
            sb.append(plural(s.executions(), "seed")).append(" passed");
        } else {
            sb.append(s.first().outcome()).append(" at seed ").append(s.first().seed());
            if (verdict == null) {
                sb.append(", as expected");
            }
        }
        sb.append(" (").append(plural(s.executions(), "execution")).append(", ")
                .append(plural(s.traceHashes().size(), "schedule"))
                .append(String.format(Locale.ROOT, ", %,.0f/s", s.executionsPerSecond()));
        if (s.failures() > 1) {
            sb.append(", ").append(plural(s.failures(), "failing seed"));
        }
        sb.append(')');
        if (s.failures() > maxReports && maxReports > 0) {
            sb.append("\n         reports for the lowest ").append(maxReports).append(" (--max-reports); summary.json lists "
                    + "the failing seeds");
        }
        if (verdict != null) {
            sb.append("\n         ").append(verdict);
        }
        if (s.first() != null && s.first().report() != null) {
            sb.append("\n         report ").append(s.first().report()).append("  (timeline.html, report.md)")
                    .append("\n         replay ").append(s.first().replay());
        }
        return sb.toString();
    }

    /** "1 seed", "2,000 seeds". */
    static String plural(long n, String word) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? word : word + "s");
    }

    /** The summary table. */
    public static String table(RunSummary run) {
        int w = Math.max(8, run.scenarios().stream().mapToInt(s -> s.scenario().length()).max().orElse(8));
        int x = Math.max(8, run.scenarios().stream().mapToInt(s -> s.expected().length()).max().orElse(8));
        StringBuilder sb = new StringBuilder();
        String fmt = "%-" + w + "s  %-" + x + "s  %-7s  %9s  %9s  %12s  %8s%n";
        sb.append(String.format(Locale.ROOT, fmt, "scenario", "expected", "result", "seeds", "schedules", "executions/s",
                "failures"));
        for (ScenarioSummary s : run.scenarios()) {
            sb.append(String.format(Locale.ROOT, fmt, s.scenario(), s.expected(), run.met(s) ? "met" : "NOT MET",
                    String.format(Locale.ROOT, "%,d", s.executions()), String.format(Locale.ROOT, "%,d", s.traceHashes().size()),
                    String.format(Locale.ROOT, "%,.0f", s.executionsPerSecond()), String.format(Locale.ROOT, "%,d", s.failures())));
        }
        long met = run.scenarios().stream().filter(run::met).count();
        sb.append(met).append(" of ").append(run.scenarios().size()).append(" scenarios met their expectation");
        if (!run.complete()) {
            sb.append(" (the run stopped after ").append(run.scenarios().size() + run.badFiles().size()).append(" of ")
                    .append(run.planned()).append(" files)");
        }
        if (!run.badFiles().isEmpty()) {
            sb.append("; ").append(run.badFiles().size()).append(run.badFiles().size() == 1 ? " file was" : " files were")
                    .append(" bad");
        }
        sb.append('\n');
        return sb.toString();
    }
}

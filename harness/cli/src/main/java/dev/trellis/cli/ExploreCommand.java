package dev.trellis.cli;

import dev.trellis.explore.Explorer;
import dev.trellis.explore.ProgressLine;
import dev.trellis.explore.RunSummary;
import dev.trellis.explore.IndexPage;
import dev.trellis.explore.JunitXml;
import dev.trellis.explore.SummaryJson;
import dev.trellis.explore.ScenarioRunner;
import dev.trellis.explore.Shard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code trellis explore}: every scenario file given, its seeds explored, reports written. */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = {"Explore scenario files under the simulator: each file's seeds, a report folder for a failing "
                + "execution, reports/summary.json and reports/index.html.",
                "Exit status: 0 when every scenario got what it expects, 1 when one did not, 2 for bad input."})
final class ExploreCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Scenario files, or folders to search for *.yaml.")
    List<Path> paths;

    @Option(names = "--seeds", paramLabel = "N", description = "Seeds per scenario, instead of each file's own.")
    Long seeds;

    @Option(names = "--strategy", paramLabel = "SPEC",
            description = "Strategy for every scenario, instead of each file's own: random, pos, pct:D, pct:D:K, dfs:P.")
    String strategy;

    @Option(names = "--reports", paramLabel = "DIR", description = "Where reports go (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:trellis.reports:-reports}")
    Path reports;

    @Option(names = "--classpath", paramLabel = "PATH",
            description = "Folders and jars holding your Handler classes, separated by '${sys:path.separator}'.")
    String classpath;

    @Option(names = "--jobs", paramLabel = "N", description = "Threads running seeds at once (default, or 0: every core); the result is "
            + "the same for any N.", defaultValue = "${sys:trellis.jobs:-0}")
    int jobs;

    @Option(names = "--shard", paramLabel = "k/N", defaultValue = "${sys:trellis.shard}",
            description = "Run the k-th (1 to N) of N disjoint slices of every scenario's seeds, for a CI matrix; "
                    + "auto/N reads JOB_COMPLETION_INDEX (a Kubernetes Indexed Job). 'trellis merge' joins the slices.")
    String shard;

    @Option(names = "--junit-xml", paramLabel = "FILE", description = "Also write the run as Surefire-format XML, "
            + "one test case per scenario, for Jenkins, GitLab and GitHub.")
    Path junitXml;

    @Option(names = "--max-reports", paramLabel = "N", defaultValue = "3",
            description = "Failing executions per scenario that get a report folder, the lowest seeds first "
                    + "(default: ${DEFAULT-VALUE}); summary.json lists every failing seed.")
    int maxReports;

    @Option(names = "--shrink-runs", paramLabel = "N", defaultValue = "2000",
            description = "Executions shrinking one reported failure may run, 0 to report it as found "
                    + "(default: ${DEFAULT-VALUE}; the bound every machine reaches alike).")
    int shrinkRuns;

    @Option(names = "--keep-going", description = "Run every seed even after a failure (default: stop at a scenario's first).")
    boolean keepGoing;

    @Override
    public Integer call() throws Exception {
        if (seeds != null && seeds < 1) {
            return Cli.bad("--seeds must be at least 1, was [" + seeds + "]");
        }
        if (maxReports < 0) {
            return Cli.bad("--max-reports must be 0 or more, was [" + maxReports + "]");
        }
        if (shrinkRuns < 0) {
            return Cli.bad("--shrink-runs must be 0 or more, was [" + shrinkRuns + "]");
        }
        try {
            Files.createDirectories(reports);
            if (!Files.isWritable(reports)) {
                return Cli.bad("--reports: cannot write to " + reports);
            }
        } catch (IOException e) {
            return Cli.bad("--reports: cannot make the folder " + reports + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
        if (junitXml != null) {
            try {
                Path parent = junitXml.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                if (Files.isDirectory(junitXml) || !Files.isWritable(parent)) {
                    return Cli.bad("--junit-xml: cannot write " + junitXml);
                }
            } catch (IOException e) {
                return Cli.bad("--junit-xml: cannot make the folder for " + junitXml + " (" + e.getClass().getSimpleName()
                        + ": " + e.getMessage() + ")");
            }
        }
        if (jobs < 0) {
            return Cli.bad("--jobs must be at least 1, was [" + jobs + "]");
        }
        int threads = jobs == 0 ? Runtime.getRuntime().availableProcessors() : jobs;
        if (strategy != null) {
            try {
                dev.trellis.sim.Strategies.parse(strategy);
            } catch (IllegalArgumentException e) {
                return Cli.bad("--strategy: " + e.getMessage());
            }
        }
        Shard slice = null;
        if (shard != null && !shard.isBlank()) {
            try {
                slice = Shard.parse(shard, System::getenv);
            } catch (IllegalArgumentException e) {
                return Cli.bad(e.getMessage());
            }
        }
        ClassLoader loader;
        List<Path> files;
        try {
            loader = Cli.classLoader(classpath);
            files = Explorer.collect(paths);
        } catch (IllegalArgumentException e) {
            return Cli.bad(e.getMessage());
        }
        if (files.isEmpty()) {
            return Cli.bad("no scenario files (*.yaml) in " + paths);
        }
        ScenarioRunner.Options options = ScenarioRunner.Options.defaults().withSeeds(seeds).withStrategy(strategy)
                .withKeepGoing(keepGoing).withJobs(threads).withMaxReports(maxReports)
                .withShrinking(shrinkRuns, ScenarioRunner.Options.defaults().shrinkTime());
        System.out.println("exploring " + files.size() + (files.size() == 1 ? " scenario" : " scenarios")
                + (slice == null ? "" : ", shard " + slice) + " on " + threads + (threads == 1 ? " thread" : " threads")
                + ", reports in " + reports);
        Explorer.Live live = new Explorer.Live(files, new Explorer.Settings(options, reports, loader, System.out,
                ProgressLine.forStderr(), slice));
        String suite = "trellis explore" + (slice == null ? "" : " shard " + slice);
        // Ctrl-C or a CI time-out's SIGTERM: leave what was found, marked unfinished, and say so.
        Thread onStop = new Thread(() -> {
            if (!live.finished()) {
                RunSummary sofar = live.sofar();
                try {
                    SummaryJson.write(reports.resolve(Explorer.SUMMARY_JSON), sofar);
                    IndexPage.write(reports.resolve(Explorer.INDEX_HTML), sofar);
                    if (junitXml != null) {
                        JunitXml.write(junitXml, sofar, suite);
                    }
                    System.err.println("\ntrellis: stopped after " + sofar.scenarios().size() + " of " + files.size()
                            + " scenarios; what they found is in " + reports.resolve(Explorer.SUMMARY_JSON));
                } catch (IOException e) {
                    System.err.println("\ntrellis: stopped; could not write the summary: " + e.getMessage());
                }
            }
        }, "trellis-stopped");
        Runtime.getRuntime().addShutdownHook(onStop);
        RunSummary run = live.run();
        Runtime.getRuntime().removeShutdownHook(onStop);
        if (junitXml != null) {
            JunitXml.write(junitXml, run, suite);
            System.out.println("JUnit XML: " + junitXml);
        }
        return run.exitCode();
    }
}

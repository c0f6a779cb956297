package dev.trellis.cli;

import dev.trellis.explore.Explorer;
import dev.trellis.explore.IndexPage;
import dev.trellis.explore.JunitXml;
import dev.trellis.explore.Merger;
import dev.trellis.explore.RunSummary;
import dev.trellis.explore.SummaryJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code trellis merge}: the shards' summaries as one run's. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Merge the summary.json files of the shards of one exploration (trellis explore --shard k/N) into "
                + "the summary, digest, index page and JUnit XML one unsharded run gives.",
                "Exit status: 0 when every scenario got what it expects, 1 when one did not, 2 for bad input."})
final class MergeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SUMMARY", arity = "1..*", description = "The shards' summary.json files (or their folders).")
    List<Path> summaries;

    @Option(names = "--reports", paramLabel = "DIR", defaultValue = "${sys:trellis.reports:-reports}",
            description = "Where the merged summary, index and the failures' reports go (default: ${DEFAULT-VALUE}).")
    Path reports;

    @Option(names = "--junit-xml", paramLabel = "FILE", description = "Also write the merged run as Surefire-format XML.")
    Path junitXml;

    @Override
    public Integer call() throws Exception {
        List<Merger.Part> parts = new ArrayList<>();
        for (Path p : summaries) {
            Path file = Files.isDirectory(p) ? p.resolve(Explorer.SUMMARY_JSON) : p;
            if (!Files.isRegularFile(file)) {
                return Cli.bad("no such summary: " + file);
            }
            try {
                parts.add(new Merger.Part(SummaryJson.read(file), file.toAbsolutePath().getParent()));
            } catch (IOException | RuntimeException e) {
                return Cli.bad(file + " is not a Trellis summary.json: " + e.getMessage());
            }
        }
        try {
            Files.createDirectories(reports);
        } catch (IOException e) {
            return Cli.bad("--reports: cannot make the folder " + reports + " (" + e.getMessage() + ")");
        }
        Merger.Merged merged;
        try {
            merged = Merger.merge(parts, reports);
        } catch (IllegalArgumentException e) {
            return Cli.bad(e.getMessage());
        }
        merged.warnings().forEach(w -> System.err.println("trellis: " + w));
        RunSummary run = merged.run();
        SummaryJson.write(reports.resolve(Explorer.SUMMARY_JSON), run);
        IndexPage.write(reports.resolve(Explorer.INDEX_HTML), run);
        if (junitXml != null) {
            JunitXml.write(junitXml, run, "trellis explore");
        }
        System.out.print(Explorer.table(run));
        System.out.println("summary: " + reports.resolve(Explorer.SUMMARY_JSON) + ", " + reports.resolve(Explorer.INDEX_HTML)
                + (junitXml == null ? "" : ", " + junitXml));
        if (!run.complete()) {
            System.err.println("trellis: the merged summary is incomplete (see above); it is written, marked so");
        }
        return run.exitCode();
    }
}

package dev.trellis.scenario;

import dev.trellis.explore.Explorer;
import dev.trellis.explore.IndexPage;
import dev.trellis.explore.Replayer;
import dev.trellis.explore.RunSummary;
import dev.trellis.explore.ScenarioRunner;
import dev.trellis.explore.ScenarioSummary;
import dev.trellis.explore.Shard;
import dev.trellis.explore.SummaryJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every scenario file under {@code scenarios/} is a test: it must read, plan, and meet its
 * expectation over its seeds (times {@code -Dtrellis.budget}). Failing executions get their report
 * under {@code reports/} (or {@code -Dtrellis.reports}), with {@code summary.json} and
 * {@code index.html}, as {@code trellis explore} writes them.
 *
 * <p>{@code -Dtrellis.shard=k/N} runs the k-th of N slices of every file's seeds (a CI matrix job;
 * {@code auto/N} reads {@code JOB_COMPLETION_INDEX}); a known bug that does not show in a slice
 * is not a failure there ({@code trellis merge} of the slices' summaries decides). Seeds run on
 * every core ({@code -Dtrellis.jobs=N} to change), with the same result as on one.
 *
 * <p>{@code -Dtrellis.replay=<scenario>@<seed>} runs just that execution instead, prints its
 * failure and trace hash, and checks the hash against the report an exploration wrote for it.
 */
class ScenarioFilesTest {
    static final String REPLAY_PROPERTY = "trellis.replay";
    static final String REPORTS_PROPERTY = "trellis.reports";
    private static final List<ScenarioSummary> SUMMARIES = Collections.synchronizedList(new ArrayList<>());
    private static final List<RunSummary.BadFile> BAD = Collections.synchronizedList(new ArrayList<>());

    static Path reports() {
        String p = System.getProperty(REPORTS_PROPERTY);
        return p != null && !p.isBlank() ? Path.of(p) : Scenarios.root().resolveSibling("reports");
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioMeetsItsExpectation() {
        String replay = System.getProperty(REPLAY_PROPERTY);
        if (replay != null && !replay.isBlank()) {
            return Stream.of(replay(replay.strip()));
        }
        Path root = Scenarios.root();
        List<Path> files = Explorer.collect(List.of(root));
        assertThat(files).as("scenario files under " + root).isNotEmpty();
        long budget = Long.getLong("trellis.budget", 1);
        String shardText = System.getProperty("trellis.shard");
        Shard shard = shardText == null || shardText.isBlank() ? null : Shard.parse(shardText, System::getenv);
        int jobs = Integer.getInteger("trellis.jobs", Runtime.getRuntime().availableProcessors());
        return files.stream().map(f -> DynamicTest.dynamicTest(ScenarioReader.nameOf(f, root), f.toUri(), () -> {
            ScenarioPlan plan;
            try {
                plan = Explorer.plan(f, getClass().getClassLoader());
            } catch (ScenarioException e) {
                BAD.add(new RunSummary.BadFile(f.toString(), e.getMessage()));
                throw new AssertionError(e.getMessage(), e);
            }
            long seeds = plan.scenario().explore().seeds() * budget;
            long first = plan.scenario().explore().firstSeed();
            ScenarioRunner.Options options = ScenarioRunner.Options.defaults().withSeeds(seeds).withJobs(jobs);
            if (shard != null) {
                if (shard.seeds(seeds) == 0) {
                    return;   // fewer seeds than shards: none of them is this shard's
                }
                options = options.withFirstSeed(shard.first(first, seeds)).withSeeds(shard.seeds(seeds));
            }
            ScenarioSummary s = ScenarioRunner.run(plan, options, Explorer.sink(reports()), ScenarioRunner.Progress.NONE);
            SUMMARIES.add(s);
            assertThat(shard == null ? s.verdict() : s.sliceVerdict()).as(s.scenario() + " (" + s.executions()
                    + " executions; report " + (s.first() == null ? "none" : s.first().report()) + ")").isNull();
        }));
    }

    @AfterAll
    static void writeSummary() throws IOException {
        if (!SUMMARIES.isEmpty() || !BAD.isEmpty()) {
            String shardText = System.getProperty("trellis.shard");
            RunSummary run = new RunSummary(SUMMARIES, BAD, shardText == null || shardText.isBlank() ? null
                    : Shard.parse(shardText, System::getenv));
            SummaryJson.write(reports().resolve(Explorer.SUMMARY_JSON), run);
            IndexPage.write(reports().resolve(Explorer.INDEX_HTML), run);
        }
    }

    private static DynamicTest replay(String spec) {
        int at = spec.lastIndexOf('@');
        if (at < 1) {
            throw new IllegalArgumentException("-D" + REPLAY_PROPERTY + " takes <scenario>@<seed>, such as "
                    + "seed-chat/broadcast-order@6, was [" + spec + "]");
        }
        String name = spec.substring(0, at);
        long seed = Long.parseLong(spec.substring(at + 1).strip());
        Path file = Scenarios.root().resolve(name + ".yaml");
        return DynamicTest.dynamicTest("replay " + spec, () -> {
            assertThat(file).as("-D%s names scenario %s: no file %s", REPLAY_PROPERTY, name, file).exists();
            Replayer.Replay r = Replayer.seed(file, seed, null, reports(), ScenarioFilesTest.class.getClassLoader());
            String text = (r.run().result().ok() ? name + ": seed " + seed + " passed" : r.run().report().message())
                    + "\noutcome     " + r.run().outcome() + "\ntrace hash  " + r.run().result().traceHashHex()
                    + "\nrecorded    " + (r.recordedHash() == null ? "nothing to compare with"
                    : r.recordedHash() + (r.matches() ? ": the replay matches it" : ": the replay DEPARTS from it\n" + r.departure()));
            System.out.println(text);
            assertThat(r.matches()).as(text).isTrue();
            assertThat(r.asExpected()).as("the scenario expects %s\n%s", r.plan().expected(), text).isTrue();
        });
    }
}

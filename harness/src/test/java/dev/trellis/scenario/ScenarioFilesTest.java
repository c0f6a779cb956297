package dev.trellis.scenario;

import dev.trellis.explore.ScenarioRunner;
import dev.trellis.explore.ScenarioSummary;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every scenario file under {@code scenarios/} is a test: it must read, plan, and meet its expectation. */
class ScenarioFilesTest {
    @TestFactory
    Stream<DynamicTest> everyScenarioMeetsItsExpectation() throws IOException {
        Path root = Scenarios.root();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        assertThat(files).as("scenario files under " + root).isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(ScenarioReader.nameOf(f, root), f.toUri(), () -> {
            ScenarioPlan plan = ScenarioPlan.of(ScenarioReader.read(f, root), getClass().getClassLoader());
            ScenarioSummary s = ScenarioRunner.run(plan, ScenarioRunner.Options.defaults(), ScenarioRunner.ReportSink.NONE,
                    ScenarioRunner.Progress.NONE);
            assertThat(s.verdict()).as(s.scenario() + ": " + s.executions() + " executions").isNull();
        }));
    }
}

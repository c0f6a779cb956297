package dev.trellis.scenario;

import dev.trellis.explore.ScenarioRunner;
import dev.trellis.explore.ScenarioSummary;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code yaml} block of {@code scenarios/README.md} is a complete scenario: it reads, plans,
 * and meets its expectation on its first three seeds. The guide's examples cannot rot.
 */
class ScenarioReadmeTest {
    private static final Pattern YAML_BLOCK = Pattern.compile("(?m)^```yaml\\n(.*?)^```$", Pattern.DOTALL);

    @TestFactory
    Stream<DynamicTest> everyYamlExampleRunsAsItSays() throws IOException {
        List<String> blocks = blocks();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            String name = "README example " + (i + 1);
            String text = blocks.get(i);
            tests.add(DynamicTest.dynamicTest(name + ": " + firstDescriptionLine(text), () -> {
                ScenarioPlan plan = ScenarioPlan.of(ScenarioReader.parse(text, null, name), getClass().getClassLoader());
                ScenarioSummary s = ScenarioRunner.run(plan, ScenarioRunner.Options.defaults().withSeeds(3L),
                        ScenarioRunner.ReportSink.NONE, ScenarioRunner.Progress.NONE);
                assertThat(s.verdict()).as(name + " (" + s.executions() + " executions):\n" + text).isNull();
            }));
        }
        return tests.stream();
    }

    @Test
    void theGuideHasExamplesAndEachStartsWithTheSchemaLine() throws IOException {
        List<String> blocks = blocks();
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(5);
        assertThat(blocks).allSatisfy(b -> assertThat(b).startsWith("# yaml-language-server: $schema=../scenario.schema.json\n"));
    }

    private static List<String> blocks() throws IOException {
        String readme = Files.readString(Scenarios.root().resolve("README.md"), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        Matcher m = YAML_BLOCK.matcher(readme);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String firstDescriptionLine(String text) {
        return text.lines().filter(l -> l.startsWith("description:")).findFirst()
                .map(l -> l.substring("description:".length()).strip()).filter(l -> !l.equals(">"))
                .orElse("").replaceAll("^(.{60}).+$", "$1...");
    }
}

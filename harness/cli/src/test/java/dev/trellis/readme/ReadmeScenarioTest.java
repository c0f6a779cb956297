package dev.trellis.readme;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scenario docs/scenarios-and-reports.md shows first is the shipped file, which
 * {@code ScenarioFilesTest} runs.
 */
class ReadmeScenarioTest {
    /** Tests run in the module directory; the docs are the repository's. */
    static final Path SCENARIOS_DOC = Path.of("../..", "docs", "scenarios-and-reports.md");

    @Test
    void theScenarioDocsFirstScenarioIsTheShippedBroadcastOrderFile() throws IOException {
        String doc = Files.readString(SCENARIOS_DOC);
        int start = doc.indexOf("```yaml\n");
        assertThat(start).as("%s shows a ```yaml block", SCENARIOS_DOC).isNotNegative();
        String block = doc.substring(start + "```yaml\n".length(), doc.indexOf("```", start + 8));
        assertThat(block).isEqualTo(Files.readString(Path.of("../..", "scenarios", "seed-chat", "broadcast-order.yaml")));
    }
}

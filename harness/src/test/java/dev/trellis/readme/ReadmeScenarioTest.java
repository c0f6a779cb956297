package dev.trellis.readme;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The scenario the README shows is the shipped file, which {@code ScenarioFilesTest} runs. */
class ReadmeScenarioTest {
    @Test
    void theReadmesScenarioIsTheShippedBroadcastOrderFile() throws IOException {
        String readme = Files.readString(ReadmeBlocks.README);
        int start = readme.indexOf("```yaml\n");
        assertThat(start).as("README.md shows a ```yaml block").isNotNegative();
        String block = readme.substring(start + "```yaml\n".length(), readme.indexOf("```", start + 8));
        assertThat(block).isEqualTo(Files.readString(Path.of("..", "scenarios", "seed-chat", "broadcast-order.yaml")));
    }
}

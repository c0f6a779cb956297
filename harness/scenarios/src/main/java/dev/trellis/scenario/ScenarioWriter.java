package dev.trellis.scenario;

import dev.trellis.sim.Durations;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.time.Duration;

/** Writes a scenario back as YAML that {@link ScenarioReader} reads to an equal one: for scenarios a tool made (a shrunk one). */
public final class ScenarioWriter {
    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build())
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(new SimpleModule("trellis-durations").addSerializer(Duration.class, new JsonSerializer<>() {
                @Override
                public void serialize(Duration d, JsonGenerator g, SerializerProvider p) throws IOException {
                    g.writeString(Durations.format(d));
                }
            }))
            .build();

    private ScenarioWriter() {}

    /** {@code s} as YAML, after a {@code # comment} line (and the schema line editors read). */
    public static String write(Scenario s, String comment) {
        try {
            // No schema line: where this file ends up (a report folder) has no scenario.schema.json beside it.
            return "# " + comment.replace("\n", "\n# ") + "\n" + YAML.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a scenario: " + e.getMessage(), e);
        }
    }
}

package dev.trellis.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The schema editors check scenario files against is the reader's model: the committed file is
 * what {@link ScenarioSchema} generates from the records, every shipped scenario is valid under
 * it, and files the reader refuses for their shape the schema refuses too.
 */
class ScenarioSchemaTest {
    private static final Path SCHEMA = Scenarios.root().resolve("scenario.schema.json");

    @Test
    void theCommittedSchemaIsTheOneTheModelGenerates() throws IOException {
        String generated = ScenarioSchema.json();
        if (Boolean.getBoolean("trellis.updateSchema")) {
            Files.writeString(SCHEMA, generated);
        }
        assertThat(SCHEMA).as("%s (regenerate with -Dtrellis.updateSchema=true)", SCHEMA).exists();
        assertThat(Files.readString(SCHEMA))
                .as("scenarios/scenario.schema.json is out of date with the Scenario records; regenerate it with "
                        + "mvn -B verify -Dtest=ScenarioSchemaTest -Dtrellis.updateSchema=true")
                .isEqualTo(generated);
    }

    @Test
    void everyShippedScenarioIsValidUnderTheSchemaAndNamesIt() throws IOException {
        JsonSchema schema = schema();
        List<Path> files;
        try (Stream<Path> s = Files.walk(Scenarios.root())) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            String text = Files.readString(f);
            assertThat(text.lines().findFirst().orElse(""))
                    .as("%s must start with the schema line, so editors complete and check it", f)
                    .isEqualTo("# yaml-language-server: $schema=../scenario.schema.json");
            Set<ValidationMessage> errors = schema.validate(new YAMLMapper().readTree(text));
            assertThat(errors).as("%s against the schema", f).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "subject: {program: echo, chunkin: 3}",
        "subject: {program: echo}\nexplore: {seeds: 0}",
        "subject: {program: echo, handler: a.B}",
        "subject: {program: nope}",
        "explore: {seeds: 3}",
        "subject: {program: echo}\nclients: [{name: a, script: [{line: x, close: true}]}]",
        "subject: {program: echo}\nclients: [{name: a, script: [{at: 5 seconds, line: x}]}]",
        "subject: {program: echo}\nnetwork: {streams: {chunking: sometimes}}",
        "subject: {program: echo}\nhappyEyeballs: {addresses: [{succeeds: 1s, hangs: true}]}",
    })
    void whatTheReaderRefusesForItsShapeTheSchemaRefusesToo(String yaml) throws IOException {
        assertThatThrownBy(() -> ScenarioPlan.of(ScenarioReader.parse(yaml, null, "bad"), getClass().getClassLoader()))
                .isInstanceOf(ScenarioException.class);
        assertThat(schema().validate(new YAMLMapper().readTree(yaml))).as(yaml).isNotEmpty();
    }

    private static JsonSchema schema() throws IOException {
        JsonNode node = new ObjectMapper().readTree(Files.readString(SCHEMA));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(node);
    }
}

package dev.trellis.scenario;

import dev.trellis.sim.Durations;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A mistake in a scenario file is reported at its line and column, with what is accepted there. */
class ScenarioReaderTest {
    private static final Path FILE = Path.of("scenarios/echo/typo.yaml");

    private static ScenarioException error(String yaml) {
        try {
            ScenarioPlan.of(ScenarioReader.parse(yaml, FILE, "echo/typo"), ScenarioReaderTest.class.getClassLoader());
        } catch (ScenarioException e) {
            return e;
        }
        throw new AssertionError("no error for:\n" + yaml);
    }

    @Nested
    class Keys {
        @Test
        void anUnknownKeyNamesTheNearestKnownOneAndItsPlace() {
            ScenarioException e = error("""
                    subject: {program: echo}
                    network:
                      streams:
                        chunkin: fixed
                    clients: [{name: a}]
                    """);
            assertThat(e.getMessage()).startsWith("scenarios/echo/typo.yaml:4:5: unknown key 'chunkin' in network.streams; "
                    + "did you mean chunking? Accepted here: capacity, chunking, latency, maxChunk, preset, resetAt, resetWithin");
        }

        @Test
        void aKeyFarFromAnyKnownOneListsWhatIsAccepted() {
            ScenarioException e = error("subject: {program: echo}\nwibble: 3\n");
            assertThat(e.getMessage()).contains(":2:1: unknown key 'wibble'").doesNotContain("did you mean")
                    .contains("Accepted here: clients, description, expected, explore");
        }

        @Test
        void aDuplicateKeyIsAMistakeNotAnOverride() {
            assertThat(error("subject: {program: echo}\nexpected: pass\nexpected: Deadlock\n").getMessage())
                    .contains(":3:1: duplicate key 'expected'");
        }
    }

    @Nested
    class Values {
        @Test
        void aDurationWithoutAUnitIsRefusedWithTheUnitsAccepted() {
            assertThat(error("subject: {program: echo}\nrunFor: 100\nclients: [{name: a}]\n").getMessage())
                    .contains(":2:9: ").contains("[100] has no unit: write 100ms or 100s");
            assertThat(error("subject: {program: echo}\nrunFor: 1 sec\nclients: [{name: a}]\n").getMessage())
                    .contains(":2:9: ").contains("[1 sec] is not a duration: expected a number and a unit");
        }

        @Test
        void aWordWhereANumberGoesSaysSo() {
            assertThat(error("subject: {program: echo}\nexplore: {seeds: many}\n").getMessage())
                    .contains(":2:18: ").contains("explore.seeds").contains("a whole number");
        }

        @Test
        void aStepWithTwoActionsNamesTheActions() {
            assertThat(error("subject: {program: echo}\nclients:\n  - name: a\n    script:\n      - {line: hi, close: true}\n")
                    .getMessage()).contains(":5:").contains("clients[0].script[0]")
                    .contains("a step does exactly one of line, text, hex, expect");
        }

        @Test
        void anUnknownProgramSuggestsTheNearest() {
            assertThat(error("subject:\n  program: seedchat\nclients: [{name: a}]\n").getMessage())
                    .isEqualTo("scenarios/echo/typo.yaml:2:12: unknown program 'seedchat'; did you mean seed-chat? "
                            + "Accepted: nursery, echo, happy-eyeballs, seed-chat, chat, or handler: <class name>");
        }

        @Test
        void anUnknownRuleSuggestsTheNearestOfItsProtocol() {
            assertThat(error("subject: {program: chat}\nclients: [{name: a}]\ninvariants: [chat-total-ordr]\n").getMessage())
                    .contains(":3:14: unknown rule 'chat-total-ordr' for a chat subject; did you mean chat-total-order?");
        }

        @Test
        void anExpectedOutcomeThatCannotHappenIsRefused() {
            assertThat(error("subject: {program: echo}\nclients: [{name: a}]\nexpected: Deadlok\n").getMessage())
                    .contains(":3:11: ").contains("did you mean Deadlock?");
        }

        @Test
        void aHandlerThatIsNotOnTheClassPathSaysHowToAddIt() {
            assertThat(error("subject: {handler: com.example.Missing}\nclients: [{name: a}]\n").getMessage())
                    .contains(":1:20: no class 'com.example.Missing'").contains("--classpath");
        }

        @Test
        void aClassThatIsNotAHandlerIsRefused() {
            assertThat(error("subject: {handler: java.lang.String}\nclients: [{name: a}]\n").getMessage())
                    .contains("'java.lang.String' is not a dev.trellis.runtime.Handler");
        }

        @Test
        void badYamlNamesItsPlace() {
            assertThat(error("subject: {program: echo\nclients: [\n").getMessage()).startsWith("scenarios/echo/typo.yaml:")
                    .contains("not valid YAML");
        }

        @Test
        void anEmptyFileNeedsASubject() {
            assertThat(error("# nothing\n").getMessage()).contains("is empty: a scenario needs at least a 'subject'");
        }
    }

    @Nested
    class PlacesFoundFromTheNodeTree {
        @Test
        void aMisspelledStepKeyIsNamedAtItsPlace() {
            assertThat(error("subject: {program: echo}\nclients:\n  - name: a\n    script:\n      - halfClos: true\n")
                    .getMessage()).startsWith("scenarios/echo/typo.yaml:5:9: unknown key 'halfClos' in clients[0].script[0]; "
                    + "did you mean halfClose?");
        }

        @Test
        void aValueARecordRefusesIsPlacedAtTheValue() {
            assertThat(error("subject: {program: echo}\nexplore:\n  seeds: 0\nclients: [{name: a}]\n").getMessage())
                    .startsWith("scenarios/echo/typo.yaml:3:10: in explore: seeds must be at least 1");
        }

        @Test
        void aFileThatIsNotAMappingSaysWhatItIs() {
            assertThat(error("just a sentence\n").getMessage())
                    .isEqualTo("scenarios/echo/typo.yaml:1:1: a scenario is a mapping of keys (subject:, explore:, clients:, "
                            + "...), found a single value [just a sentence]");
        }

        @Test
        void anchorsAndAliasesAreRefusedRatherThanHalfRead() {
            assertThat(error("subject: {program: echo}\nclients:\n  - name: &x a\n  - name: *x\n").getMessage())
                    .contains(":3:11: YAML anchors and aliases (&x, *x) are not read");
        }

        @Test
        void aNegativeDurationIsRefusedInEveryForm() {
            assertThat(error("subject: {program: echo}\nrunFor: PT-1S\nclients: [{name: a}]\n").getMessage())
                    .contains(":2:9: ").contains("[PT-1S] is negative");
        }

        @Test
        void binaryDataIsCalledThat() {
            assertThat(error("subject: {program: echo}\nrunFor: !!binary aGVsbG8=\nclients: [{name: a}]\n").getMessage())
                    .contains(":2:9: ").contains("found binary data");
        }

        @Test
        void aHandlerWhoseConstructorThrowsIsASetupMistakeNotAFailureOfEverySeed() {
            assertThat(error("subject: {handler: " + Throwing.class.getName() + "}\nclients: [{name: a}]\n").getMessage())
                    .contains("Throwing()' threw java.lang.IllegalStateException: no config");
            assertThat(error("subject: {handler: dev.trellis.runtime.Handler}\nclients: [{name: a}]\n").getMessage())
                    .contains("is an interface");
        }
    }

    /** A handler that cannot be made. */
    public static final class Throwing implements dev.trellis.runtime.Handler {
        public Throwing() {
            throw new IllegalStateException("no config");
        }

        @Override
        public void handle(dev.trellis.runtime.ByteStream stream) {
        }
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("PT1S")).isEqualTo(Duration.ofSeconds(1));
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofSeconds(2))).isEqualTo("2s");
        assertThatThrownBy(() -> Durations.parse("1.0000000001ns")).hasMessageContaining("not a whole number");
    }

    @Test
    void nearestWordToleratesAThirdOfItWrong() {
        assertThat(Suggest.nearest("chunkin", java.util.List.of("chunking", "capacity"))).isEqualTo("chunking");
        assertThat(Suggest.nearest("seeds", java.util.List.of("hex", "text"))).isNull();
    }
}

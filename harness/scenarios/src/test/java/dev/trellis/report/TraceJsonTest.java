package dev.trellis.report;

import dev.trellis.explore.RecordedExecution;
import dev.trellis.sim.Result;
import dev.trellis.sim.Schedule;
import dev.trellis.sim.Simulation;
import dev.trellis.trace.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** trace.json as the report writes it and as {@code trellis replay} reads it back (here, where the reader is). */
class TraceJsonTest {
    @Test
    void everyFieldAndEventSurvivesTheRoundTrip(@TempDir Path tmp) throws IOException {
        ExecutionReport r = ReportFixtures.chatReport();
        Path file = ReportWriter.write(tmp, r).resolve(ReportWriter.TRACE_JSON);
        RecordedExecution back = RecordedExecution.read(file);
        assertThat(back.formatVersion()).isEqualTo(TraceJson.FORMAT_VERSION);
        assertThat(back.scenario()).isEqualTo(r.scenario());
        assertThat(back.scenarioFile()).isEqualTo(r.scenarioFile());
        assertThat(back.scenarioText()).isEqualTo(r.scenarioText());
        assertThat(back.schedule()).isEqualTo(r.schedule());
        assertThat(back.seed()).isEqualTo(r.seed());
        assertThat(back.expected()).isEqualTo(r.expected());
        assertThat(back.outcome()).isEqualTo(r.outcome());
        assertThat(back.headline()).isEqualTo(r.headline());
        assertThat(back.message()).isEqualTo(r.message());
        assertThat(back.violationEvent()).isEqualTo(r.violationEvent());
        assertThat(back.replayCommand()).isEqualTo(r.replayCommand());
        assertThat(back.traceHash()).isEqualTo(r.trace().hashHex()).hasSize(16);
        Trace t = r.trace();
        assertThat(back.events()).hasSize(t.size());
        RecordedExecution.Event e = back.events().get(t.size() - 1);
        assertThat(e.index()).isEqualTo(t.size() - 1);
        assertThat(e.line()).isEqualTo(t.describe(t.size() - 1));
        assertThat(e.taskName()).isEqualTo("main");
        assertThat(back.firstDeparture(t)).isNull();
        // Written again from what was read, nothing moves: one event a line, \n line ends.
        assertThat(Files.readString(file)).doesNotContain("\r").contains("\n  \"events\": [\n    { \"index\": 0, ");
    }

    @Test
    void rerunningTheRecordedScheduleGivesTheRecordedExecution(@TempDir Path tmp) throws IOException {
        ExecutionReport r = ReportFixtures.chatReport();
        RecordedExecution recorded = RecordedExecution.read(ReportWriter.write(tmp, r).resolve(ReportWriter.TRACE_JSON));
        Result again = Simulation.result(ReportFixtures.chatBody(ReportFixtures.racyChat()), Schedule.parse(recorded.schedule()));
        assertThat(again.traceHashHex()).isEqualTo(recorded.traceHash());
        assertThat(recorded.firstDeparture(again.trace())).isNull();
    }

    @Test
    void aDepartureNamesTheFirstEventThatDiffersAndBothVersionsOfIt(@TempDir Path tmp) throws IOException {
        ExecutionReport r = ReportFixtures.overdraftReport();
        RecordedExecution recorded = RecordedExecution.read(ReportWriter.write(tmp, r).resolve(ReportWriter.TRACE_JSON));
        Trace other = Simulation.result(ReportFixtures::overdraft, r.seed() + 1).trace();
        int first = 0;
        while (first < Math.min(other.size(), r.trace().size()) && other.describe(first).equals(r.trace().describe(first))) {
            first++;
        }
        assertThat(recorded.firstDeparture(other))
                .startsWith("The replay departs from the recording at event " + first + ".")
                .contains("recorded: " + r.trace().describe(first))
                .contains("replayed: " + other.describe(first));
    }

    @Test
    void aReplayThatStopsShortOrGoesOnIsADeparture(@TempDir Path tmp) throws IOException {
        ExecutionReport r = ReportFixtures.overdraftReport();
        RecordedExecution recorded = RecordedExecution.read(ReportWriter.write(tmp, r).resolve(ReportWriter.TRACE_JSON));
        Trace t = r.trace();
        Trace shorter = copy(t, t.size() - 1);
        assertThat(recorded.firstDeparture(shorter)).startsWith("The replay ended after " + (t.size() - 1) + " events")
                .contains("recorded: " + t.describe(t.size() - 1));
        Trace longer = copy(t, t.size());
        longer.add(dev.trellis.trace.TraceKind.NOTE, 0, 0, 0, 0, 7, "one more");
        assertThat(recorded.firstDeparture(longer)).startsWith("The recording ended after " + t.size() + " events")
                .contains("replayed: " + longer.describe(t.size()));
    }

    @Test
    void identityHashesInTextsAreNotADeparture(@TempDir Path tmp) throws IOException {
        Trace a = new Trace();
        a.add(dev.trellis.trace.TraceKind.NOTE, -1, 0, 0, 0, 0, "lock java.lang.Object@1b2c3d");
        Trace b = new Trace();
        b.add(dev.trellis.trace.TraceKind.NOTE, -1, 0, 0, 0, 0, "lock java.lang.Object@77aa01");
        ExecutionReport r = ReportFixtures.withTrace(ReportFixtures.overdraftReport(), a, 0);
        RecordedExecution recorded = RecordedExecution.read(ReportWriter.write(tmp, r).resolve(ReportWriter.TRACE_JSON));
        assertThat(recorded.firstDeparture(b)).isNull();
    }

    @Test
    void anotherFormatVersionIsRefusedWithBothVersions(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("trace.json");
        Files.writeString(file, "{\"format\": \"trellis-execution\", \"formatVersion\": 99, \"events\": []}");
        assertThatThrownBy(() -> RecordedExecution.read(file)).isInstanceOf(IOException.class).hasMessageContaining("version 99")
                .hasMessageContaining("version " + TraceJson.FORMAT_VERSION);
        Files.writeString(file, "{\"events\": []}");
        assertThatThrownBy(() -> RecordedExecution.read(file)).hasMessageContaining("not a Trellis trace.json");
    }

    private static Trace copy(Trace t, int n) {
        Trace c = new Trace();
        for (int i = 0; i < n; i++) {
            c.add(t.kind(i), t.task(i), t.a(i), t.b(i), t.time(i), t.step(i), t.text(i));
        }
        return c;
    }
}

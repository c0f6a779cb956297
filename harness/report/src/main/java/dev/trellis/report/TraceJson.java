package dev.trellis.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.core.JsonFactory;
import dev.trellis.trace.Trace;
import dev.trellis.trace.TraceKind;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code trace.json}: an execution as data, for tools. It holds the scenario's text and the
 * schedule, so a replay tool can rerun the execution even after the scenario file changed, and
 * every event, so it can check the rerun event by event ({@code trellis replay} reads it back).
 *
 * <p>Written field by field with Jackson's streaming generator (jackson-core alone, no data
 * binding), so the file's order is fixed and no reflection on these classes is needed. Pretty-printed with {@code \n} on every platform,
 * one event a line.
 */
public final class TraceJson {
    /** The version {@link #write} writes and a reader checks; a change to the fields changes it. */
    public static final int FORMAT_VERSION = 1;
    /** What the {@code format} field says, so a tool can tell this file from other JSON. */
    public static final String FORMAT = "trellis-execution";

    private static final JsonFactory JSON = new JsonFactory();

    private TraceJson() {}

    /** Writes {@code r} to {@code file}, replacing it. The same report gives the same bytes. */
    public static void write(Path file, ExecutionReport r) throws IOException {
        Files.writeString(file, text(r), StandardCharsets.UTF_8);
    }

    /** The JSON {@link #write} writes. */
    static String text(ExecutionReport r) throws IOException {
        Trace t = r.trace();
        TraceFacts facts = new TraceFacts(t);
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.setPrettyPrinter(new OneEventALine());
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("formatVersion", FORMAT_VERSION);
            g.writeStringField("scenario", r.scenario());
            g.writeStringField("scenarioFile", r.scenarioFile());
            g.writeStringField("scenarioText", r.scenarioText());
            g.writeStringField("schedule", r.schedule());
            g.writeNumberField("seed", r.seed());
            g.writeStringField("expected", r.expected());
            g.writeStringField("outcome", r.outcome());
            g.writeStringField("headline", r.headline());
            g.writeStringField("message", r.message());
            g.writeNumberField("violationEvent", r.violationEvent());
            g.writeStringField("traceHash", t.hashHex());
            g.writeStringField("replayCommand", r.replayCommand());
            Shrinking k = r.shrinking();
            if (k != null) {
                g.writeObjectFieldStart("shrunkFrom");
                g.writeStringField("schedule", k.originalSchedule());
                g.writeStringField("traceHash", k.originalTraceHash());
                g.writeNumberField("preemptionsBefore", k.preemptionsBefore());
                g.writeNumberField("preemptionsAfter", k.preemptionsAfter());
                g.writeNumberField("stepsBefore", k.stepsBefore());
                g.writeNumberField("stepsAfter", k.stepsAfter());
                g.writeNumberField("runs", k.runs());
                g.writeStringField("stoppedEarly", k.stoppedEarly());
                g.writeNumberField("clientsBefore", k.clientsBefore());
                g.writeNumberField("clientsAfter", k.clientsAfter());
                g.writeNumberField("scriptStepsBefore", k.scriptStepsBefore());
                g.writeNumberField("scriptStepsAfter", k.scriptStepsAfter());
                g.writeArrayFieldStart("scenarioChanges");
                for (String change : k.scenarioChanges()) {
                    g.writeString(change);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeArrayFieldStart("events");
            for (int i = 0; i < t.size(); i++) {
                g.writeStartObject();
                g.writeNumberField("index", i);
                g.writeNumberField("step", t.step(i));
                g.writeNumberField("timeNanos", t.time(i));
                g.writeStringField("kind", TraceKind.name(t.kind(i)));
                g.writeNumberField("task", t.task(i));
                g.writeStringField("taskName", facts.name(t.task(i)));
                g.writeNumberField("a", t.a(i));
                g.writeNumberField("b", t.b(i));
                g.writeStringField("text", t.text(i));
                g.writeStringField("line", t.describe(i));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out + "\n";
    }

    /**
     * Jackson's pretty printer with {@code \n} on every platform (its default takes the system's
     * line separator) and each event on one line: a 5,000-event trace stays 5,000 lines to read
     * and diff, not 60,000.
     */
    private static final class OneEventALine extends DefaultPrettyPrinter {
        OneEventALine() {
            super(DefaultPrettyPrinter.DEFAULT_SEPARATORS.withObjectFieldValueSpacing(Separators.Spacing.AFTER));
            DefaultIndenter lines = new DefaultIndenter("  ", "\n");
            indentArraysWith(lines);
            // Objects below the top one (the events) stay on one line.
            indentObjectsWith(new DefaultIndenter("  ", "\n") {
                @Override
                public void writeIndentation(JsonGenerator g, int level) throws IOException {
                    if (level <= 1) {
                        super.writeIndentation(g, level);
                    } else {
                        g.writeRaw(' ');
                    }
                }
            });
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new OneEventALine();
        }
    }
}

package dev.trellis.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trellis.trace.Trace;
import dev.trellis.trace.TraceKind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code trace.json}: an execution as data, for tools. It holds the scenario's text and the
 * schedule, so a replay tool can rerun the execution even after the scenario file changed, and
 * every event, so it can check the rerun with {@link RecordedExecution#firstDeparture}.
 *
 * {@snippet :
 * RecordedExecution recorded = TraceJson.read(Path.of("reports/seed-chat/broadcast-order/seed-3/trace.json"));
 * Result again = rerun(recorded.scenarioText(), Schedule.parse(recorded.schedule()));
 * String departure = recorded.firstDeparture(again.trace());   // null: the same execution
 * }
 *
 * <p>Built as a Jackson tree, field by field, so the file's order is fixed and no reflection on
 * these classes is needed on the module path. Pretty-printed with {@code \n} on every platform,
 * one event a line.
 */
public final class TraceJson {
    /** The version {@link #write} writes and {@link #read} reads; a change to the fields changes it. */
    public static final int FORMAT_VERSION = 1;
    /** What the {@code format} field says, so a tool can tell this file from other JSON. */
    public static final String FORMAT = "trellis-execution";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TraceJson() {}

    /** Writes {@code r} to {@code file}, replacing it. The same report gives the same bytes. */
    public static void write(Path file, ExecutionReport r) throws IOException {
        Files.writeString(file, text(r), StandardCharsets.UTF_8);
    }

    /** The JSON {@link #write} writes. */
    static String text(ExecutionReport r) throws IOException {
        Trace t = r.trace();
        TraceFacts facts = new TraceFacts(t);
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("scenario", r.scenario());
        root.put("scenarioFile", r.scenarioFile());
        root.put("scenarioText", r.scenarioText());
        root.put("schedule", r.schedule());
        root.put("seed", r.seed());
        root.put("expected", r.expected());
        root.put("outcome", r.outcome());
        root.put("headline", r.headline());
        root.put("message", r.message());
        root.put("violationEvent", r.violationEvent());
        root.put("traceHash", t.hashHex());
        root.put("replayCommand", r.replayCommand());
        if (r.shrinking() != null) {
            var k = root.putObject("shrunkFrom");
            k.put("schedule", r.shrinking().originalSchedule());
            k.put("traceHash", r.shrinking().originalTraceHash());
            k.put("preemptionsBefore", r.shrinking().preemptionsBefore());
            k.put("preemptionsAfter", r.shrinking().preemptionsAfter());
            k.put("stepsBefore", r.shrinking().stepsBefore());
            k.put("stepsAfter", r.shrinking().stepsAfter());
            k.put("runs", r.shrinking().runs());
            k.put("stoppedEarly", r.shrinking().stoppedEarly());
            k.put("clientsBefore", r.shrinking().clientsBefore());
            k.put("clientsAfter", r.shrinking().clientsAfter());
            k.put("scriptStepsBefore", r.shrinking().scriptStepsBefore());
            k.put("scriptStepsAfter", r.shrinking().scriptStepsAfter());
            var changes = k.putArray("scenarioChanges");
            r.shrinking().scenarioChanges().forEach(changes::add);
        }
        ArrayNode events = root.putArray("events");
        for (int i = 0; i < t.size(); i++) {
            ObjectNode e = events.addObject();
            e.put("index", i);
            e.put("step", t.step(i));
            e.put("timeNanos", t.time(i));
            e.put("kind", TraceKind.name(t.kind(i)));
            e.put("task", t.task(i));
            e.put("taskName", facts.name(t.task(i)));
            e.put("a", t.a(i));
            e.put("b", t.b(i));
            e.put("text", t.text(i));
            e.put("line", t.describe(i));
        }
        return MAPPER.writer(new OneEventALine()).writeValueAsString(root) + "\n";
    }

    /**
     * Reads a file {@link #write} wrote. Throws {@link IOException} when it is not JSON, not this
     * format, or of another format version, saying which.
     */
    public static RecordedExecution read(Path file) throws IOException {
        JsonNode root = MAPPER.readTree(file.toFile());
        if (root == null || !FORMAT.equals(root.path("format").asText(null))) {
            throw new IOException(file + " is not a Trellis trace.json: its \"format\" is not \"" + FORMAT + "\"");
        }
        int version = root.path("formatVersion").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new IOException(file + " has format version " + version + "; this Trellis reads version " + FORMAT_VERSION);
        }
        List<RecordedExecution.Event> events = new ArrayList<>();
        for (JsonNode e : root.path("events")) {
            events.add(new RecordedExecution.Event(e.path("index").asInt(), e.path("step").asLong(),
                    e.path("timeNanos").asLong(), e.path("kind").asText(), e.path("task").asInt(),
                    text(e, "taskName"), e.path("a").asLong(), e.path("b").asLong(), text(e, "text"), text(e, "line")));
        }
        return new RecordedExecution(version, text(root, "scenario"), text(root, "scenarioFile"),
                text(root, "scenarioText"), text(root, "schedule"), root.path("seed").asLong(), text(root, "expected"),
                text(root, "outcome"), text(root, "headline"), text(root, "message"),
                root.path("violationEvent").asInt(-1), text(root, "traceHash"), text(root, "replayCommand"), events,
                text(root.path("shrunkFrom"), "schedule"), text(root.path("shrunkFrom"), "traceHash"));
    }

    /** The field's text, null when it is missing or null. */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
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

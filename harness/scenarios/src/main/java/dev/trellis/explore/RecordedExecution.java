package dev.trellis.explore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trellis.report.TraceJson;
import dev.trellis.trace.Trace;
import dev.trellis.trace.TraceKind;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An execution as {@code trace.json} recorded it, read back by {@link #read}: enough to
 * rerun it (the scenario's text and the schedule) and to check the rerun against it
 * ({@link #firstDeparture}). Fields that the report had as null are null here too.
 *
 * @param formatVersion  the version of the file's format ({@link TraceJson#FORMAT_VERSION})
 * @param traceHash      the recorded trace's hash, 16 hex digits ({@link Trace#hashHex()})
 * @param events         every event, in order
 * @param originalSchedule  for a shrunk execution, the schedule the exploration found it with, else null
 * @param originalTraceHash that one's trace hash, else null
 */
public record RecordedExecution(int formatVersion, String scenario, String scenarioFile, String scenarioText,
                                String schedule, long seed, String expected, String outcome, String headline,
                                String message, int violationEvent, String traceHash, String replayCommand,
                                List<Event> events, String originalSchedule, String originalTraceHash) {
    public RecordedExecution {
        events = List.copyOf(events);
    }

    /**
     * One recorded event.
     *
     * @param kind     the kind's name ({@link TraceKind#name})
     * @param taskName the name of the task it is about, {@code -} for none
     * @param line     the event as {@link Trace#describe} wrote it
     */
    public record Event(int index, long step, long timeNanos, String kind, int task, String taskName, long a, long b,
                        String text, String line) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Reads a file {@link TraceJson#write} wrote. Throws {@link IOException} when it is not JSON, not this
     * format, or of another format version, saying which.
     */
    public static RecordedExecution read(Path file) throws IOException {
        JsonNode root = MAPPER.readTree(file.toFile());
        if (root == null || !TraceJson.FORMAT.equals(root.path("format").asText(null))) {
            throw new IOException(file + " is not a Trellis trace.json: its \"format\" is not \"" + TraceJson.FORMAT + "\"");
        }
        int version = root.path("formatVersion").asInt(-1);
        if (version != TraceJson.FORMAT_VERSION) {
            throw new IOException(file + " has format version " + version + "; this Trellis reads version "
                    + TraceJson.FORMAT_VERSION);
        }
        List<Event> events = new ArrayList<>();
        for (JsonNode e : root.path("events")) {
            events.add(new Event(e.path("index").asInt(), e.path("step").asLong(), e.path("timeNanos").asLong(),
                    e.path("kind").asText(), e.path("task").asInt(), text(e, "taskName"), e.path("a").asLong(),
                    e.path("b").asLong(), text(e, "text"), text(e, "line")));
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

    /** The parts of a text that differ between JVMs, which the trace hash ignores too. */
    private static final Pattern JVM_SPECIFIC = Pattern.compile("@[0-9a-f]{1,16}\\b|/0x[0-9a-f]+|Thread\\[#\\d+");

    /**
     * Where {@code replayed} first differs from this recording, or null when every event matches
     * (kind, task, a, b, step, time and text; in texts, identity hashes, hidden-class addresses and
     * thread ids are ignored, as the trace hash ignores them). Otherwise one paragraph: the index,
     * the recorded event and what the replay did there, each as a {@link Trace#describe} line; or
     * which of the two ended first.
     */
    public String firstDeparture(Trace replayed) {
        int n = Math.min(events.size(), replayed.size());
        for (int i = 0; i < n; i++) {
            Event e = events.get(i);
            boolean same = e.kind().equals(TraceKind.name(replayed.kind(i))) && e.task() == replayed.task(i)
                    && e.a() == replayed.a(i) && e.b() == replayed.b(i) && e.step() == replayed.step(i)
                    && e.timeNanos() == replayed.time(i) && stable(e.text()).equals(stable(replayed.text(i)));
            if (!same) {
                return "The replay departs from the recording at event " + i + ".\n"
                        + "  recorded: " + e.line() + "\n"
                        + "  replayed: " + replayed.describe(i);
            }
        }
        if (events.size() > n) {
            return "The replay ended after " + n + " events; the recording goes on at event " + n + ".\n"
                    + "  recorded: " + events.get(n).line() + "\n"
                    + "  replayed: (no event)";
        }
        if (replayed.size() > n) {
            return "The recording ended after " + n + " events; the replay goes on at event " + n + ".\n"
                    + "  recorded: (no event)\n"
                    + "  replayed: " + replayed.describe(n);
        }
        return null;
    }

    private static String stable(String text) {
        return text == null ? "" : JVM_SPECIFIC.matcher(text).replaceAll("@");
    }

    /** A short form: the default would print every event. */
    @Override
    public String toString() {
        return "RecordedExecution[" + scenario + ", " + schedule + ", " + outcome + ", " + events.size() + " events, trace "
                + traceHash + "]";
    }
}

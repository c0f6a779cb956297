package dev.trellis.report;

import dev.trellis.trace.Trace;
import dev.trellis.trace.TraceKind;

import java.util.List;
import java.util.regex.Pattern;

/**
 * An execution as {@code trace.json} recorded it, read back by {@link TraceJson#read}: enough to
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

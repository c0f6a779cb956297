package dev.trellis.report;

import dev.trellis.trace.Trace;
import dev.trellis.trace.TraceKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every report file reads off a trace the same way: task names, the violating event, an
 * event's category and times as text. Kept in one place so the three files never disagree.
 */
final class TraceFacts {
    /** Categories, in the order the timeline's legend lists them. */
    static final List<String> CATEGORIES = List.of("scheduling", "stream", "app", "happy-eyeballs", "cancellation", "other");

    private final Trace trace;
    /** By task id: ids are dense and small, so an array, never a hash-ordered map. */
    private final String[] names;
    private final String[] labels;

    TraceFacts(Trace trace) {
        this.trace = trace;
        int max = -1;
        for (int i = 0; i < trace.size(); i++) {
            max = Math.max(max, trace.task(i));
        }
        names = new String[max + 1];
        for (int i = 0; i < trace.size(); i++) {
            if (trace.kind(i) == TraceKind.SPAWN && trace.task(i) >= 0 && names[trace.task(i)] == null) {
                names[trace.task(i)] = trace.text(i);
            }
        }
        labels = new String[max + 1];
        // A name two tasks share gets the id, so a column or lane always says which task it is.
        Map<String, Integer> uses = new HashMap<>();   // only counted, never iterated
        for (int t = 0; t <= max; t++) {
            uses.merge(name(t), 1, Integer::sum);
        }
        for (int t = 0; t <= max; t++) {
            labels[t] = uses.get(name(t)) > 1 ? name(t) + " #" + t : name(t);
        }
    }

    Trace trace() {
        return trace;
    }

    /** The task's name from its SPAWN event, {@code task N} without one, {@code -} for no task. */
    String name(int task) {
        if (task < 0) {
            return "-";
        }
        String n = task < names.length ? names[task] : null;
        return n == null || n.isEmpty() ? "task " + task : n;
    }

    /** The name, made unique with the id when another task has it too. */
    String label(int task) {
        return task >= 0 && task < labels.length ? labels[task] : name(task);
    }

    /** Every task id that some event is about, in id order. */
    List<Integer> tasks() {
        boolean[] seen = new boolean[names.length];
        for (int i = 0; i < trace.size(); i++) {
            if (trace.task(i) >= 0) {
                seen[trace.task(i)] = true;
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int t = 0; t < seen.length; t++) {
            if (seen[t]) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * The event where the violation showed: the report's own, or when it has none (-1) the best
     * guess, the last task that ended by throwing, else the last event; -1 for an empty trace.
     */
    static int violation(ExecutionReport r) {
        Trace t = r.trace();
        if (r.violationEvent() >= 0 && r.violationEvent() < t.size()) {
            return r.violationEvent();
        }
        // A rule over what clients saw is judged at the end, and quotes the times of what broke it
        // ("received by dave at 100ms"): the last delivery at the latest of those times is where it showed.
        long latest = -1;
        java.util.regex.Matcher m = QUOTED_TIME.matcher(r.headline() == null ? "" : r.headline());
        while (m.find()) {
            latest = Math.max(latest, Math.round(Double.parseDouble(m.group(1)) * 1_000_000));
        }
        if (latest >= 0) {
            for (int i = t.size() - 1; i >= 0; i--) {
                if (t.kind(i) == TraceKind.STREAM_RECEIVE && t.time(i) <= latest) {
                    return i;
                }
            }
        }
        // A body that died of an exception: where it was first thrown, before nurseries passed it up.
        for (int i = 0; i < t.size(); i++) {
            if (t.kind(i) == TraceKind.END && t.a(i) == 1) {
                return i;
            }
        }
        return t.size() - 1;
    }

    private static final java.util.regex.Pattern QUOTED_TIME = java.util.regex.Pattern.compile("\\bat (\\d+(?:\\.\\d+)?)ms\\b");

    /** The event's category: one of {@link #CATEGORIES}. */
    String category(int i) {
        int kind = trace.kind(i);
        return switch (kind) {
            case TraceKind.SPAWN, TraceKind.STEP, TraceKind.PARK, TraceKind.WAKE, TraceKind.END, TraceKind.YIELD,
                 TraceKind.REPARENT -> "scheduling";
            case TraceKind.STREAM_OPEN, TraceKind.STREAM_SEND, TraceKind.STREAM_RECEIVE, TraceKind.STREAM_EOF,
                 TraceKind.STREAM_CLOSE -> "stream";
            case TraceKind.EVENT -> trace.text(i) != null && trace.text(i).startsWith("he.") ? "happy-eyeballs" : "app";
            case TraceKind.NOTE -> "app";
            case TraceKind.CANCEL, TraceKind.CANCEL_DELIVERED -> "cancellation";
            default -> "other";
        };
    }

    /** Virtual time as the trace's own lines print it: whole milliseconds as {@code 100ms}, else ns. */
    static String time(long nanos) {
        return nanos % 1_000_000 == 0 ? (nanos / 1_000_000) + "ms" : nanos + "ns";
    }
}

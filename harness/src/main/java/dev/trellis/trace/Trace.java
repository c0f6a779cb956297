package dev.trellis.trace;

import dev.trellis.trace.TraceKind;

import java.util.Arrays;

/**
 * What happened in one simulated execution: an append-only list of events, each with its step
 * and virtual time, and a running 64-bit hash of them all, the run's fingerprint. The hash uses
 * only ids, numbers and the text's {@code String.hashCode} (fixed by the language spec), so it is
 * the same in every JVM. Texts come from applications too (notes, exception messages), and may
 * hold what differs between JVMs: identity hashes ({@code Object@1b2c3d}) and the addresses in
 * hidden-class names ({@code Foo$$Lambda/0x000071c4}). The hash reads such texts with those
 * parts blanked; the texts themselves are kept as they were, for reports.
 *
 * <p>Stored column-wise in growable arrays: appending costs a few stores, which keeps tracing on
 * in every run, benchmarks included.
 */
public final class Trace {
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;

    private int size;
    private int[] kinds = new int[64];
    private int[] tasks = new int[64];
    private long[] as = new long[64];
    private long[] bs = new long[64];
    private long[] times = new long[64];
    private long[] steps = new long[64];
    private String[] texts = new String[64];
    private long hash = FNV_OFFSET;

    /** Forgets every event, keeping the buffers: for running many executions in a row. */
    public void clear() {
        Arrays.fill(texts, 0, size, null);
        size = 0;
        hash = FNV_OFFSET;
    }

    public void add(int kind, int task, long a, long b, long time, long step, String text) {
        if (size == kinds.length) {
            grow();
        }
        kinds[size] = kind;
        tasks[size] = task;
        as[size] = a;
        bs[size] = b;
        times[size] = time;
        steps[size] = step;
        texts[size] = text;
        size++;
        long h = hash;
        h = (h ^ kind) * FNV_PRIME;
        h = (h ^ task) * FNV_PRIME;
        h = (h ^ a) * FNV_PRIME;
        h = (h ^ b) * FNV_PRIME;
        h = (h ^ time) * FNV_PRIME;
        if (text != null) {
            // String.hashCode is fixed by the language spec: the same in every JVM, unlike identity hashes.
            h = (h ^ stableHash(text)) * FNV_PRIME;
        }
        hash = h;
    }

    private static final java.util.regex.Pattern JVM_SPECIFIC =
            java.util.regex.Pattern.compile("@[0-9a-f]{1,16}\\b|/0x[0-9a-f]+");

    /** The text's hash with identity hashes and hidden-class addresses blanked. */
    static int stableHash(String text) {
        // Most texts have neither: two scans instead of a regex on the hot path.
        if (text.indexOf('@') < 0 && text.indexOf("/0x") < 0) {
            return text.hashCode();
        }
        return JVM_SPECIFIC.matcher(text).replaceAll("@").hashCode();
    }

    private void grow() {
        int n = kinds.length * 2;
        kinds = Arrays.copyOf(kinds, n);
        tasks = Arrays.copyOf(tasks, n);
        as = Arrays.copyOf(as, n);
        bs = Arrays.copyOf(bs, n);
        times = Arrays.copyOf(times, n);
        steps = Arrays.copyOf(steps, n);
        texts = Arrays.copyOf(texts, n);
    }

    public int size() { return size; }
    public int kind(int i) { return kinds[i]; }
    /** The task the event is about, or -1. */
    public int task(int i) { return tasks[i]; }
    public long a(int i) { return as[i]; }
    public long b(int i) { return bs[i]; }
    /** Virtual time of the event, ns. */
    public long time(int i) { return times[i]; }
    public long step(int i) { return steps[i]; }
    public String text(int i) { return texts[i]; }

    /** The fingerprint of everything recorded so far. */
    public long hash() { return hash; }

    public String hashHex() { return String.format("%016x", hash); }

    /** One event of the trace, as a value. */
    public record Event(int index, int kind, int task, long a, long b, long time, long step, String text) {}

    /** The {@code i}-th event. */
    public Event event(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("event " + i + " of a trace of " + size);
        }
        return new Event(i, kinds[i], tasks[i], as[i], bs[i], times[i], steps[i], texts[i]);
    }

    /** Every event of {@code kind}, in order. */
    public java.util.List<Event> events(int kind) {
        java.util.List<Event> out = new java.util.ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (kinds[i] == kind) {
                out.add(event(i));
            }
        }
        return out;
    }

    /** Every application event of {@code type} ({@code Trellis.event}), in order. */
    public java.util.List<Event> events(String type) {
        java.util.List<Event> out = new java.util.ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (kinds[i] == TraceKind.EVENT && type.equals(texts[i])) {
                out.add(event(i));
            }
        }
        return out;
    }

    /** One event as a line of text, for reports and failure messages. */
    public String describe(int i) {
        return String.format("#%-5d step %-5d t=%-12s %s", i, steps[i], formatTime(times[i]), what(i));
    }

    private String what(int i) {
        String t = "task " + tasks[i];
        long a = as[i];
        long b = bs[i];
        String text = texts[i];
        return switch (kinds[i]) {
            case TraceKind.SPAWN -> t + " '" + text + "' started" + (a >= 0 ? " by task " + a : "")
                    + (b >= 0 ? " in nursery " + b : "");
            case TraceKind.STEP -> t + " runs" + (a > 1 ? " (choice " + (b + 1) + " of " + a + " ready)" : "");
            case TraceKind.PARK -> t + " waits: " + text;
            case TraceKind.WAKE -> t + " woken " + (a >= 0 ? "by task " + a : "by a timer");
            case TraceKind.END -> t + " ends: " + switch ((int) a) {
                case 0 -> "returned";
                case 1 -> "threw " + text;
                case 2 -> "cancelled";
                default -> "aborted";
            };
            case TraceKind.NURSERY_OPEN -> t + " opens nursery " + a;
            case TraceKind.NURSERY_CLOSE -> "nursery " + a + " closes" + (b == 1 ? ", raising a failure" : "");
            case TraceKind.SCOPE_ENTER -> t + " enters scope " + a;
            case TraceKind.SCOPE_EXIT -> t + " leaves scope " + a + (b == 1 ? ", absorbing Cancelled" : "");
            case TraceKind.CANCEL -> "scope " + a + " cancelled: " + text;
            case TraceKind.CANCEL_DELIVERED -> t + " gets Cancelled (scope " + a + ")";
            case TraceKind.CLOCK -> "clock jumps to " + formatTime(a);
            case TraceKind.DEADLINE -> "scope " + a + " deadline " + (b == Long.MAX_VALUE ? "removed" : "at " + formatTime(b));
            case TraceKind.DRAW -> (tasks[i] >= 0 ? t + " draws " : "draws ") + b + " from [0, " + a + ")";
            case TraceKind.NOTE -> (tasks[i] >= 0 ? t + ": " : "") + text;
            case TraceKind.YIELD -> t + " runs on (nobody else is ready)";
            case TraceKind.REPARENT -> t + " moves from nursery " + a + " to nursery " + b;
            case TraceKind.EVENT -> (tasks[i] >= 0 ? t + ": " : "") + text + " " + a + " " + b;
            case TraceKind.STREAM_OPEN -> t + " opens stream " + a + (b >= 0 ? " (peer " + b + ")" : "") + ": " + text;
            case TraceKind.STREAM_SEND -> t + " sends " + b + " bytes on stream " + a;
            case TraceKind.STREAM_RECEIVE -> t + (b < 0 ? " receives end-of-stream on stream " + a
                    : " receives " + b + " bytes on stream " + a);
            case TraceKind.STREAM_EOF -> t + " sends end-of-stream on stream " + a;
            case TraceKind.STREAM_CLOSE -> t + " closes stream " + a;
            default -> TraceKind.name(kinds[i]) + " " + t + " a=" + a + " b=" + b + (text == null ? "" : " " + text);
        };
    }

    /** The last {@code n} events, one a line. */
    public String tail(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, size - n); i < size; i++) {
            sb.append("    ").append(describe(i)).append('\n');
        }
        return sb.toString();
    }

    /**
     * The order tasks ran in, by name: "main, alice, bob (2 ready), ...", the last {@code max}
     * steps. The shortest way to read an interleaving.
     */
    public String schedule(int max) {
        java.util.List<String> names = new java.util.ArrayList<>();   // by task id: ids are dense
        java.util.ArrayDeque<String> steps = new java.util.ArrayDeque<>();
        for (int i = 0; i < size; i++) {
            if (kinds[i] == TraceKind.SPAWN) {
                while (names.size() <= tasks[i]) {
                    names.add(null);
                }
                names.set(tasks[i], texts[i]);
            } else if (kinds[i] == TraceKind.STEP) {
                String name = tasks[i] < names.size() && names.get(tasks[i]) != null ? names.get(tasks[i]) : "task " + tasks[i];
                steps.addLast(as[i] > 1 ? name + " (of " + as[i] + " ready)" : name);
                if (steps.size() > max) {
                    steps.removeFirst();
                }
            }
        }
        return String.join(" → ", steps);
    }

    static String formatTime(long nanos) {
        if (nanos % 1_000_000 == 0) {
            return (nanos / 1_000_000) + "ms";
        }
        return nanos + "ns";
    }
}

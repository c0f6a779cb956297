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

    /**
     * The columns, replaced as a whole when they grow, so a reader holding one set reads events
     * that never change under it: appends go past its end, or into a new set.
     */
    private static final class Columns {
        final int[] kinds;
        final int[] tasks;
        final long[] as;
        final long[] bs;
        final long[] times;
        final long[] steps;
        final String[] texts;

        Columns(int n) {
            this(new int[n], new int[n], new long[n], new long[n], new long[n], new long[n], new String[n]);
        }

        Columns(int[] kinds, int[] tasks, long[] as, long[] bs, long[] times, long[] steps, String[] texts) {
            this.kinds = kinds;
            this.tasks = tasks;
            this.as = as;
            this.bs = bs;
            this.times = times;
            this.steps = steps;
            this.texts = texts;
        }

        /** New columns of {@code length} holding the first {@code n} events. */
        Columns copy(int n, int length) {
            Columns c = new Columns(length);
            System.arraycopy(kinds, 0, c.kinds, 0, n);
            System.arraycopy(tasks, 0, c.tasks, 0, n);
            System.arraycopy(as, 0, c.as, 0, n);
            System.arraycopy(bs, 0, c.bs, 0, n);
            System.arraycopy(times, 0, c.times, 0, n);
            System.arraycopy(steps, 0, c.steps, 0, n);
            System.arraycopy(texts, 0, c.texts, 0, n);
            return c;
        }
    }

    private int size;
    private Columns columns;
    private long hash;
    /** What {@link #mark()} saw. */
    private int markSize;
    private long markHash;
    private Columns markColumns;

    public Trace() {
        this(new Columns(64), 0, FNV_OFFSET);
    }

    /** A trace of the first {@code size} events in {@code columns}, marked at its end. */
    private Trace(Columns columns, int size, long hash) {
        this.columns = columns;
        this.size = size;
        this.hash = hash;
        mark();
    }

    /** Forgets every event, keeping the buffers: for running many executions in a row. */
    public void clear() {
        Arrays.fill(columns.texts, 0, size, null);
        size = 0;
        hash = FNV_OFFSET;
        mark();
    }

    /**
     * Remembers the trace as it stands, for {@link #atMark()}. Costs three stores, so an engine
     * can mark before every step.
     */
    public void mark() {
        markSize = size;
        markHash = hash;
        markColumns = columns;
    }

    /**
     * A copy of the trace as it stood at the last {@link #mark()}, with that hash; events added
     * since are not in it, and nothing added later reaches it. Another thread may call this while
     * events are still being added, provided the {@code mark()} happened-before the call (a
     * release store after it, read with an acquire load, say) and no {@code mark()} or
     * {@link #clear()} runs meanwhile: events before the mark are never rewritten, only appended
     * after, or copied into new columns. A caller that cannot rule out a {@code mark()} meanwhile
     * must detect it and discard the copy (the simulator's watchdog rereads its step stamp); the
     * copy itself never fails. Costs a copy of the marked events.
     */
    public Trace atMark() {
        Columns c = markColumns;
        // Only a mark made meanwhile could pair this size with older, shorter columns.
        int n = Math.min(markSize, c.kinds.length);
        return new Trace(c.copy(n, Math.max(n, 64)), n, markHash);
    }

    public void add(int kind, int task, long a, long b, long time, long step, String text) {
        Columns c = columns;
        if (size == c.kinds.length) {
            c = grow();
        }
        c.kinds[size] = kind;
        c.tasks[size] = task;
        c.as[size] = a;
        c.bs[size] = b;
        c.times[size] = time;
        c.steps[size] = step;
        c.texts[size] = text;
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
            java.util.regex.Pattern.compile("@[0-9a-f]{1,16}\\b|/0x[0-9a-f]+|Thread\\[#\\d+");

    /**
     * The text's hash with identity hashes, hidden-class addresses and thread ids
     * ({@code VirtualThread[#123]}, which count every thread the JVM started before) blanked.
     */
    static int stableHash(String text) {
        // Most texts have none: three scans instead of a regex on the hot path.
        if (text.indexOf('@') < 0 && text.indexOf("/0x") < 0 && text.indexOf("[#") < 0) {
            return text.hashCode();
        }
        return JVM_SPECIFIC.matcher(text).replaceAll("@").hashCode();
    }

    private Columns grow() {
        // New columns, never a write into the old ones: a reader of the old set (atMark) is unaffected.
        Columns c = columns.copy(size, columns.kinds.length * 2);
        columns = c;
        return c;
    }

    public int size() { return size; }
    public int kind(int i) { return columns.kinds[i]; }
    /** The task the event is about, or -1. */
    public int task(int i) { return columns.tasks[i]; }
    public long a(int i) { return columns.as[i]; }
    public long b(int i) { return columns.bs[i]; }
    /** Virtual time of the event, ns. */
    public long time(int i) { return columns.times[i]; }
    public long step(int i) { return columns.steps[i]; }
    public String text(int i) { return columns.texts[i]; }

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
        Columns c = columns;
        return new Event(i, c.kinds[i], c.tasks[i], c.as[i], c.bs[i], c.times[i], c.steps[i], c.texts[i]);
    }

    /** Every event of {@code kind}, in order. */
    public java.util.List<Event> events(int kind) {
        java.util.List<Event> out = new java.util.ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (columns.kinds[i] == kind) {
                out.add(event(i));
            }
        }
        return out;
    }

    /** Every application event of {@code type} ({@code Trellis.event}), in order. */
    public java.util.List<Event> events(String type) {
        java.util.List<Event> out = new java.util.ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (columns.kinds[i] == TraceKind.EVENT && type.equals(columns.texts[i])) {
                out.add(event(i));
            }
        }
        return out;
    }

    /** One event as a line of text, for reports and failure messages. */
    public String describe(int i) {
        Columns c = columns;
        return String.format("#%-5d step %-5d t=%-12s %s", i, c.steps[i], formatTime(c.times[i]), what(c, i));
    }

    private static String what(Columns c, int i) {
        int task = c.tasks[i];
        String t = "task " + task;
        long a = c.as[i];
        long b = c.bs[i];
        String text = c.texts[i];
        return switch (c.kinds[i]) {
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
            case TraceKind.DRAW -> (task >= 0 ? t + " draws " : "draws ") + b + " from [0, " + a + ")";
            case TraceKind.NOTE -> (task >= 0 ? t + ": " : "") + text;
            case TraceKind.YIELD -> t + " runs on (nobody else is ready)";
            case TraceKind.REPARENT -> t + " moves from nursery " + a + " to nursery " + b;
            case TraceKind.EVENT -> (task >= 0 ? t + ": " : "") + text + " " + a + " " + b;
            case TraceKind.STREAM_OPEN -> t + " opens stream " + a + (b >= 0 ? " (peer " + b + ")" : "") + ": " + text;
            case TraceKind.STREAM_SEND -> t + " sends " + b + " bytes on stream " + a;
            case TraceKind.STREAM_RECEIVE -> t + (b < 0 ? " receives end-of-stream on stream " + a
                    : " receives " + b + " bytes on stream " + a);
            case TraceKind.STREAM_EOF -> t + " sends end-of-stream on stream " + a;
            case TraceKind.STREAM_CLOSE -> t + " closes stream " + a;
            default -> TraceKind.name(c.kinds[i]) + " " + t + " a=" + a + " b=" + b + (text == null ? "" : " " + text);
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
        Columns c = columns;
        for (int i = 0; i < size; i++) {
            int task = c.tasks[i];
            if (c.kinds[i] == TraceKind.SPAWN) {
                while (names.size() <= task) {
                    names.add(null);
                }
                names.set(task, c.texts[i]);
            } else if (c.kinds[i] == TraceKind.STEP) {
                String name = task < names.size() && names.get(task) != null ? names.get(task) : "task " + task;
                steps.addLast(c.as[i] > 1 ? name + " (of " + c.as[i] + " ready)" : name);
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

package dev.trellis.trace;

/** The kinds of trace events the kernel and the runtime record. Codes are part of the trace hash. */
public final class TraceKind {
    private TraceKind() {}

    /** a = spawner task id (-1 for a root), b = nursery id. Text: the task's name. */
    public static final int SPAWN = 1;
    /** The strategy picked this task; a = how many were ready, b = index chosen. */
    public static final int STEP = 2;
    /** Parked in a kernel wait. Text: what it waits on. */
    public static final int PARK = 3;
    /** Made ready by another task or a timer; a = waker task id (-1 for a timer). */
    public static final int WAKE = 4;
    /** a = 0 returned, 1 failed, 2 cancelled, 3 aborted. Text: failure class on failure. */
    public static final int END = 5;
    /** a = nursery id, b = scope id. */
    public static final int NURSERY_OPEN = 6;
    /** a = nursery id, b = 1 when it rethrew a failure. */
    public static final int NURSERY_CLOSE = 7;
    /** a = scope id, b = parent scope id (-1 none). */
    public static final int SCOPE_ENTER = 8;
    /** a = scope id, b = 1 when it absorbed a Cancelled. */
    public static final int SCOPE_EXIT = 9;
    /** a = scope id. Text: why. */
    public static final int CANCEL = 10;
    /** Cancelled raised in the task; a = scope whose cancellation it carries. */
    public static final int CANCEL_DELIVERED = 11;
    /** The virtual clock jumped; a = new time in ns. */
    public static final int CLOCK = 12;
    /** A scope got a deadline; a = scope id, b = deadline ns. */
    public static final int DEADLINE = 13;
    /** A value drawn from the decision stream; a = bound, b = value. */
    public static final int DRAW = 14;
    /** Something the application or a primitive says happened. Text: what. */
    public static final int NOTE = 15;
    /** A task took a schedule point and kept running (nobody else was ready). */
    public static final int YIELD = 16;
    /** The task moved to another nursery (trio's {@code nursery.start}); a = old nursery id, b = new one. */
    public static final int REPARENT = 17;
    /** A typed application event ({@code Trellis.event}). Text: its type; a = subject, b = value. */
    public static final int EVENT = 18;
    /** A stream end opened; a = stream id, b = the id of its peer end (-1 when unknown). Text: what it is. */
    public static final int STREAM_OPEN = 19;
    /** A sendAll finished; a = stream id, b = bytes sent. */
    public static final int STREAM_SEND = 20;
    /** A receive returned; a = stream id, b = bytes received, -1 for end-of-stream. */
    public static final int STREAM_RECEIVE = 21;
    /** End-of-stream sent; a = stream id. */
    public static final int STREAM_EOF = 22;
    /** A stream end closed; a = stream id. */
    public static final int STREAM_CLOSE = 23;

    private static final String[] NAMES = {"?", "spawn", "step", "park", "wake", "end", "nursery-open",
        "nursery-close", "scope-enter", "scope-exit", "cancel", "cancel-delivered", "clock", "deadline",
        "draw", "note", "yield", "reparent", "event", "stream-open", "stream-send", "stream-receive", "stream-eof",
        "stream-close"};

    public static String name(int kind) {
        return kind > 0 && kind < NAMES.length ? NAMES[kind] : "kind-" + kind;
    }
}

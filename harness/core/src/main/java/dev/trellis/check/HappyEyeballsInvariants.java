package dev.trellis.check;

import dev.trellis.trace.Trace;

import java.util.List;
import java.util.function.Function;

/**
 * The rules of Happy Eyeballs, judged from the typed events a connect records ({@link HappyEyeballsEvents})
 * (one connect per execution; a trace without one passes every rule). Each is a value with a name,
 * to put in {@code SimConfig.withInvariants}; each violation quotes the offending events with
 * their virtual times.
 *
 * {@snippet :
 * SimConfig config = SimConfig.defaults().withInvariants(HappyEyeballsInvariants.all(behaviours));
 * }
 */
public final class HappyEyeballsInvariants {
    private HappyEyeballsInvariants() {}

    /** Every rule below; {@code behaviours} are the scripted addresses, in resolution order. */
    public static List<Invariant> all(List<AddressBehaviour> behaviours) {
        return List.of(stagger(), firstSuccessWins(), losersCancelledAndClosed(), noAttemptLeft(), resultTime(behaviours));
    }

    /**
     * Attempt i+1 starts exactly when attempt i fails or {@code delay} after attempt i started,
     * whichever is first: not later (the point of the algorithm), not earlier (the load it
     * spares). It may not start only if a connection had won by then.
     */
    public static Invariant stagger() {
        return rule("he-stagger", (h) -> {
            for (int i = 0; i + 1 < h.n; i++) {
                Trace.Event start = h.start[i];
                Trace.Event next = h.start[i + 1];
                if (start == null) {
                    if (next != null) {
                        return h.v(next, "attempt " + (i + 1) + " started but attempt " + i + " never did:\n" + h.quote(next));
                    }
                    continue;
                }
                long due = Math.min(sat(start.time() + h.delay), h.fail[i] == null ? Long.MAX_VALUE : h.fail[i].time());
                String why = h.fail[i] != null && h.fail[i].time() <= start.time() + h.delay
                        ? "when attempt " + i + " failed" : ms(h.delay) + " after attempt " + i + " started";
                if (next != null && next.time() != due) {
                    return h.v(next, "attempt " + (i + 1) + " started at " + ms(next.time()) + ", not at " + ms(due) + " ("
                            + why + "):\n" + h.quote(start) + h.quote(h.fail[i]) + h.quote(next));
                }
                if (next == null && (h.winEvent == null || h.winEvent.time() > due)) {
                    return h.v(start, "attempt " + (i + 1) + " never started, though it was due at " + ms(due) + " (" + why
                            + ") and no connection had won by then:\n" + h.quote(start) + h.quote(h.fail[i]) + h.quote(h.winEvent));
                }
            }
            return null;
        });
    }

    /** The winner is the attempt whose connection completed first, and the result names it. */
    public static Invariant firstSuccessWins() {
        return rule("he-first-success-wins", (h) -> {
            Trace.Event first = h.firstConnected;
            if (first == null) {
                if (h.winEvent != null) {
                    return h.v(h.winEvent, "attempt " + h.winEvent.a() + " won without connecting:\n" + h.quote(h.winEvent));
                }
                if (h.result != null && h.result.a() != -1) {
                    return h.v(h.result, "no attempt connected, yet the result names attempt " + h.result.a() + ":\n"
                            + h.quote(h.result));
                }
                return null;
            }
            if (h.winEvent == null || h.winEvent.a() != first.a()) {
                return h.v(h.winEvent == null ? first : h.winEvent, "attempt " + first.a() + " connected first, at "
                        + ms(first.time()) + ", but " + (h.winEvent == null ? "nobody won" : "attempt " + h.winEvent.a() + " won")
                        + ":\n" + h.quote(first) + h.quote(h.winEvent));
            }
            if (h.result != null && h.result.a() != first.a()) {
                return h.v(h.result, "attempt " + first.a() + " won but the result names " + h.result.a() + ":\n"
                        + h.quote(h.winEvent) + h.quote(h.result));
            }
            return null;
        });
    }

    /**
     * Once a connection wins, every other attempt ends at that instant: it had failed, it is
     * cancelled, or (having connected too) it closes its stream. None keeps trying, none keeps a
     * stream open.
     */
    public static Invariant losersCancelledAndClosed() {
        return rule("he-losers-cancelled-and-closed", (h) -> {
            if (h.winEvent == null) {
                return null;
            }
            int winner = (int) h.winEvent.a();
            long at = h.winEvent.time();
            for (int j = 0; j < h.n; j++) {
                if (j == winner || h.start[j] == null || (h.fail[j] != null && h.fail[j].time() <= at)) {
                    continue;
                }
                if (h.connected[j] != null && h.close[j] == null) {
                    return h.v(h.connected[j], "attempt " + j + " connected at " + ms(h.connected[j].time())
                            + " after attempt " + winner + " had won, and never closed its stream:\n"
                            + h.quote(h.winEvent) + h.quote(h.connected[j]));
                }
                if (h.cancel[j] == null && h.close[j] == null) {
                    return h.v(h.winEvent, "attempt " + j + " was still connecting when attempt " + winner + " won at "
                            + ms(at) + " and was never cancelled:\n" + h.quote(h.start[j]) + h.quote(h.winEvent)
                            + h.quote(h.connected[j]) + h.quote(h.fail[j]) + h.quote(h.end[j]));
                }
                Trace.Event ended = h.cancel[j] != null ? h.cancel[j] : h.close[j];
                if (ended.time() != at) {
                    return h.v(ended, "attempt " + j + " was still connecting when attempt " + winner + " won at " + ms(at)
                            + " and was not cancelled then; it ended at " + ms(ended.time()) + ":\n" + h.quote(h.start[j])
                            + h.quote(h.winEvent) + h.quote(ended));
                }
            }
            return null;
        });
    }

    /** Every attempt's task ended before connect returned or threw: nothing outlives the call. */
    public static Invariant noAttemptLeft() {
        return rule("he-no-attempt-left", (h) -> {
            for (int j = 0; j < h.n; j++) {
                if (h.start[j] == null) {
                    continue;
                }
                if (h.end[j] == null) {
                    return h.v(h.start[j], "attempt " + j + " never ended:\n" + h.quote(h.start[j]));
                }
                if (h.result != null && h.end[j].index() > h.result.index()) {
                    return h.v(h.end[j], "attempt " + j + " ended after connect had returned:\n" + h.quote(h.result)
                            + h.quote(h.end[j]));
                }
            }
            return null;
        });
    }

    /**
     * Each attempt's outcome comes exactly when its address's behaviour says (a success or a
     * refusal {@code after} its start; a hang never), unless it was cancelled first, and the result
     * comes at the winner's connection or, when all failed, at the last failure. With
     * {@link #stagger()} this pins the result's virtual time to what the behaviours dictate.
     */
    public static Invariant resultTime(List<AddressBehaviour> behaviours) {
        List<AddressBehaviour> scripted = List.copyOf(behaviours);
        return rule("he-result-time", (h) -> {
            if (h.n != scripted.size()) {
                return h.v(h.begin, "connect resolved " + h.n + " addresses, but " + scripted.size() + " were scripted:\n"
                        + h.quote(h.begin));
            }
            long lastFailure = 0;
            for (int j = 0; j < h.n; j++) {
                if (h.start[j] == null) {
                    continue;
                }
                AddressBehaviour b = scripted.get(j);
                long due = sat(h.start[j].time() + b.after().toNanos());
                Trace.Event outcome = b.kind() == AddressBehaviour.Kind.SUCCEEDS ? h.connected[j] : h.fail[j];
                Trace.Event wrong = b.kind() == AddressBehaviour.Kind.SUCCEEDS ? h.fail[j]
                        : b.kind() == AddressBehaviour.Kind.REFUSED ? h.connected[j]
                        : h.connected[j] != null ? h.connected[j] : h.fail[j];
                if (wrong != null) {
                    return h.v(wrong, "attempt " + j + " (" + b + ") had the wrong outcome:\n" + h.quote(h.start[j]) + h.quote(wrong));
                }
                if (b.kind() != AddressBehaviour.Kind.HANGS && outcome != null && outcome.time() != due) {
                    return h.v(outcome, "attempt " + j + " (" + b + ") started at " + ms(h.start[j].time()) + " so was due at "
                            + ms(due) + ", but came at " + ms(outcome.time()) + ":\n" + h.quote(h.start[j]) + h.quote(outcome));
                }
                if (b.kind() != AddressBehaviour.Kind.HANGS && outcome == null && h.cancel[j] != null && h.cancel[j].time() > due) {
                    return h.v(h.cancel[j], "attempt " + j + " (" + b + ") was due at " + ms(due) + " but was still waiting at "
                            + ms(h.cancel[j].time()) + ":\n" + h.quote(h.start[j]) + h.quote(h.cancel[j]));
                }
                if (h.fail[j] != null) {
                    lastFailure = Math.max(lastFailure, h.fail[j].time());
                }
            }
            if (h.result == null) {
                return null;
            }
            long expected = h.result.a() >= 0 && h.connected[(int) h.result.a()] != null
                    ? h.connected[(int) h.result.a()].time() : lastFailure;
            if (h.result.time() != expected) {
                return h.v(h.result, "connect ended at " + ms(h.result.time()) + " but the addresses dictate " + ms(expected)
                        + ":\n" + h.quote(h.result));
            }
            return null;
        });
    }

    private static Invariant rule(String name, Function<History, Violation> judge) {
        return new Invariant() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Violation check(Trace trace) {
                History h = History.read(trace, name);
                return h == null ? null : judge.apply(h);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** The events of one connect, indexed by attempt: the first of each type for each attempt. */
    private static final class History {
        final Trace trace;
        final String rule;
        final Trace.Event begin;
        final int n;
        final long delay;
        final Trace.Event[] start;
        final Trace.Event[] fail;
        final Trace.Event[] connected;
        final Trace.Event[] cancel;
        final Trace.Event[] close;
        final Trace.Event[] end;
        Trace.Event winEvent;
        Trace.Event firstConnected;
        Trace.Event result;

        private History(Trace trace, String rule, Trace.Event begin) {
            this.trace = trace;
            this.rule = rule;
            this.begin = begin;
            this.n = (int) begin.a();
            this.delay = begin.b();
            start = new Trace.Event[n];
            fail = new Trace.Event[n];
            connected = new Trace.Event[n];
            cancel = new Trace.Event[n];
            close = new Trace.Event[n];
            end = new Trace.Event[n];
        }

        static History read(Trace t, String rule) {
            List<Trace.Event> begins = t.events(HappyEyeballsEvents.BEGIN);
            if (begins.isEmpty()) {
                return null;
            }
            History h = new History(t, rule, begins.get(0));
            for (Trace.Event e : t.events(dev.trellis.trace.TraceKind.EVENT)) {
                int j = (int) e.a();
                switch (e.text()) {
                    case HappyEyeballsEvents.START -> first(h.start, j, e);
                    case HappyEyeballsEvents.FAIL -> first(h.fail, j, e);
                    case HappyEyeballsEvents.CONNECTED -> {
                        first(h.connected, j, e);
                        h.firstConnected = h.firstConnected == null ? e : h.firstConnected;
                    }
                    case HappyEyeballsEvents.CANCEL -> first(h.cancel, j, e);
                    case HappyEyeballsEvents.CLOSE -> first(h.close, j, e);
                    case HappyEyeballsEvents.END -> first(h.end, j, e);
                    case HappyEyeballsEvents.WIN -> h.winEvent = h.winEvent == null ? e : h.winEvent;
                    case HappyEyeballsEvents.RESULT -> h.result = h.result == null ? e : h.result;
                    default -> { }
                }
            }
            return h;
        }

        private static void first(Trace.Event[] slot, int j, Trace.Event e) {
            if (j >= 0 && j < slot.length && slot[j] == null) {
                slot[j] = e;
            }
        }

        Violation v(Trace.Event at, String message) {
            return new Violation(rule, message, at == null ? -1 : at.index());
        }

        /** The event as a trace line, indented; nothing for a missing one. */
        String quote(Trace.Event e) {
            return e == null ? "" : "    " + trace.describe(e.index()) + "\n";
        }
    }

    private static long sat(long t) {
        return t < 0 ? Long.MAX_VALUE : t;
    }

    private static String ms(long nanos) {
        return nanos == Long.MAX_VALUE ? "never" : nanos % 1_000_000 == 0 ? nanos / 1_000_000 + "ms" : nanos + "ns";
    }
}

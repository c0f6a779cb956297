package dev.trellis.runtime;

import dev.trellis.real.RealRuntime;
import dev.trellis.runtime.TrioProgram.Cancel;
import dev.trellis.runtime.TrioProgram.FailAfter;
import dev.trellis.runtime.TrioProgram.Mark;
import dev.trellis.runtime.TrioProgram.NurseryBlock;
import dev.trellis.runtime.TrioProgram.Outcome;
import dev.trellis.runtime.TrioProgram.Raise;
import dev.trellis.runtime.TrioProgram.Scope;
import dev.trellis.runtime.TrioProgram.Sleep;
import dev.trellis.runtime.TrioProgram.Start;
import dev.trellis.runtime.TrioProgram.Stmt;
import dev.trellis.runtime.spi.ExecutionAborted;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a {@link TrioProgram} on Trellis and records its {@link Outcome} the way
 * {@code src/test/trio/oracle.py} records trio's, so the two can be compared field by field.
 *
 * <p>Each statement maps onto the public API as its trio counterpart does: a scope is
 * {@link CancelScope#open} (or {@code openShielded}) with {@code setDeadline(now + d)}; a nursery
 * is {@link Nursery#open}, its {@code caught} read from {@code nursery.cancelScope()} once
 * {@code open} has returned or thrown; {@code start} is {@link Nursery#start}. Errors are the
 * escaping throwable and its suppressed exceptions, recursively: all of them, as a user's catch
 * block sees them (a Cancelled a scope absorbed on the way out must not be among them, as trio's
 * {@code CancelScope._close} splits it off the MultiError).
 */
final class OnTrellis {
    /** What {@code {"raise": name}} throws; trio's oracle raises {@code Boom(name)}. */
    static final class Boom extends RuntimeException {
        final String name;

        Boom(String name) {
            super(name, null, true, false); // suppression on: nurseries attach later failures
            this.name = name;
        }
    }

    /** One simulated run: what the program did, and how the execution ended (seed, trace, harness failure). */
    record Run(Outcome outcome, Result result) {}

    private final long nanosPerMicro;
    private final long granularity;
    private final List<String> marks = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Boolean> caught = Collections.synchronizedMap(new TreeMap<>());

    /**
     * @param nanosPerMicro how long one µs of program time takes (1,000 in the simulator)
     * @param granularity   recorded times are rounded to a multiple of this many program µs
     */
    private OnTrellis(long nanosPerMicro, long granularity) {
        this.nanosPerMicro = nanosPerMicro;
        this.granularity = granularity;
    }

    /** Runs {@code program} once under the simulator; the outcome is null if the harness stopped the body. */
    static Run simulate(List<Stmt> program, long seed, SimConfig config) {
        OnTrellis on = new OnTrellis(1_000, 1);
        Outcome[] out = new Outcome[1];
        Result r = Simulation.result(() -> out[0] = on.main(program), seed, config);
        return new Run(out[0], r);
    }

    /**
     * Runs {@code program} on the real runtime, one µs of program time lasting {@code scale} µs,
     * recorded times rounded to the nearest {@code granularity} program µs (real timers are late
     * by a little, so only programs whose events are that far apart can be compared).
     */
    static Outcome real(List<Stmt> program, long scale, long granularity) throws Exception {
        OnTrellis on = new OnTrellis(1_000 * scale, granularity);
        return RealRuntime.run(() -> on.main(program));
    }

    private Outcome main(List<Stmt> program) {
        List<String> errors = new ArrayList<>();
        try {
            block(program, Map.of());
        } catch (ExecutionAborted e) {
            throw e; // the harness is tearing the execution down: not the program's outcome
        } catch (Throwable t) {
            flatten(t, errors);
        }
        return new Outcome(List.copyOf(marks), new TreeMap<>(caught), errors, micros());
    }

    private void block(List<Stmt> body, Map<String, Object> env) throws Exception {
        for (Stmt s : body) {
            stmt(s, env);
        }
    }

    private void stmt(Stmt s, Map<String, Object> env) throws Exception {
        switch (s) {
            case Sleep x -> Trellis.sleep(Duration.ofNanos(x.micros() * nanosPerMicro));
            case Mark x -> marks.add(x.name() + "@" + micros());
            case Raise x -> throw new Boom(x.name());
            case Cancel x -> {
                Object target = label(env, x.label());
                (target instanceof Nursery n ? n.cancelScope() : (CancelScope) target).cancel();
            }
            case Scope x -> scope(x, env);
            case FailAfter x -> failAfter(x, env);
            case NurseryBlock x -> nursery(x, env);
            case Start x -> {
                if (!(label(env, x.into()) instanceof Nursery n)) {
                    throw new IllegalArgumentException("start into " + x.into() + ", which is not a nursery");
                }
                try {
                    n.start(x.name(), () -> block(x.body(), env));
                } catch (IllegalStateException e) {
                    // trio's RuntimeError("Nursery is closed to new arrivals"), which the oracle names Closed
                    if (!e.getMessage().contains("closed to new arrivals")) {
                        throw e;
                    }
                    throw new Boom("Closed");
                }
            }
        }
    }

    private void scope(Scope x, Map<String, Object> env) throws Exception {
        CancelScope[] held = new CancelScope[1];
        Block<CancelScope> body = cs -> {
            held[0] = cs;
            if (x.deadline() >= 0) {
                cs.setDeadline(after(x.deadline()));
            }
            block(x.body(), with(env, x.label(), cs));
        };
        try {
            if (x.shield()) {
                CancelScope.openShielded(body);
            } else {
                CancelScope.open(body);
            }
        } finally {
            if (held[0] != null) {
                caught.put(x.label(), held[0].cancelledCaught());
            }
        }
    }

    /**
     * trio's {@code fail_after} is {@code move_on_at} plus "raise TooSlowError if the scope
     * caught a Cancelled". {@link CancelScope#failAfter} is built the same way on
     * {@code moveOnAfter} but does not hand out its scope, whose {@code cancelledCaught} the
     * outcome needs (and which it has even when another failure escapes), so it is composed here.
     */
    private void failAfter(FailAfter x, Map<String, Object> env) throws Exception {
        CancelScope[] held = new CancelScope[1];
        try {
            CancelScope.open(cs -> {
                held[0] = cs;
                cs.setDeadline(after(x.timeout()));
                block(x.body(), with(env, x.label(), cs));
            });
        } finally {
            if (held[0] != null) {
                caught.put(x.label(), held[0].cancelledCaught());
            }
        }
        if (held[0].cancelledCaught()) {
            throw new TooSlow(Duration.ofNanos(x.timeout() * nanosPerMicro));
        }
    }

    private void nursery(NurseryBlock x, Map<String, Object> env) throws Exception {
        Nursery[] held = new Nursery[1];
        try {
            Nursery.open(n -> {
                held[0] = n;
                block(x.body(), with(env, x.label(), n));
            });
        } finally {
            if (held[0] != null) {
                caught.put(x.label(), held[0].cancelScope().cancelledCaught());
            }
        }
    }

    private Duration after(long micros) {
        return Trellis.now().plusNanos(micros * nanosPerMicro);
    }

    private long micros() {
        long us = Math.round(Trellis.now().toNanos() / (double) nanosPerMicro);
        return granularity * Math.round(us / (double) granularity);
    }

    private static Object label(Map<String, Object> env, String label) {
        Object o = env.get(label);
        if (o == null) {
            throw new IllegalArgumentException("no enclosing scope or nursery is labelled " + label);
        }
        return o;
    }

    private static Map<String, Object> with(Map<String, Object> env, String label, Object value) {
        Map<String, Object> m = new HashMap<>(env);
        m.put(label, value);
        return Map.copyOf(m);
    }

    /** The leaves of what escaped, as the oracle names them. */
    private static void flatten(Throwable t, List<String> out) {
        out.add(switch (t) {
            case Boom b -> b.name;
            case TooSlow ignored -> "TooSlow";
            case Cancelled ignored -> "Cancelled";
            default -> t.getClass().getSimpleName() + ": " + t.getMessage(); // never trio's: a mismatch
        });
        for (Throwable s : t.getSuppressed()) {
            flatten(s, out);
        }
    }
}

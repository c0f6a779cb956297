package dev.trellis.sim;

import dev.trellis.check.HistoryViolation;

import java.util.List;
import java.util.Set;

/**
 * What one execution showed, as a scenario's {@code expected} names it: {@code pass}, the rule
 * that broke ({@code chat-total-order}, {@code structure}, {@code expect}), or the kind of failure
 * ({@code Deadlock}, {@code Runaway}, {@code LimitExceeded}, ..., {@code BodyFailed}).
 *
 * @param name      the outcome's name
 * @param exception for {@code BodyFailed}, the class of what the body threw (and its causes), else empty
 * @param headline  one line: what broke ("" for a pass)
 */
public record Outcome(String name, List<String> exception, String headline) {
    public static final String PASS = "pass";
    /** Failure kinds a scenario may expect, besides rules and exception class names. */
    public static final Set<String> KINDS = Set.of("Deadlock", "Runaway", "UncontrolledBlocking", "LimitExceeded",
            "Nondeterminism", "BodyFailed");

    public Outcome {
        exception = List.copyOf(exception);
    }

    public boolean passed() {
        return name.equals(PASS);
    }

    /** What the execution of {@code r} showed. */
    public static Outcome of(Result r) {
        if (r.ok()) {
            return new Outcome(PASS, List.of(), "");
        }
        SimulationFailure f = r.failure();
        if (f instanceof SimulationFailure.InvariantViolated) {
            String h = f.headline();
            int colon = h.indexOf(": ");
            return new Outcome(colon > 0 ? h.substring(0, colon) : h, List.of(), h);
        }
        if (f != null && !(f instanceof SimulationFailure.BodyFailed)) {
            return new Outcome(f.getClass().getSimpleName(), List.of(), f.headline());
        }
        Throwable t = f != null ? f.getCause() : r.bodyFailure();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HistoryViolation v) {
                // one line, the rule's quotes included: "... the last lines it received: | 100ms hi | ..."
                return new Outcome(v.invariant(), List.of(), v.getMessage().strip().replaceAll("\\s*\\n\\s*", " | "));
            }
        }
        List<String> classes = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && classes.size() < 10; c = c.getCause()) {
            classes.add(c.getClass().getName());
        }
        return new Outcome("BodyFailed", classes, "the body threw " + t);
    }

    /**
     * Whether this is what {@code expected} names: the same name, or for a body that threw, the
     * simple or full name of the exception's class or of one of its causes.
     */
    public boolean is(String expected) {
        if (name.equals(expected)) {
            return true;
        }
        for (String c : exception) {
            if (c.equals(expected) || c.substring(c.lastIndexOf('.') + 1).equals(expected)) {
                return true;
            }
        }
        return false;
    }

    /** The outcome's name, with the exception for a body that threw. */
    @Override
    public String toString() {
        return exception.isEmpty() ? name : name + " (" + exception.getFirst() + ")";
    }
}

package dev.trellis.check;

/**
 * A recorded history broke a rule: the body's failure, so the exploration stops on that seed and
 * its report names the rule. An {@link AssertionError}, as a failed check in a test is.
 */
public final class HistoryViolation extends AssertionError {
    private final transient Violation violation;

    public HistoryViolation(Violation violation) {
        super(violation.invariant() + ": " + violation.message());
        this.violation = violation;
    }

    public Violation violation() {
        return violation;
    }

    /** The name of the rule that broke. */
    public String invariant() {
        return violation.invariant();
    }
}

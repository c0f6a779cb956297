package dev.trellis.sim;

/**
 * Why a simulated execution failed: a closed family, thrown as an {@link AssertionError} so test
 * frameworks show a failure rather than an error. Every message says what broke and where, and
 * ends with the seed and how to replay the execution.
 */
public abstract sealed class SimulationFailure extends AssertionError
        permits SimulationFailure.Deadlock, SimulationFailure.Runaway, SimulationFailure.UncontrolledBlocking,
        SimulationFailure.LimitExceeded, SimulationFailure.Nondeterminism, SimulationFailure.InvariantViolated,
        SimulationFailure.BodyFailed {

    private final String headline;
    /** What teardown did that the reader must know (tasks it abandoned), or null. */
    private volatile String teardownNote;

    SimulationFailure(String headline, String message, Throwable cause) {
        super(message, cause);
        this.headline = headline;
    }

    /** One line: what broke. */
    public String headline() {
        return headline;
    }

    /** Set once the execution has been torn down; shown before the replay footer. */
    void noteTeardown(String note) {
        teardownNote = note;
    }

    /** The report, with what teardown did (if anything) placed before the footer, which stays last. */
    @Override
    public String getMessage() {
        String message = super.getMessage();
        String note = teardownNote;
        if (note == null || message == null) {
            return message;
        }
        int footer = message.lastIndexOf(Failures.SCHEDULE_LINE);
        return footer < 0 ? message + note : message.substring(0, footer) + note + message.substring(footer);
    }

    /** No task could run, no timer was pending, and tasks were still alive. */
    public static final class Deadlock extends SimulationFailure {
        Deadlock(String headline, String message) { super(headline, message, null); }
    }

    /** A task ran longer than the runaway limit without reaching a checkpoint. */
    public static final class Runaway extends SimulationFailure {
        Runaway(String headline, String message) { super(headline, message, null); }
    }

    /** A task blocked on something the simulator does not control: real time, real I/O, a foreign thread. */
    public static final class UncontrolledBlocking extends SimulationFailure {
        UncontrolledBlocking(String headline, String message) { super(headline, message, null); }
    }

    /** The execution took more steps or more virtual time than its limits allow. */
    public static final class LimitExceeded extends SimulationFailure {
        LimitExceeded(String headline, String message) { super(headline, message, null); }
    }

    /** The same seed can no longer give the same run: a late wake-up, or a replay that departed from its recording. */
    public static final class Nondeterminism extends SimulationFailure {
        Nondeterminism(String headline, String message) { super(headline, message, null); }
    }

    /** An invariant did not hold on the execution's trace. */
    public static final class InvariantViolated extends SimulationFailure {
        InvariantViolated(String headline, String message) { super(headline, message, null); }
    }

    /** The body under test threw; the cause is what it threw. */
    public static final class BodyFailed extends SimulationFailure {
        BodyFailed(String headline, String message, Throwable cause) { super(headline, message, cause); }
    }
}

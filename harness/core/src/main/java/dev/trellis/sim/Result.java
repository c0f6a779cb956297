package dev.trellis.sim;

import dev.trellis.trace.Trace;

import java.time.Duration;

/**
 * How one simulated execution ended.
 *
 * @param schedule    what decided the execution (seed, strategy, settings): run it again with
 *                    {@link Simulation#run(dev.trellis.runtime.Body, Schedule)}
 * @param steps       scheduling steps taken
 * @param endNanos    virtual time at the end
 * @param traceHash   the fingerprint of the trace: the same seed and strategy give the same hash
 * @param trace       every event
 * @param failure     what the harness found wrong (deadlock, invariant, limit...), or null
 * @param bodyFailure what the body under test threw, or null when it returned
 */
public record Result(Schedule schedule, long steps, long endNanos, long traceHash, Trace trace,
                     SimulationFailure failure, Throwable bodyFailure) {

    public long seed() {
        return schedule.seed();
    }

    /** The strategy's spec. */
    public String strategy() {
        return schedule.strategy();
    }

    /** Whether the harness found nothing wrong and the body returned normally. */
    public boolean ok() {
        return failure == null && bodyFailure == null;
    }

    public Duration endTime() {
        return Duration.ofNanos(endNanos);
    }

    public String traceHashHex() {
        return String.format("%016x", traceHash);
    }

    /**
     * Throws the harness failure, or {@link SimulationFailure.BodyFailed} if the body threw;
     * returns this result otherwise.
     */
    public Result orThrow() {
        if (failure != null) {
            throw failure;
        }
        if (bodyFailure != null) {
            throw new SimulationFailure.BodyFailed("the body threw " + bodyFailure,
                    "The body under test threw " + bodyFailure + "\n"
                            + Failures.SCHEDULE_LINE + trace.schedule(40) + "\n"
                            + Failures.footer(schedule, steps, endNanos, traceHashHex()), bodyFailure);
        }
        return this;
    }

    @Override
    public String toString() {
        return "Result[seed " + seed() + ", " + strategy() + ", " + steps + " steps, t=" + endTime() + ", trace "
                + traceHashHex() + (failure != null ? ", FAILED: " + failure.headline() : "")
                + (bodyFailure != null ? ", body threw " + bodyFailure : "") + "]";
    }
}

package dev.trellis.sim;

import dev.trellis.check.Invariant;
import dev.trellis.check.StructuralInvariants;
import dev.trellis.streams.StreamOptions;

import java.time.Duration;
import java.util.List;

/**
 * How to run simulated executions: an immutable value whose {@code withX} methods return copies.
 *
 * @param strategy      the scheduling strategy's spec, the one place it is set: {@code random}, {@code pos},
 *                      {@code pct:D}, {@code pct:D:K}, {@code choices:...}, {@code replay:...}
 *                      (see {@link Strategies}); kept as written, so {@code pct:D} stays
 *                      {@code pct:D}, a PCT that learns K as it explores, while each result's
 *                      schedule names the K its execution drew over ({@code pct:3:37})
 * @param maxSteps      steps before an execution fails with {@link SimulationFailure.LimitExceeded}
 * @param maxTime       virtual time before an execution fails the same way
 * @param runawayLimit  wall time a task may run without a checkpoint before it is a runaway
 * @param foreignGrace  wall time to wait, when every live task is parked, at least one on a
 *                      java.util.concurrent object, and the execution has seen a thread outside
 *                      the simulator, for that thread to wake one, before the run is a
 *                      {@link SimulationFailure.Deadlock} (see {@link #withForeignGrace})
 * @param invariants    checked on the trace of every execution that ends without a harness failure
 * @param streams       how the simulated network's streams behave unless a link says otherwise
 */
public record SimConfig(String strategy, long maxSteps, Duration maxTime, Duration runawayLimit,
                        Duration foreignGrace, List<Invariant> invariants, StreamOptions streams) {

    /** System property naming a single seed to run instead of a range (see {@link Simulation#explore}). */
    public static final String SEED_PROPERTY = "trellis.seed";

    /** System property holding a {@link Schedule}'s text: {@link Simulation#explore} runs only that. */
    public static final String SCHEDULE_PROPERTY = "trellis.schedule";

    public SimConfig {
        // The canonical spec ("choices:1,0", not "choices:[1, 0]"), so a schedule's text parses back.
        strategy = Strategies.parse(strategy).spec();
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be positive, was [" + maxSteps + "]");
        }
        if (foreignGrace.isNegative()) {
            throw new IllegalArgumentException("foreignGrace must not be negative, was [" + foreignGrace + "]");
        }
        invariants = List.copyOf(invariants);
        java.util.Objects.requireNonNull(streams, "streams");
    }

    /**
     * Random walk, 1,000,000 steps, one virtual day, a 5 s runaway limit, a 50 ms foreign-thread
     * grace, the structural invariants, adversarial streams.
     */
    public static SimConfig defaults() {
        return new SimConfig("random", 1_000_000, Duration.ofDays(1), Duration.ofSeconds(5), Duration.ofMillis(50),
                StructuralInvariants.all(), StreamOptions.adversarial());
    }

    public SimConfig withStrategy(String spec) {
        return new SimConfig(spec, maxSteps, maxTime, runawayLimit, foreignGrace, invariants, streams);
    }

    public SimConfig withMaxSteps(long steps) {
        return new SimConfig(strategy, steps, maxTime, runawayLimit, foreignGrace, invariants, streams);
    }

    public SimConfig withMaxTime(Duration time) {
        return new SimConfig(strategy, maxSteps, time, runawayLimit, foreignGrace, invariants, streams);
    }

    public SimConfig withRunawayLimit(Duration limit) {
        return new SimConfig(strategy, maxSteps, maxTime, limit, foreignGrace, invariants, streams);
    }

    /**
     * How long a run whose live tasks are all parked, some on java.util.concurrent objects, waits
     * in wall time for a thread outside the simulator to wake one, once it has seen such a thread.
     * A wake-up from a thread the simulator does not run is always a failure
     * ({@link SimulationFailure.UncontrolledBlocking}, naming the thread); the grace only decides
     * whether it is caught as that or, when the thread comes too late, reported as a
     * {@link SimulationFailure.Deadlock}; it never decides what runs.
     *
     * <p>The rule: a task parked on a java.util.concurrent object is woken by whoever releases the
     * object. When no task can run, only a thread outside the simulator could, so the run waits
     * the grace only if it has seen one: a thread a task created ({@code new Thread}, a pool's
     * worker, {@code Thread.ofVirtual}), a thread that handed back a task's continuation, a thread
     * that unparked a task as it parked. Otherwise, and whenever every parked task waits on
     * Trellis's own primitives, the deadlock is reported at once, whatever the grace; a deadlock
     * on locks, conditions and queues among tasks costs milliseconds, not the grace. A thread the
     * run never sees (one started before it, a pool's worker that already existed, a JDK timer)
     * is not waited for: if it was meant to wake a task, the deadlock report is the failure, and
     * the fix is the same as for any foreign wake-up (start the work with {@code Nursery.start}).
     *
     * <p>The default, 50 ms, is paid once by such a deadlock in a run that has seen a foreign
     * thread, and teardown waits as long for such a thread before it abandons tasks stuck in
     * waits that ignore interrupts. Raise it where a slow or loaded machine must still name the
     * foreign thread (a test that expects {@code UncontrolledBlocking}, say); it costs nothing
     * when the thread comes, and the whole grace when none does.
     *
     * {@snippet :
     * SimConfig patient = SimConfig.defaults().withForeignGrace(Duration.ofSeconds(20));
     * }
     */
    public SimConfig withForeignGrace(Duration grace) {
        return new SimConfig(strategy, maxSteps, maxTime, runawayLimit, grace, invariants, streams);
    }

    public SimConfig withStreams(StreamOptions options) {
        return new SimConfig(strategy, maxSteps, maxTime, runawayLimit, foreignGrace, invariants, options);
    }

    public SimConfig withInvariants(List<Invariant> list) {
        return new SimConfig(strategy, maxSteps, maxTime, runawayLimit, foreignGrace, list, streams);
    }
}

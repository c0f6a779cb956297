package dev.trellis.sim;

import dev.trellis.check.Invariant;
import dev.trellis.check.StructuralInvariants;

import java.time.Duration;
import java.util.List;

/**
 * How to run simulated executions: an immutable value whose {@code withX} methods return copies.
 *
 * @param strategy      the scheduling strategy's spec: {@code random}, {@code pct:D}, {@code pct:D:K}
 * @param maxSteps      steps before an execution fails with {@link SimulationFailure.LimitExceeded}
 * @param maxTime       virtual time before an execution fails the same way
 * @param runawayLimit  wall time a task may run without a checkpoint before it is a runaway
 * @param invariants    checked on the trace of every execution that ends without a harness failure
 */
public record SimConfig(String strategy, long maxSteps, Duration maxTime, Duration runawayLimit,
                        List<Invariant> invariants) {

    /** System property naming a single seed to run instead of a range (see {@link Simulation#explore}). */
    public static final String SEED_PROPERTY = "trellis.seed";

    public SimConfig {
        Strategies.parse(strategy);
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be positive, was [" + maxSteps + "]");
        }
        invariants = List.copyOf(invariants);
    }

    /** Random walk, 1,000,000 steps, one virtual day, a 5 s runaway limit, the structural invariants. */
    public static SimConfig defaults() {
        return new SimConfig("random", 1_000_000, Duration.ofDays(1), Duration.ofSeconds(5),
                StructuralInvariants.all());
    }

    public SimConfig withStrategy(String spec) {
        return new SimConfig(spec, maxSteps, maxTime, runawayLimit, invariants);
    }

    public SimConfig withMaxSteps(long steps) {
        return new SimConfig(strategy, steps, maxTime, runawayLimit, invariants);
    }

    public SimConfig withMaxTime(Duration time) {
        return new SimConfig(strategy, maxSteps, time, runawayLimit, invariants);
    }

    public SimConfig withRunawayLimit(Duration limit) {
        return new SimConfig(strategy, maxSteps, maxTime, limit, invariants);
    }

    public SimConfig withInvariants(List<Invariant> list) {
        return new SimConfig(strategy, maxSteps, maxTime, runawayLimit, list);
    }
}

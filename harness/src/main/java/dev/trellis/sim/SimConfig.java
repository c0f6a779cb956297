package dev.trellis.sim;

import dev.trellis.check.Invariant;
import dev.trellis.check.StructuralInvariants;
import dev.trellis.streams.StreamOptions;

import java.time.Duration;
import java.util.List;

/**
 * How to run simulated executions: an immutable value whose {@code withX} methods return copies.
 *
 * @param strategy      the scheduling strategy's spec, the one place it is set: {@code random},
 *                      {@code pct:D}, {@code pct:D:K}, {@code choices:...}, {@code replay:...}
 *                      (see {@link Strategies})
 * @param maxSteps      steps before an execution fails with {@link SimulationFailure.LimitExceeded}
 * @param maxTime       virtual time before an execution fails the same way
 * @param runawayLimit  wall time a task may run without a checkpoint before it is a runaway
 * @param invariants    checked on the trace of every execution that ends without a harness failure
 * @param streams       how the simulated network's streams behave unless a link says otherwise
 */
public record SimConfig(String strategy, long maxSteps, Duration maxTime, Duration runawayLimit,
                        List<Invariant> invariants, StreamOptions streams) {

    /** System property naming a single seed to run instead of a range (see {@link Simulation#explore}). */
    public static final String SEED_PROPERTY = "trellis.seed";

    /** System property holding a {@link Schedule}'s text: {@link Simulation#explore} runs only that. */
    public static final String SCHEDULE_PROPERTY = "trellis.schedule";

    public SimConfig {
        Strategies.parse(strategy);
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be positive, was [" + maxSteps + "]");
        }
        invariants = List.copyOf(invariants);
        java.util.Objects.requireNonNull(streams, "streams");
    }

    /** Random walk, 1,000,000 steps, one virtual day, a 5 s runaway limit, the structural invariants, adversarial streams. */
    public static SimConfig defaults() {
        return new SimConfig("random", 1_000_000, Duration.ofDays(1), Duration.ofSeconds(5),
                StructuralInvariants.all(), StreamOptions.adversarial());
    }

    public SimConfig withStrategy(String spec) {
        return new SimConfig(spec, maxSteps, maxTime, runawayLimit, invariants, streams);
    }

    public SimConfig withMaxSteps(long steps) {
        return new SimConfig(strategy, steps, maxTime, runawayLimit, invariants, streams);
    }

    public SimConfig withMaxTime(Duration time) {
        return new SimConfig(strategy, maxSteps, time, runawayLimit, invariants, streams);
    }

    public SimConfig withRunawayLimit(Duration limit) {
        return new SimConfig(strategy, maxSteps, maxTime, limit, invariants, streams);
    }

    public SimConfig withStreams(StreamOptions options) {
        return new SimConfig(strategy, maxSteps, maxTime, runawayLimit, invariants, options);
    }

    public SimConfig withInvariants(List<Invariant> list) {
        return new SimConfig(strategy, maxSteps, maxTime, runawayLimit, list, streams);
    }
}

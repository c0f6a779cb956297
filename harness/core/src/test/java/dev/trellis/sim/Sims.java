package dev.trellis.sim;

import dev.trellis.real.RealRuntime;
import dev.trellis.runtime.Body;

/** Helpers for tests that run bodies under the simulator. */
public final class Sims {
    private Sims() {}

    /** System property multiplying every seed budget in the tests: {@code mvn verify -Dtrellis.budget=20}. */
    public static final String BUDGET_PROPERTY = "trellis.budget";

    /** Seed budget multiplier: -Dtrellis.budget=N runs N times the CI seeds. */
    public static int budget() {
        return Math.max(1, Integer.getInteger(BUDGET_PROPERTY, 1));
    }

    /** Runs {@code body} with seeds 0..n×budget-1 under {@code strategy}; fails on the first bad seed. */
    public static void everySeed(int n, String strategy, Body body) {
        Simulation.explore(body, 0, (long) n * budget(), SimConfig.defaults().withStrategy(strategy)).orThrow();
    }

    /**
     * Runs {@code body} under the simulator for seeds 0..n×budget-1 ({@code random}), then once on
     * the real runtime; fails on the first that goes wrong.
     */
    public static void onBothEngines(int n, Body body) throws Exception {
        everySeed(n, "random", body);
        RealRuntime.run(() -> {
            body.run();
            return null;
        });
    }

    /** Runs {@code body} once and throws if anything went wrong. */
    public static Result run(long seed, Body body) {
        return Simulation.result(body, seed).orThrow();
    }
}

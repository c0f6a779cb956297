package dev.trellis.lincheck;

import dev.trellis.check.Invariant;
import dev.trellis.runtime.Body;

/**
 * The broken objects of these tests, checked as {@link LinearizabilityTest} checks them, for the
 * bug benchmark ({@code trellis bench --bugs}), which runs the body and the invariant itself (with
 * its own wall-time cap per seed block) and so needs what {@link Linearizability} keeps to its
 * package.
 */
public final class BenchSubjects {
    private BenchSubjects() {}

    /** {@link RacyChannel} against a bounded channel of two: trySend, tryReceive, size. */
    public static Linearizability<RacyChannel> racyChannel() {
        return Linearizability.of(RacyChannel::new, Specs.BoundedChannel2.class)
                .operation("trySend", Arg.ints(1, 3)).operation("tryReceive").operation("size");
    }

    /** {@link RacyRegistry} against a registry of unique names: join, leave, names. */
    public static Linearizability<RacyRegistry> racyRegistry() {
        return Linearizability.of(RacyRegistry::new, Specs.Names.class)
                .operation("join", Arg.of("ann", "bob")).operation("leave", Arg.of("ann", "bob")).operation("names");
    }

    /** What each execution runs. */
    public static Body body(Linearizability<?> check) {
        return check.body();
    }

    /** The invariant that hands each execution's history to Lincheck's verifier. */
    public static Invariant invariant(Linearizability<?> check) {
        return check.invariant();
    }

    /** Starts Lincheck's agent, once per JVM, before any execution (as {@link Linearizability#explore} does). */
    public static void startVerifier() {
        LincheckVerifier.start();
    }
}

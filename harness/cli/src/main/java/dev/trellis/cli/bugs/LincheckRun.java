package dev.trellis.cli.bugs;

import org.jetbrains.kotlinx.lincheck.execution.ExecutionResult;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.verifier.LinearizabilityVerifier;
import org.jetbrains.lincheck.datastructures.verifier.Verifier;

/**
 * Lincheck's own model checker (3.7, its defaults but for minimising, which would only add time
 * after the failure) on a {@link LincheckTargets} class, stopped at a wall-time budget. Lincheck
 * has no such budget and no count of invocations to hand, so both go through the verifier it
 * calls after every invocation: {@link Counting} counts the calls and, past the deadline, throws,
 * which ends the check. Invocations are counted as those that completed and were verified.
 *
 * <p>Runs after every Trellis row: the model checker instruments the classes it runs with an agent
 * it attaches to this JVM, which must not happen under a running simulation.
 */
final class LincheckRun {
    private LincheckRun() {}

    /** What Lincheck checks: its test class, and the specification (null: the test class run sequentially). */
    record Target(Class<?> test, Class<?> spec) {}

    /**
     * @param found       Lincheck reported a failure (a {@link LincheckAssertionError})
     * @param invocations invocations verified up to the failure (all of them when none was found)
     * @param millis      wall time to the failure, or of the whole run when none was found
     * @param error       what else ended the run (an error of Lincheck's own), or null
     */
    record Outcome(boolean found, long invocations, double millis, String error) {}

    static Outcome run(Target target, double seconds) {
        Counting.reset((long) (seconds * 1e9));
        ModelCheckingOptions options = new ModelCheckingOptions().verifier(Counting.class).minimizeFailedScenario(false);
        if (target.spec() != null) {
            options = options.sequentialSpecification(target.spec());
        }
        long start = System.nanoTime();
        Throwable ended = null;
        try {
            options.check(target.test());
        } catch (Throwable t) {
            ended = t;
        }
        double ms = (System.nanoTime() - start) / 1e6;
        long calls = Counting.calls();
        if (ended instanceof LincheckAssertionError) {
            return new Outcome(true, calls, ms, null);
        }
        if (ended == null || outOfTime(ended)) {
            return new Outcome(false, calls, ms, null);
        }
        return new Outcome(false, calls, ms, ended.toString());
    }

    /**
     * One short check of a correct counter, untimed: the first check attaches Lincheck's agent
     * (a second or more), which the timed runs should not pay, as Trellis's rows do not pay for the JIT.
     */
    static void warmUp() {
        try {
            new ModelCheckingOptions().iterations(2).invocationsPerIteration(50).check(LincheckTargets.WarmUp.class);
        } catch (Throwable t) {
            // only the agent matters here
        }
    }

    /**
     * One invocation of {@code target}, untimed: Lincheck instruments a test's classes on its first
     * check of them (up to seconds for a class that touches strings and collections), which the
     * timed run should not pay either.
     */
    static void warmUp(Target target) {
        try {
            ModelCheckingOptions options = new ModelCheckingOptions().iterations(1).invocationsPerIteration(1)
                    .minimizeFailedScenario(false);
            if (target.spec() != null) {
                options = options.sequentialSpecification(target.spec());
            }
            options.check(target.test());
        } catch (Throwable t) {
            // a failure found here is not counted: the timed run starts from nothing
        }
    }

    private static boolean outOfTime(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OutOfTime) {
                return true;
            }
        }
        return false;
    }

    /** Thrown from the verifier once the budget is spent. */
    static final class OutOfTime extends RuntimeException {
        OutOfTime() {
            super("the benchmark's wall-time budget for Lincheck is spent", null, false, false);
        }
    }

    /**
     * Lincheck's linearizability verifier, counting its calls and ending the run at the deadline.
     * Lincheck creates it by reflection with the specification class; state is static because it
     * gives no other way in, and one check runs at a time.
     */
    public static final class Counting implements Verifier {
        private static long calls;
        private static long deadline = Long.MAX_VALUE;

        private final LinearizabilityVerifier delegate;

        public Counting(Class<?> sequentialSpecification) {
            this.delegate = new LinearizabilityVerifier(sequentialSpecification);
        }

        static synchronized void reset(long budgetNanos) {
            calls = 0;
            deadline = System.nanoTime() + budgetNanos;
        }

        static synchronized long calls() {
            return calls;
        }

        @Override
        public boolean verifyResults(ExecutionScenario scenario, ExecutionResult results) {
            synchronized (Counting.class) {
                if (System.nanoTime() > deadline) {
                    throw new OutOfTime();
                }
                calls++;
            }
            return delegate.verifyResults(scenario, results);
        }
    }
}

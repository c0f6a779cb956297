package dev.trellis.lincheck;

import kotlin.Unit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionResult;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.execution.HBClock;
import org.jetbrains.kotlinx.lincheck.execution.ResultWithClock;
import org.jetbrains.kotlinx.lincheck.util.ExceptionResult;
import org.jetbrains.kotlinx.lincheck.util.LincheckResult;
import org.jetbrains.kotlinx.lincheck.util.ValueResult;
import org.jetbrains.kotlinx.lincheck.util.VoidResult;
import org.jetbrains.lincheck.datastructures.verifier.LinearizabilityVerifier;
import org.jetbrains.lincheck.jvm.agent.InstrumentationMode;
import org.jetbrains.lincheck.jvm.agent.LincheckInstrumentationKt;

import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/**
 * The one class that touches Lincheck (3.7, pinned): hands a recorded {@link History} to its
 * {@link LinearizabilityVerifier}. That verifier is not a documented API, so everything it needs
 * is built here and {@code LincheckVerifierTest} checks it against histories with known answers:
 * an upgrade that changes it fails there, not in a user's test.
 *
 * <p>How the history is told to Lincheck: every task's completed operations are one thread of
 * the scenario's parallel part, in program order, and real-time order travels in each result's
 * {@link HBClock}: for an operation of thread {@code t}, {@code clock[i]} is how many of thread
 * {@code i}'s operations had returned before it was invoked (the verifier places an operation only
 * after that many of every other thread's), {@code clock[t]} its own index.
 */
final class LincheckVerifier {
    private LincheckVerifier() {}

    /** What the verifier said. */
    enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, UNDECIDED }

    private static boolean ready;

    /**
     * Starts Lincheck's agent once per JVM (about a second): its verifier reads state that only the
     * agent's installation sets. Call it before exploring, on a plain thread: the agent retransforms
     * loaded classes as it comes and goes, which must not happen under a running simulation.
     */
    static synchronized void start() {
        if (!ready) {
            LincheckInstrumentationKt.withLincheckJavaAgent(InstrumentationMode.STRESS, () -> Unit.INSTANCE);
            ready = true;
        }
    }

    /**
     * Whether {@code h}'s completed operations have an order that {@code spec}, run sequentially,
     * agrees with and that keeps their real-time order. The search is exponential in the worst
     * case and cannot be interrupted from outside; {@code budget} bounds it (UNDECIDED past it).
     */
    static Verdict verify(Class<?> spec, History h, Duration budget) {
        start();
        List<List<History.Operation>> threads = new ArrayList<>();
        for (List<History.Operation> ops : h.byTask()) {
            List<History.Operation> done = ops.stream().filter(History.Operation::completed).toList();
            if (!done.isEmpty()) {
                threads.add(done);
            }
        }
        if (threads.isEmpty()) {
            return Verdict.LINEARIZABLE;
        }
        Budget b = new Budget(System.nanoTime() + budget.toNanos());
        int n = threads.size();
        List<List<Actor>> actors = new ArrayList<>(n);
        List<List<ResultWithClock>> results = new ArrayList<>(n);
        for (int t = 0; t < n; t++) {
            List<History.Operation> ops = threads.get(t);
            List<Actor> a = new ArrayList<>(ops.size());
            List<ResultWithClock> r = new ArrayList<>(ops.size());
            for (int k = 0; k < ops.size(); k++) {
                History.Operation op = ops.get(k);
                int[] clock = new int[n];
                for (int i = 0; i < n; i++) {
                    clock[i] = i == t ? k : returnedBefore(threads.get(i), op.invokedAt());
                }
                a.add(new Actor(op.method(), new Ticking(op.args(), b)));
                r.add(new ResultWithClock(result(op), new HBClock(clock)));
            }
            actors.add(a);
            results.add(r);
        }
        try {
            boolean ok = new LinearizabilityVerifier(spec).verifyResults(
                    new ExecutionScenario(List.of(), actors, List.of(), null), new ExecutionResult(List.of(), results, List.of()));
            return ok ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE;
        } catch (OutOfBudget e) {
            return Verdict.UNDECIDED;
        }
    }

    /** How many of a task's operations (in program order) returned before event {@code index}. */
    private static int returnedBefore(List<History.Operation> ops, int index) {
        int done = 0;
        for (History.Operation o : ops) {
            if (o.returnedAt() < index) {
                done++;
            }
        }
        return done;
    }

    private static LincheckResult result(History.Operation op) {
        if (op.thrown() != null) {
            return new ExceptionResult(op.thrown());
        }
        return op.method().getReturnType() == void.class ? VoidResult.INSTANCE : new ValueResult(op.value());
    }

    /**
     * A deadline for a search that cannot be interrupted: every step of Lincheck's search looks an
     * actor up in a hash map, and an actor's hash is its argument list's, so the list counts.
     */
    private static final class Budget {
        private final long deadline;
        private int steps;

        Budget(long deadline) {
            this.deadline = deadline;
        }

        void tick() {
            if ((++steps & 1023) == 0 && System.nanoTime() - deadline > 0) {
                throw new OutOfBudget();
            }
        }
    }

    private static final class OutOfBudget extends RuntimeException {
        OutOfBudget() {
            super("the linearizability search ran out of time", null, false, false);
        }
    }

    /** An operation's arguments that tick the budget whenever the search hashes them. */
    private static final class Ticking extends AbstractList<Object> {
        private final List<?> args;
        private final Budget budget;

        Ticking(List<?> args, Budget budget) {
            this.args = args;
            this.budget = budget;
        }

        @Override
        public Object get(int i) {
            return args.get(i);
        }

        @Override
        public int size() {
            return args.size();
        }

        @Override
        public int hashCode() {
            budget.tick();
            return args.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ticking t ? args.equals(t.args) : args.equals(o);
        }
    }
}

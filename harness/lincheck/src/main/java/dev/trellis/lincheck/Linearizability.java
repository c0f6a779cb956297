package dev.trellis.lincheck;

import dev.trellis.check.Invariant;
import dev.trellis.check.Violation;
import dev.trellis.runtime.Body;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.trace.Trace;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Whether a concurrent object is linearizable under Trellis's schedules: every execution runs
 * {@code tasks} tasks of {@code operationsPerTask} calls each, chosen (with their arguments) from
 * the seed, on a fresh object; the calls are recorded with the trace events of their invocation
 * and response, and when the execution has ended, Lincheck's verifier judges the history against
 * a sequential specification. A history with no valid order fails the execution like any other
 * invariant: the history as a table, the seed, and how to replay it.
 *
 * {@snippet :
 * // The specification: a plain class with the same public methods, run one call at a time.
 * public static class CounterSpec {
 *     private int value;
 *     public int incrementAndGet() { return ++value; }
 *     public int get() { return value; }
 * }
 *
 * @Test
 * void theCounterIsLinearizable() {
 *     Linearizability.of(MyCounter::new, CounterSpec.class)
 *             .operation("incrementAndGet")
 *             .operation("get")
 *             .check();   // 3 tasks x 3 calls, 1,000 seeds; throws SimulationFailure with the history
 * }
 * }
 *
 * <p>What interleaves: tasks switch only at checkpoints, as everywhere in Trellis, and each call
 * begins with one, so calls interleave wherever the object itself has a checkpoint (a channel
 * operation, {@code Trellis.sleep}, an {@link dev.trellis.runtime.Event}, a lock another task
 * holds) and otherwise run whole. A call that throws an {@link Exception} returned that exception
 * (the specification must throw the same class); a blocking call is judged by what it did when it
 * returned (the specification should throw where the real one would wait, so no valid order puts
 * it there), and one that never returns is left out and listed under the table (see
 * {@link #blockingCallsGiveUpAfter}). Keep histories
 * small: the verifier's search is exponential; past {@link #verifierBudget} the execution fails as
 * undecided rather than pass unchecked.
 *
 * <p>The specification must be a public class with a public no-argument constructor and the same
 * public methods (name and parameter types); {@code equals} and {@code hashCode} on its state make
 * the search faster. Explorations run on one thread ({@code jobs} 1).
 */
public final class Linearizability<T> {
    /** The invariant's name in reports and failures. */
    public static final String NAME = "linearizability";
    static final String INVOKE = "linearizability.invoke";
    static final String RETURN = "linearizability.return";

    private final Supplier<? extends T> factory;
    private final Class<?> spec;
    private final List<Op> operations = new ArrayList<>();
    private int tasks = 3;
    private int perTask = 3;
    private long firstSeed;
    private long seeds = 1_000;
    private SimConfig config = SimConfig.defaults();
    private Duration budget = Duration.ofSeconds(10);
    private Duration giveUpAfter;
    /** The history the running execution records; read by the invariant once it has ended. */
    private volatile Recording recording;

    private record Op(String name, List<Arg> args) {}

    private Linearizability(Supplier<? extends T> factory, Class<?> spec) {
        this.factory = factory;
        this.spec = spec;
    }

    /**
     * A check of the objects {@code factory} makes (one per execution, made inside it, so it may
     * hold Trellis primitives) against {@code spec}.
     */
    public static <T> Linearizability<T> of(Supplier<? extends T> factory, Class<?> spec) {
        if (!Modifier.isPublic(spec.getModifiers())) {
            throw new IllegalArgumentException("the specification " + spec.getName() + " must be a public class: "
                    + "Lincheck's verifier creates and calls it without setAccessible");
        }
        try {
            if (!Modifier.isPublic(spec.getConstructor().getModifiers())) {
                throw new NoSuchMethodException();
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("the specification " + spec.getName() + " needs a public no-argument "
                    + "constructor (a nested class must be static)");
        }
        return new Linearizability<>(factory, spec);
    }

    /**
     * An operation: the public method {@code method} of the object and of the specification, with
     * one {@link Arg} per parameter.
     */
    public Linearizability<T> operation(String method, Arg... args) {
        long inSpec = java.util.Arrays.stream(spec.getMethods())
                .filter(m -> m.getName().equals(method) && m.getParameterCount() == args.length).count();
        if (inSpec != 1) {
            throw new IllegalArgumentException("the specification " + spec.getSimpleName() + " has " + inSpec
                    + " public methods " + method + " with " + args.length + " parameter(s); it needs exactly one");
        }
        operations.add(new Op(method, List.of(args)));
        return this;
    }

    /** How many tasks call the object at once (3 by default). */
    public Linearizability<T> tasks(int n) {
        this.tasks = atLeastOne(n, "tasks");
        return this;
    }

    /** How many calls each task makes, one after another (3 by default). */
    public Linearizability<T> operationsPerTask(int n) {
        this.perTask = atLeastOne(n, "operationsPerTask");
        return this;
    }

    /** Explores seeds {@code first, first + 1, ...}, {@code count} of them (0 and 1,000 by default). */
    public Linearizability<T> seeds(long first, long count) {
        this.firstSeed = first;
        this.seeds = atLeastOne(count, "seeds");
        return this;
    }

    /** The simulator's settings (strategy, limits); this check adds its invariant to theirs. */
    public Linearizability<T> config(SimConfig config) {
        this.config = config;
        return this;
    }

    /**
     * Calls that may wait (a {@code send} on a full channel, an {@code await}) give up after
     * {@code timeout} of virtual time: they are cancelled, left out of the history as calls that
     * never returned, and the task goes on with its next call. Without it a call that waits for a
     * call no task will make is a deadlock, which fails the execution. Sound for objects whose
     * waits are cancelled atomically (trio's rule, and every Trellis primitive's): a cancelled
     * call did nothing.
     */
    public Linearizability<T> blockingCallsGiveUpAfter(Duration timeout) {
        this.giveUpAfter = timeout;
        return this;
    }

    /** How long the verifier may search one history before the execution fails as undecided (10 s). */
    public Linearizability<T> verifierBudget(Duration budget) {
        this.budget = budget;
        return this;
    }

    /**
     * Explores the seeds and throws the first failure: a history that is not linearizable (or a
     * deadlock, or anything else the simulator reports), with its seed and replay command. Obeys
     * {@code -Dtrellis.seed} and {@code -Dtrellis.schedule}, as every exploration does.
     */
    public Simulation.Exploration check() {
        return explore().orThrow();
    }

    /** {@link #check} without the throw: what the exploration found. */
    public Simulation.Exploration explore() {
        if (operations.isEmpty()) {
            throw new IllegalStateException("name at least one operation (Linearizability.operation)");
        }
        // The agent comes and goes once, here, before any execution: never under a running one.
        LincheckVerifier.start();
        resolve();
        List<Invariant> invariants = new ArrayList<>(config.invariants());
        invariants.add(invariant());
        return Simulation.explore(body(), firstSeed, seeds, config.withInvariants(invariants));
    }

    /**
     * Matches every operation to a method of the object's class and of the specification, before
     * any exploration, so a mismatch is one sentence here rather than a history that looks wrong:
     * the object is made once in a throwaway execution (it may need a task) to learn its class.
     */
    private void resolve() {
        Class<?>[] type = new Class<?>[1];
        if (Simulation.result(() -> type[0] = factory.get().getClass(), firstSeed).ok()) {
            methods = methods(type[0]);
        }
        // else the factory itself fails, and the exploration's first execution reports how
    }

    /** The object's methods by operation name, for its class; resolved before exploring. */
    private volatile Map<String, Method> methods;

    /**
     * Whether {@code history}, recorded anywhere (a stress loop on platform threads, stamping each
     * call's invocation and response from one counter), is linearizable against {@code spec}:
     * Lincheck's verifier, as the check uses it, for comparisons on the same terms.
     *
     * @throws IllegalStateException if the verifier could not decide within {@code budget}
     */
    public static boolean linearizable(Class<?> spec, History history, Duration budget) {
        return switch (LincheckVerifier.verify(spec, history, budget)) {
            case LINEARIZABLE -> true;
            case NOT_LINEARIZABLE -> false;
            case UNDECIDED -> throw new IllegalStateException("the verifier could not decide in " + budget);
        };
    }

    /** The body each execution runs: the calls, drawn from the seed, recorded. */
    Body body() {
        return () -> {
            T target = factory.get();
            Map<String, Method> known = this.methods;
            Map<String, Method> methods = known != null && known.values().stream()
                    .allMatch(m -> m.getDeclaringClass().isAssignableFrom(target.getClass()))
                    ? known : methods(target.getClass());
            Recording rec = new Recording();
            recording = rec;
            List<List<Object[]>> plan = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                List<Object[]> calls = new ArrayList<>();
                for (int i = 0; i < perTask; i++) {
                    Op op = operations.get((int) Trellis.random(operations.size()));
                    Object[] call = new Object[op.args().size() + 1];
                    call[0] = methods.get(op.name());
                    for (int a = 0; a < op.args().size(); a++) {
                        call[a + 1] = op.args().get(a).draw();
                    }
                    calls.add(call);
                }
                plan.add(calls);
            }
            Nursery.open(n -> {
                for (int t = 0; t < tasks; t++) {
                    int task = t;
                    n.start("task " + t, () -> {
                        for (Object[] call : plan.get(task)) {
                            if (giveUpAfter == null) {
                                rec.call(task, target, call);
                            } else {
                                CancelScope.moveOnAfter(giveUpAfter, () -> rec.call(task, target, call));
                            }
                        }
                    });
                }
            });
        };
    }

    private Map<String, Method> methods(Class<?> type) {
        Map<String, Method> out = new HashMap<>();
        for (Op op : operations) {
            List<Method> candidates = new ArrayList<>();
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals(op.name()) && m.getParameterCount() == op.args().size() && !m.isSynthetic()
                            && !m.isBridge() && !Modifier.isStatic(m.getModifiers())) {
                        candidates.add(m);
                    }
                }
            }
            if (candidates.isEmpty()) {
                throw new IllegalArgumentException(type.getName() + " has no method " + op.name() + " with "
                        + op.args().size() + " parameter(s), which the specification " + spec.getSimpleName() + " has");
            }
            Method found = null;
            Method inSpec = null;
            for (Method m : candidates) {
                try {
                    inSpec = spec.getMethod(m.getName(), m.getParameterTypes());
                    found = m;
                    break;
                } catch (NoSuchMethodException e) {
                    // try the next overload
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("Lincheck's verifier calls the specification's method with the "
                        + "object's parameter types, and " + spec.getSimpleName() + " has no " + signature(candidates.get(0))
                        + " (it has " + specSignatures(op.name()) + "): declare the same parameter types (a generic "
                        + "parameter T is Object once erased; int and Integer differ)");
            }
            if (!sameResults(found.getReturnType(), inSpec.getReturnType())) {
                throw new IllegalArgumentException(type.getSimpleName() + "." + found.getName() + " returns "
                        + found.getReturnType().getName() + " and " + spec.getSimpleName() + "." + found.getName()
                        + " returns " + inSpec.getReturnType().getName() + ": results are compared with equals, so "
                        + "they must be the same type (an Integer never equals a Long)");
            }
            found.setAccessible(true);
            out.put(op.name(), found);
        }
        return out;
    }

    private static String signature(Method m) {
        return m.getName() + "(" + java.util.Arrays.stream(m.getParameterTypes()).map(Class::getName)
                .collect(java.util.stream.Collectors.joining(", ")) + ")";
    }

    private String specSignatures(String name) {
        String all = java.util.Arrays.stream(spec.getMethods()).filter(m -> m.getName().equals(name))
                .map(Linearizability::signature).sorted().collect(java.util.stream.Collectors.joining(", "));
        return all.isEmpty() ? "none" : all;
    }

    /** Whether results of these two return types can be equal: the same type once boxed, or two reference types. */
    private static boolean sameResults(Class<?> a, Class<?> b) {
        if (a == void.class || b == void.class) {
            return a == b;
        }
        Class<?> x = box(a);
        Class<?> y = box(b);
        if (x != a || y != b || Number.class.isAssignableFrom(x) || Number.class.isAssignableFrom(y)
                || x == Boolean.class || y == Boolean.class || x == Character.class || y == Character.class) {
            return x == y;
        }
        return true;
    }

    private static Class<?> box(Class<?> c) {
        return c.isPrimitive() ? java.lang.invoke.MethodType.methodType(c).wrap().returnType() : c;
    }

    /** The check, as an invariant over the trace the execution left; runs after the execution ended. */
    Invariant invariant() {
        return new Invariant() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public Violation check(Trace trace) {
                Recording rec = recording;
                recording = null;
                if (rec == null) {
                    return null;
                }
                History h = rec.history(tasks, trace);
                return switch (LincheckVerifier.verify(spec, h, budget)) {
                    case LINEARIZABLE -> null;
                    case NOT_LINEARIZABLE -> new Violation(NAME, "the " + completed(h) + " that returned have no order "
                            + "that " + spec.getSimpleName() + " agrees with, run one at a time, and that keeps their "
                            + "real-time order (a call that returned before another began comes first):\n" + h.table(), -1);
                    case UNDECIDED -> new Violation(NAME, "Lincheck's verifier could not decide this history in "
                            + budget.toSeconds() + " s (its search is exponential): use fewer tasks or calls per task, "
                            + "or a larger verifierBudget:\n" + h.table(), -1);
                };
            }

            @Override
            public String toString() {
                return NAME;
            }
        };
    }

    private static String completed(History h) {
        long n = h.operations().size() - h.unfinished();
        return n + " call" + (n == 1 ? "" : "s");
    }

    private static int atLeastOne(long n, String what) {
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " must be at least 1, was [" + n + "]");
        }
        return (int) n;
    }

    /** What one execution's tasks called and got, in invocation order; ids match the trace events. */
    private static final class Recording {
        private record Call(int task, Method method, List<Object> args) {}

        private final List<Call> calls = new ArrayList<>();
        private final Map<Integer, Object> values = new HashMap<>();
        private final Map<Integer, Throwable> thrown = new HashMap<>();

        void call(int task, Object target, Object[] call) {
            Method m = (Method) call[0];
            Object[] args = java.util.Arrays.copyOfRange(call, 1, call.length);
            Trellis.checkpoint();
            int id = calls.size();
            calls.add(new Call(task, m, java.util.Arrays.asList(args)));
            Trellis.event(INVOKE, id, task);
            try {
                values.put(id, snapshot(m.invoke(target, args)));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot call " + m + ": " + e.getMessage(), e);
            } catch (InvocationTargetException e) {
                // An exception is what the call returned; an Error (a cancellation, a failed
                // assertion, the simulator stopping the run) ends the task, and the call never returned.
                Throwable cause = e.getCause();
                if (cause instanceof Error err) {
                    throw err;
                }
                thrown.put(id, cause);
            }
            Trellis.event(RETURN, id, task);
        }

        /**
         * A collection as it was when the call returned: the verifier reads results after the run,
         * and a live view (an unmodifiable set over the object's own) would show later calls' effects.
         */
        private static Object snapshot(Object v) {
            return switch (v) {
                case List<?> l -> new ArrayList<>(l);
                case java.util.SortedSet<?> s -> new java.util.TreeSet<>(s);
                case java.util.Set<?> s -> new java.util.LinkedHashSet<>(s);
                case java.util.SortedMap<?, ?> m -> new java.util.TreeMap<>(m);
                case Map<?, ?> m -> new java.util.LinkedHashMap<>(m);
                case null, default -> v;
            };
        }

        History history(int tasks, Trace trace) {
            int[] invokedAt = new int[calls.size()];
            int[] returnedAt = new int[calls.size()];
            java.util.Arrays.fill(returnedAt, -1);
            for (Trace.Event e : trace.events(INVOKE)) {
                invokedAt[(int) e.a()] = e.index();
            }
            for (Trace.Event e : trace.events(RETURN)) {
                returnedAt[(int) e.a()] = e.index();
            }
            List<History.Operation> ops = new ArrayList<>();
            for (int id = 0; id < calls.size(); id++) {
                Call c = calls.get(id);
                int r = returnedAt[id];
                ops.add(new History.Operation(c.task(), c.method(), c.args(), values.get(id), thrown.get(id),
                        invokedAt[id], r, trace.step(invokedAt[id]), r < 0 ? -1 : trace.step(r)));
            }
            return new History(tasks, ops);
        }
    }
}

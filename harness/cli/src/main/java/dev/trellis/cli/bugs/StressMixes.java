package dev.trellis.cli.bugs;

import dev.trellis.lincheck.History;
import dev.trellis.lincheck.Linearizability;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A stress loop on the same terms as Trellis's linearizability check: three platform threads of
 * three calls each, drawn at random from the same operations with the same argument ranges, on a
 * fresh object; each call stamped from one counter before its invocation and after its response
 * (so a call stamped as returned before another was invoked really did), and the history judged
 * by the same Lincheck verifier. Not the one racing pair a targeted stress test would pick.
 */
final class StressMixes {
    private StressMixes() {}

    static final int THREADS = 3;
    static final int CALLS = 3;

    /** An operation: a public method of the test class, and how to draw its arguments. */
    record Op(Method method, Function<ThreadLocalRandom, Object[]> args) {}

    static Op op(Class<?> type, String name, Function<ThreadLocalRandom, Object[]> args) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name)) {
                return new Op(m, args);
            }
        }
        throw new IllegalArgumentException(type.getName() + " has no public " + name);
    }

    /** One run: true when its history is not linearizable (the bug showed). */
    static boolean run(Supplier<Object> factory, Class<?> spec, List<Op> ops) throws Exception {
        Object target = factory.get();
        AtomicInteger clock = new AtomicInteger();
        List<List<History.Operation>> byThread = new ArrayList<>();
        StressRun.ThrowingRunnable[] bodies = new StressRun.ThrowingRunnable[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int task = t;
            List<History.Operation> mine = new ArrayList<>();
            byThread.add(mine);
            bodies[t] = () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < CALLS; i++) {
                    Op op = ops.get(random.nextInt(ops.size()));
                    Object[] args = op.args().apply(random);
                    int invoked = clock.getAndIncrement();
                    Object value = null;
                    Throwable thrown = null;
                    try {
                        value = op.method().invoke(target, args);
                    } catch (InvocationTargetException e) {
                        thrown = e.getCause();
                    }
                    int returned = clock.getAndIncrement();
                    mine.add(new History.Operation(task, op.method(), List.of(args), value, thrown,
                            invoked, returned, invoked, returned));
                }
            };
        }
        StressRun.Race race = StressRun.race(bodies);
        if (race.hung() || race.thrown() != null) {
            return false;   // nothing to judge; the loop counts errors separately
        }
        List<History.Operation> all = new ArrayList<>();
        byThread.forEach(all::addAll);
        all.sort(Comparator.comparingInt(History.Operation::invokedAt));
        return !Linearizability.linearizable(spec, new History(THREADS, all), Duration.ofSeconds(10));
    }
}

package dev.trellis.runtime;

import dev.trellis.runtime.NurseryTreeModel.Kind;
import dev.trellis.runtime.NurseryTreeModel.Node;
import dev.trellis.runtime.NurseryTreeModel.Prediction;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random nursery trees (depth up to 4, fan-out up to 5, sleeps, failures, cancellations,
 * deadlines, children starting siblings) × random seeds and strategies: the structural
 * invariants hold (the simulator checks them on every execution), and what happened matches
 * what {@link NurseryTreeModel} predicts: the virtual end time, which failure surfaced with which
 * suppressed, and which tasks finished their sleep.
 */
class NurseryTreeProperties {
    private static final int TRIES = 1_000;
    private static final AtomicLong EXECUTIONS = new AtomicLong();

    /** What the generator chooses; indices and unique times are given afterwards. */
    record Spec(int sleepMs, boolean fails, int deadlineMs, int cancelMs, Spec sibling, List<Spec> children) {}

    static final class Boom extends RuntimeException {
        final int index;

        Boom(int index) {
            super("boom " + index, null, true, false);
            this.index = index;
        }
    }

    @Property(tries = TRIES)
    void treeBehavesAsTheSequentialModelPredicts(@ForAll("trees") Spec spec, @ForAll long seed,
                                                 @ForAll("strategies") String strategy) {
        Node root = index(spec, new int[] {0}, false);
        Prediction expected = NurseryTreeModel.predict(root);
        // Each try runs the tree under budget() seeds: -Dtrellis.budget=N explores N times more.
        for (long k = 0; k < dev.trellis.sim.Sims.budget(); k++) {
            checkOneSeed(root, expected, seed + k, strategy);
        }
    }

    private static void checkOneSeed(Node root, Prediction expected, long seed, String strategy) {
        Set<Integer> slept = new TreeSet<>();
        Result r = Simulation.run(() -> body(root, null, slept), seed, SimConfig.defaults().withStrategy(strategy));
        EXECUTIONS.incrementAndGet();

        assertThat(r.failure()).as("harness failure for %s", root).isNull();
        assertThat(r.endTime()).as("virtual end time for %s", root).isEqualTo(Duration.ofNanos(expected.endNanos()));
        assertThat(slept).as("tasks that finished their sleep in %s", root).isEqualTo(expected.slept());
        if (expected.kind() == Kind.OK) {
            assertThat(r.bodyFailure()).as("outcome of %s", root).isNull();
        } else {
            assertThat(r.bodyFailure()).as("outcome of %s", root).isInstanceOf(Boom.class);
            Boom thrown = (Boom) r.bodyFailure();
            assertThat(thrown.index).as("first failure of %s", root).isEqualTo(expected.first());
            Set<Integer> suppressed = new TreeSet<>();
            Arrays.stream(thrown.getSuppressed()).forEach(s -> suppressed.add(((Boom) s).index));
            assertThat(suppressed).as("suppressed failures of %s", root).isEqualTo(expected.suppressed());
        }
    }

    @AfterProperty
    void countExecutions() {
        assertThat(EXECUTIONS.get()).isGreaterThanOrEqualTo(TRIES);
    }

    private static void body(Node n, Nursery parent, Set<Integer> slept) throws Exception {
        if (n.sibling != null && parent != null) {
            parent.start("node-" + n.sibling.index, () -> body(n.sibling, parent, slept));
        }
        Body inner = () -> Nursery.open(nursery -> {
            for (Node c : n.children) {
                nursery.start("node-" + c.index, () -> body(c, nursery, slept));
            }
            if (n.cancelAt != NurseryTreeModel.INF) {
                nursery.start("canceller-" + n.index, () -> {
                    Trellis.sleep(Duration.ofNanos(n.cancelAt));
                    nursery.cancelScope().cancel();
                });
            }
            Trellis.sleep(Duration.ofNanos(n.sleep));
            slept.add(n.index);
            if (n.fails) {
                throw new Boom(n.index);
            }
        });
        if (n.deadline != NurseryTreeModel.INF) {
            CancelScope.moveOnAfter(Duration.ofNanos(n.deadline), inner);
        } else {
            inner.run();
        }
    }

    /** Gives each node an index, and times unique to it: ms from the generator plus the index in ns. */
    private static Node index(Spec s, int[] next, boolean leafOnly) {
        int i = next[0]++;
        Node sibling = s.sibling() == null || leafOnly ? null : index(s.sibling(), next, true);
        List<Node> children = new ArrayList<>();
        if (!leafOnly) {
            for (Spec c : s.children()) {
                children.add(index(c, next, false));
            }
        }
        long ms = 1_000_000;
        return new Node(i, s.sleepMs() * ms + i, s.fails(),
                s.deadlineMs() < 0 ? NurseryTreeModel.INF : s.deadlineMs() * ms + i,
                s.cancelMs() < 0 ? NurseryTreeModel.INF : s.cancelMs() * ms + i + 500_000,
                sibling, children);
    }

    @Provide
    Arbitrary<String> strategies() {
        return Arbitraries.of("random", "pct:2", "pct:3:200");
    }

    @Provide
    Arbitrary<Spec> trees() {
        return spec(4).map(s -> new Spec(s.sleepMs(), s.fails(), s.deadlineMs(), s.cancelMs(), null, s.children()));
    }

    private Arbitrary<Spec> spec(int depth) {
        Arbitrary<Integer> sleep = Arbitraries.integers().between(0, 20);
        Arbitrary<Boolean> fails = Arbitraries.integers().between(0, 9).map(x -> x < 3);
        Arbitrary<Integer> deadline = Arbitraries.integers().between(0, 20).injectNull(0.75).map(x -> x == null ? -1 : x);
        Arbitrary<Integer> cancel = Arbitraries.integers().between(1, 20).injectNull(0.85).map(x -> x == null ? -1 : x);
        Arbitrary<Spec> sibling = depth == 4 ? Arbitraries.just(null)
                : Combinators.combine(sleep, fails).as((sl, f) -> new Spec(sl, f, -1, -1, null, List.of())).injectNull(0.85);
        Arbitrary<List<Spec>> children = depth == 0 ? Arbitraries.just(List.of())
                : Arbitraries.lazy(() -> spec(depth - 1)).list().ofMaxSize(depth == 4 ? 5 : 3);
        return Combinators.combine(sleep, fails, deadline, cancel, sibling, children).as(Spec::new);
    }
}

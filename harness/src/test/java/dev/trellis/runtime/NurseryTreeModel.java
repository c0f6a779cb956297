package dev.trellis.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A sequential model of what a random nursery tree must do under trio's rules, whatever the
 * schedule. Every task starts at t = 0; a node's body opens a nursery, starts its children (and
 * optionally a canceller that cancels the nursery at a set time), sleeps, then maybe throws.
 * A child may start a sibling into the nursery it was given; a node may wrap its body in a
 * deadline. Sleep times are unique per node, so two failures never coincide.
 *
 * <p>Times are kept ×1024 so the model can say what comes first at one instant: a deadline at t
 * (1024t - 1) fires before a sleep ending at t (1024t), and a cancellation caused by something
 * that happened at x comes just after it (x + 1), however many nurseries it cascades through.
 */
final class NurseryTreeModel {
    static final long INF = Long.MAX_VALUE;
    private static final long S = 1024;

    /** One task of the tree, with the times the generator chose (ns, not ×4). */
    static final class Node {
        final int index;
        final long sleep;
        final boolean fails;
        final long deadline;
        final long cancelAt;
        final Node sibling;
        final List<Node> children;

        Node(int index, long sleep, boolean fails, long deadline, long cancelAt, Node sibling, List<Node> children) {
            this.index = index;
            this.sleep = sleep;
            this.fails = fails;
            this.deadline = deadline;
            this.cancelAt = cancelAt;
            this.sibling = sibling;
            this.children = children;
        }

        int size() {
            int n = 1 + (sibling == null ? 0 : sibling.size());
            for (Node c : children) {
                n += c.size();
            }
            return n;
        }

        @Override
        public String toString() {
            return "node " + index + "(sleep " + sleep + (fails ? ", fails" : "")
                    + (deadline != INF ? ", deadline " + deadline : "") + (cancelAt != INF ? ", cancelAt " + cancelAt : "")
                    + (sibling != null ? ", sibling " + sibling : "") + (children.isEmpty() ? "" : ", children " + children) + ")";
        }
    }

    enum Kind { OK, FAIL, CANCELLED }

    /** How a task ended: when (×1024), how, and for a failure which Boom surfaced with which suppressed. */
    record Outcome(long end, Kind kind, int first, Set<Integer> suppressed) {}

    /** What the whole tree predicts. */
    record Prediction(long endNanos, Kind kind, int first, Set<Integer> suppressed, Set<Integer> slept) {}

    private final Set<Integer> slept = new TreeSet<>();

    static Prediction predict(Node root) {
        NurseryTreeModel m = new NurseryTreeModel();
        Outcome o = m.run(root, new ArrayList<>());
        return new Prediction(Math.floorDiv(o.end() + S / 2, S), o.kind(), o.first(), o.suppressed(), m.slept);
    }

    private static long min(List<Long> chain) {
        long m = INF;
        for (long c : chain) {
            m = Math.min(m, c);
        }
        return m;
    }

    private record Members(long maxEnd, long firstFailureTime, List<long[]> failures, List<Outcome> failed,
                           boolean anyCancelled, Set<Integer> slept) {}

    /** The node's task, run inside scopes that are cancelled at the times in {@code chain} (×1024). */
    private Outcome run(Node n, List<Long> chain) {
        List<Long> withDeadline = new ArrayList<>(chain);
        withDeadline.add(n.deadline == INF ? INF : S * n.deadline - 1);
        long cancellerCancel = n.cancelAt != INF && S * n.cancelAt < min(withDeadline) ? S * n.cancelAt + 1 : INF;
        Members m = members(n, withDeadline, cancellerCancel);
        long nurseryCancel = cancellerCancel;
        if (m.firstFailureTime() != INF && m.firstFailureTime() + 1 < cancellerCancel) {
            nurseryCancel = m.firstFailureTime() + 1;
            m = members(n, withDeadline, nurseryCancel);
        }
        slept.addAll(m.slept());
        long end = m.maxEnd();
        if (!m.failed().isEmpty()) {
            // The first failure in time surfaces; the others are suppressed on it.
            int firstAt = 0;
            for (int i = 1; i < m.failures().size(); i++) {
                if (m.failures().get(i)[0] < m.failures().get(firstAt)[0]) {
                    firstAt = i;
                }
            }
            Outcome first = m.failed().get(firstAt);
            Set<Integer> suppressed = new TreeSet<>(first.suppressed());
            for (int i = 0; i < m.failed().size(); i++) {
                if (i != firstAt) {
                    suppressed.add(m.failed().get(i).first());
                }
            }
            return new Outcome(end, Kind.FAIL, first.first(), suppressed);
        }
        if (!m.anyCancelled()) {
            return new Outcome(end, Kind.OK, -1, Set.of());
        }
        // A Cancelled leaves the nursery unless the nursery's own scope is the outermost cancelled one.
        if (nurseryCancel <= end && min(withDeadline) > end) {
            return new Outcome(end, Kind.OK, -1, Set.of());
        }
        long deadline = withDeadline.get(withDeadline.size() - 1);
        if (deadline <= end && min(chain) > end) {
            return new Outcome(end, Kind.OK, -1, Set.of());
        }
        return new Outcome(end, Kind.CANCELLED, -1, Set.of());
    }

    private Members members(Node n, List<Long> withDeadline, long nurseryCancel) {
        List<Long> inner = new ArrayList<>(withDeadline);
        inner.add(nurseryCancel);
        long cancelTime = min(inner);
        long maxEnd = 0;
        long firstFailure = INF;
        List<long[]> failures = new ArrayList<>();
        List<Outcome> failed = new ArrayList<>();
        boolean anyCancelled = false;
        Set<Integer> sleptHere = new TreeSet<>();
        // The body: sleep, then maybe throw.
        if (S * n.sleep < cancelTime) {
            sleptHere.add(n.index);
            maxEnd = Math.max(maxEnd, S * n.sleep);
            if (n.fails) {
                failures.add(new long[] {S * n.sleep});
                failed.add(new Outcome(S * n.sleep, Kind.FAIL, n.index, Set.of()));
                firstFailure = Math.min(firstFailure, S * n.sleep);
            }
        } else {
            maxEnd = Math.max(maxEnd, cancelTime);
            anyCancelled = true;
        }
        // The canceller, when there is one.
        if (n.cancelAt != INF) {
            maxEnd = Math.max(maxEnd, Math.min(S * n.cancelAt, cancelTime));
        }
        // Children, and the siblings they start into this nursery.
        List<Node> tasks = new ArrayList<>();
        for (Node c : n.children) {
            tasks.add(c);
            if (c.sibling != null) {
                tasks.add(c.sibling);
            }
        }
        NurseryTreeModel sub = new NurseryTreeModel();
        for (Node c : tasks) {
            Outcome o = sub.run(c, inner);
            maxEnd = Math.max(maxEnd, o.end());
            if (o.kind() == Kind.FAIL) {
                failures.add(new long[] {o.end()});
                failed.add(o);
                firstFailure = Math.min(firstFailure, o.end());
            } else if (o.kind() == Kind.CANCELLED) {
                anyCancelled = true;
            }
        }
        sleptHere.addAll(sub.slept);
        return new Members(maxEnd, firstFailure, failures, failed, anyCancelled, sleptHere);
    }
}

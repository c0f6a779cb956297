package dev.trellis.check;

import dev.trellis.trace.Trace;
import dev.trellis.trace.TraceKind;

import java.util.Arrays;
import java.util.List;

/**
 * The rules of structured concurrency, read off a trace: a nursery closes only after all its
 * children ended; no task outlives its nursery or the execution; a child's failure cancels its
 * siblings and reaches the parent; a cancelled scope's block ends; deadlines fire exactly on
 * time in virtual time. Checked in one pass, on every simulated execution.
 */
public final class StructuralInvariants implements Invariant {
    private static final List<Invariant> ALL = List.of(new StructuralInvariants());

    /** The invariants every simulated execution is checked against by default. */
    public static List<Invariant> all() {
        return ALL;
    }

    @Override
    public String name() {
        return "structure";
    }

    @Override
    public Violation check(Trace t) {
        Pass pass = PASSES.get();
        pass.reset(t);
        return pass.run();
    }

    /** One reusable pass per thread: checking runs after every execution, so it must not allocate. */
    private static final ThreadLocal<Pass> PASSES = ThreadLocal.withInitial(Pass::new);

    /** Per-id state, in arrays indexed by the dense ids the kernel gives. */
    private static final class Pass {
        Trace t;
        int[] taskNursery = filled(16);
        boolean[] taskEnded = new boolean[16];
        int[] openNurseriesOwned = new int[16];
        int maxTask = -1;
        int[] nurseryOwner = filled(8);
        int[] nurseryScope = filled(8);
        int[] nurseryLive = new int[8];
        boolean[] nurseryClosed = new boolean[8];
        int[] firstChildFailure = filled(8);
        boolean[] cancelPending = new boolean[8];
        int maxNursery = -1;
        int[] scopeNursery = filled(16);
        long[] scopeDeadline = longs(16);
        long[] scopeDeadlineSetAt = new long[16];
        boolean[] scopeCancelled = new boolean[16];
        boolean[] scopeEntered = new boolean[16];
        boolean[] scopeExited = new boolean[16];
        int maxScope = -1;

        void reset(Trace trace) {
            this.t = trace;
            Arrays.fill(taskNursery, 0, maxTask + 1, -1);
            Arrays.fill(taskEnded, 0, maxTask + 1, false);
            Arrays.fill(openNurseriesOwned, 0, maxTask + 1, 0);
            Arrays.fill(nurseryOwner, 0, maxNursery + 1, -1);
            Arrays.fill(nurseryScope, 0, maxNursery + 1, -1);
            Arrays.fill(nurseryLive, 0, maxNursery + 1, 0);
            Arrays.fill(nurseryClosed, 0, maxNursery + 1, false);
            Arrays.fill(firstChildFailure, 0, maxNursery + 1, -1);
            Arrays.fill(cancelPending, 0, maxNursery + 1, false);
            Arrays.fill(scopeNursery, 0, maxScope + 1, -1);
            Arrays.fill(scopeDeadline, 0, maxScope + 1, Long.MAX_VALUE);
            Arrays.fill(scopeDeadlineSetAt, 0, maxScope + 1, 0);
            Arrays.fill(scopeCancelled, 0, maxScope + 1, false);
            Arrays.fill(scopeEntered, 0, maxScope + 1, false);
            Arrays.fill(scopeExited, 0, maxScope + 1, false);
            maxTask = -1;
            maxNursery = -1;
            maxScope = -1;
        }

        Violation run() {
            for (int i = 0; i < t.size(); i++) {
                Violation v = event(i);
                if (v != null) {
                    return v;
                }
            }
            return atEnd();
        }

        private Violation event(int i) {
            int task = t.task(i);
            long a = t.a(i);
            long b = t.b(i);
            switch (t.kind(i)) {
                case TraceKind.SPAWN -> {
                    growTasks(task);
                    maxTask = Math.max(maxTask, task);
                    taskNursery[task] = (int) b;
                    if (b >= 0) {
                        growNurseries((int) b);
                        if (nurseryClosed[(int) b]) {
                            return v("no-start-into-closed-nursery", "task " + task + " was started into nursery " + b
                                    + " after it closed", i);
                        }
                        nurseryLive[(int) b]++;
                    }
                }
                case TraceKind.END -> {
                    growTasks(task);
                    taskEnded[task] = true;
                    if (openNurseriesOwned[task] > 0) {
                        return v("no-task-outlives-its-nursery", "task " + task + " ended while a nursery it opened "
                                + "was still open", i);
                    }
                    int n = taskNursery[task];
                    if (n >= 0) {
                        nurseryLive[n]--;
                        if (a == 1 && firstChildFailure[n] < 0) {
                            firstChildFailure[n] = i;
                            cancelPending[n] = !scopeCancelledNow(nurseryScope[n]);
                        }
                    }
                }
                case TraceKind.REPARENT -> {
                    int from = (int) a;
                    int to = (int) b;
                    growNurseries(to);
                    if (nurseryClosed[to]) {
                        return v("no-start-into-closed-nursery", "task " + task + " moved into nursery " + to
                                + " after it closed", i);
                    }
                    if (from >= 0) {
                        nurseryLive[from]--;
                    }
                    nurseryLive[to]++;
                    taskNursery[task] = to;
                }
                case TraceKind.NURSERY_OPEN -> {
                    int n = (int) a;
                    growNurseries(n);
                    growScopes((int) b);
                    maxNursery = Math.max(maxNursery, n);
                    nurseryOwner[n] = task;
                    nurseryScope[n] = (int) b;
                    scopeNursery[(int) b] = n;
                    growTasks(task);
                    openNurseriesOwned[task]++;
                }
                case TraceKind.NURSERY_CLOSE -> {
                    int n = (int) a;
                    if (nurseryLive[n] > 0) {
                        return v("nursery-waits-for-children", "nursery " + n + " closed while " + nurseryLive[n]
                                + " of its children were alive (" + aliveChildren(n) + ")", i);
                    }
                    if (firstChildFailure[n] >= 0 && cancelPending[n]) {
                        return v("failure-cancels-siblings", "a child of nursery " + n + " failed (event "
                                + firstChildFailure[n] + ") but the nursery's scope was never cancelled", i);
                    }
                    if (firstChildFailure[n] >= 0 && b == 0) {
                        return v("failure-reaches-parent", "a child of nursery " + n + " failed (event "
                                + firstChildFailure[n] + ") but the nursery closed without raising it", i);
                    }
                    nurseryClosed[n] = true;
                    openNurseriesOwned[nurseryOwner[n]]--;
                }
                case TraceKind.SCOPE_ENTER -> {
                    growScopes((int) a);
                    maxScope = Math.max(maxScope, (int) a);
                    scopeEntered[(int) a] = true;
                }
                case TraceKind.SCOPE_EXIT -> {
                    int s = (int) a;
                    scopeExited[s] = true;
                    if (Math.max(scopeDeadline[s], scopeDeadlineSetAt[s]) < t.time(i) && !scopeCancelled[s]) {
                        return v("deadlines-hold", "scope " + s + " ended at " + t.time(i) + " ns, after its deadline "
                                + scopeDeadline[s] + " ns, without being cancelled", i);
                    }
                }
                case TraceKind.DEADLINE -> {
                    growScopes((int) a);
                    scopeDeadline[(int) a] = b;
                    scopeDeadlineSetAt[(int) a] = t.time(i);
                }
                case TraceKind.CANCEL -> {
                    int s = (int) a;
                    growScopes(s);
                    scopeCancelled[s] = true;
                    long due = Math.max(scopeDeadline[s], scopeDeadlineSetAt[s]);
                    if ("deadline".equals(t.text(i)) && t.time(i) != due) {
                        return v("deadlines-hold", "scope " + s + " was cancelled for its deadline at " + t.time(i)
                                + " ns, but it was due at " + due + " ns", i);
                    }
                    int n = scopeNursery[s];
                    if (n >= 0) {
                        cancelPending[n] = false;
                    }
                }
                default -> { }
            }
            return null;
        }

        private boolean scopeCancelledNow(int scope) {
            return scope >= 0 && scopeCancelled[scope];
        }

        private Violation atEnd() {
            for (int task = 0; task <= maxTask; task++) {
                if (!taskEnded[task]) {
                    return v("no-task-alive-at-end", "task " + task + " was still alive when the execution ended", -1);
                }
            }
            for (int n = 0; n <= maxNursery; n++) {
                if (nurseryOwner[n] >= 0 && !nurseryClosed[n]) {
                    return v("nursery-waits-for-children", "nursery " + n + " never closed", -1);
                }
            }
            for (int s = 0; s <= maxScope; s++) {
                if (scopeEntered[s] && !scopeExited[s]) {
                    return v("cancelled-scope-ends", "scope " + s + (scopeCancelled[s] ? " was cancelled but" : "")
                            + " was never exited", -1);
                }
            }
            return null;
        }

        private String aliveChildren(int n) {
            StringBuilder sb = new StringBuilder();
            for (int task = 0; task <= maxTask; task++) {
                if (taskNursery[task] == n && !taskEnded[task]) {
                    sb.append(sb.isEmpty() ? "" : ", ").append("task ").append(task);
                }
            }
            return sb.toString();
        }

        private Violation v(String rule, String message, int index) {
            return new Violation(rule, message, index);
        }

        private void growTasks(int id) {
            maxTask = Math.max(maxTask, id);
            if (id >= taskNursery.length) {
                int n = Math.max(id + 1, taskNursery.length * 2);
                int old = taskNursery.length;
                taskNursery = Arrays.copyOf(taskNursery, n);
                Arrays.fill(taskNursery, old, n, -1);
                taskEnded = Arrays.copyOf(taskEnded, n);
                openNurseriesOwned = Arrays.copyOf(openNurseriesOwned, n);
            }
        }

        private void growNurseries(int id) {
            maxNursery = Math.max(maxNursery, id);
            if (id >= nurseryOwner.length) {
                int n = Math.max(id + 1, nurseryOwner.length * 2);
                int old = nurseryOwner.length;
                nurseryOwner = Arrays.copyOf(nurseryOwner, n);
                Arrays.fill(nurseryOwner, old, n, -1);
                nurseryScope = Arrays.copyOf(nurseryScope, n);
                Arrays.fill(nurseryScope, old, n, -1);
                nurseryLive = Arrays.copyOf(nurseryLive, n);
                nurseryClosed = Arrays.copyOf(nurseryClosed, n);
                firstChildFailure = Arrays.copyOf(firstChildFailure, n);
                Arrays.fill(firstChildFailure, old, n, -1);
                cancelPending = Arrays.copyOf(cancelPending, n);
            }
        }

        private void growScopes(int id) {
            maxScope = Math.max(maxScope, id);
            if (id >= scopeNursery.length) {
                int n = Math.max(id + 1, scopeNursery.length * 2);
                int old = scopeNursery.length;
                scopeNursery = Arrays.copyOf(scopeNursery, n);
                Arrays.fill(scopeNursery, old, n, -1);
                scopeDeadline = Arrays.copyOf(scopeDeadline, n);
                Arrays.fill(scopeDeadline, old, n, Long.MAX_VALUE);
                scopeDeadlineSetAt = Arrays.copyOf(scopeDeadlineSetAt, n);
                scopeCancelled = Arrays.copyOf(scopeCancelled, n);
                scopeEntered = Arrays.copyOf(scopeEntered, n);
                scopeExited = Arrays.copyOf(scopeExited, n);
            }
        }

        private static int[] filled(int n) {
            int[] a = new int[n];
            Arrays.fill(a, -1);
            return a;
        }

        private static long[] longs(int n) {
            long[] a = new long[n];
            Arrays.fill(a, Long.MAX_VALUE);
            return a;
        }
    }
}

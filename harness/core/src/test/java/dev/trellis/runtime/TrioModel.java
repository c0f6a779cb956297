package dev.trellis.runtime;

import dev.trellis.runtime.TrioProgram.Cancel;
import dev.trellis.runtime.TrioProgram.FailAfter;
import dev.trellis.runtime.TrioProgram.Mark;
import dev.trellis.runtime.TrioProgram.NurseryBlock;
import dev.trellis.runtime.TrioProgram.Outcome;
import dev.trellis.runtime.TrioProgram.Raise;
import dev.trellis.runtime.TrioProgram.Sleep;
import dev.trellis.runtime.TrioProgram.Start;
import dev.trellis.runtime.TrioProgram.Stmt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * trio 0.22.2's semantics for {@link TrioProgram}s, as a sequential event-driven interpreter written
 * from trio's source ({@code trio/_core/_run.py}, {@code trio/_timeouts.py}), not from Trellis's.
 * Each rule cites the trio function it copies. The run loop is trio's: tasks made runnable during a
 * batch run in the next batch; when nothing is runnable the clock jumps to the earliest registered
 * deadline ({@code MockClock(autojump_threshold=0)}) and every deadline due expires before any task
 * runs. A sleep is what trio makes of it: a cancel scope with a deadline around a wait that only a
 * cancellation ends, so a sleep ending and an outer deadline at one instant resolve as trio's do.
 *
 * <p>Exceptions are trio's tree (a {@code MultiError} in non-strict mode, collapsing lone members),
 * flattened to leaf names only in the {@link Outcome}. A task is a stack of frames over statement
 * lists; a blocked task remembers the abort function trio would call to cancel it.
 *
 * <p>trio runs a batch in random order; the model runs it first-in first-out, or shuffled with
 * {@link #run(List, long)} so a caller can see whether a program's outcome depends on that order.
 */
final class TrioModel {
    static final long INF = Long.MAX_VALUE;

    // ---- exceptions ---------------------------------------------------------------------------

    /** An exception in flight: a leaf ({@code Cancelled}, {@code TooSlow}, {@code E1}) or a MultiError. */
    sealed interface Exc {}

    record Leaf(String name) implements Exc {}

    record Group(List<Exc> members) implements Exc {}

    static final Leaf CANCELLED = new Leaf("Cancelled");

    /** MultiError.__new__ with _collapse=True (non-strict nurseries): a lone exception is returned as itself. */
    static Exc multiError(List<Exc> excs) {
        return excs.size() == 1 ? excs.getFirst() : new Group(List.copyOf(excs));
    }

    static boolean containsCancelled(Exc e) {
        return switch (e) {
            case Leaf l -> l.equals(CANCELLED);
            case Group g -> g.members().stream().anyMatch(TrioModel::containsCancelled);
        };
    }

    /**
     * The rest of {@code BaseExceptionGroup.split(Cancelled)} (null when nothing else was in it), then
     * collapse_exception_group: a MultiError left with one member collapses to it, at every level.
     */
    static Exc withoutCancelled(Exc e) {
        return switch (e) {
            case Leaf l -> l.equals(CANCELLED) ? null : l;
            case Group g -> {
                List<Exc> rest = new ArrayList<>();
                for (Exc m : g.members()) {
                    Exc r = withoutCancelled(m);
                    if (r != null) {
                        rest.add(r);
                    }
                }
                yield rest.isEmpty() ? null : multiError(rest);
            }
        };
    }

    static void leaves(Exc e, List<String> out) {
        switch (e) {
            case Leaf l -> out.add(l.name());
            case Group g -> g.members().forEach(m -> leaves(m, out));
        }
    }

    // ---- state --------------------------------------------------------------------------------

    /** A CancelScope together with its CancelStatus (one per `with` block, so one object suffices here). */
    static final class Scope {
        final int id;
        final Scope parent;
        final boolean shield;
        final long deadline;
        boolean cancelCalled;
        boolean open = true;
        boolean cancelledCaught;

        Scope(int id, Scope parent, boolean shield, long deadline) {
            this.id = id;
            this.parent = parent;
            this.shield = shield;
            this.deadline = deadline;
        }

        // CancelStatus.recalculate keeps this up to date eagerly; computing it on demand gives the same value.
        boolean effectivelyCancelled() {
            return cancelCalled || parentCancellationIsVisibleToUs();
        }

        // CancelStatus.parent_cancellation_is_visible_to_us
        boolean parentCancellationIsVisibleToUs() {
            return parent != null && !shield && parent.effectivelyCancelled();
        }

        // _might_change_registered_deadline: a deadline is registered while the scope is open and not yet cancelled.
        boolean registered() {
            return open && !cancelCalled && deadline != INF;
        }
    }

    static final class Nursery {
        final Scope scope;
        final Task parentTask;
        final List<Task> children = new ArrayList<>();
        final List<Exc> pendingExcs = new ArrayList<>();
        boolean nestedChildRunning = true;
        boolean parentWaitingInAexit;
        boolean closed;

        Nursery(Scope scope, Task parentTask) {
            this.scope = scope;
            this.parentTask = parentTask;
        }
    }

    enum Kind { TASK, SCOPE, FAIL_AFTER, NURSERY, SLEEP, CHECKPOINT }

    /** Where a frame is: running its body, or somewhere in its exit. */
    enum Phase { BODY, AEXIT_WAITING, AEXIT_CHECKPOINT, CHECKPOINT_SCHEDULED, CHECKPOINT_CANCEL_WAIT, SLEEPING }

    static final class Frame {
        final Kind kind;
        final String label;
        final List<Stmt> body;
        final Scope scope;
        final Nursery nursery;
        int pc;
        Phase phase;

        Frame(Kind kind, String label, List<Stmt> body, Scope scope, Nursery nursery, Phase phase) {
            this.kind = kind;
            this.label = label;
            this.body = body;
            this.scope = scope;
            this.nursery = nursery;
            this.phase = phase;
        }
    }

    /** The abort function a blocked task gave wait_task_rescheduled. */
    enum Abort { SUCCEEDED, NURSERY_AEXIT }

    static final class Task {
        final Nursery parentNursery;
        final Scope base;
        final Deque<Frame> frames = new ArrayDeque<>();
        Abort abort;
        Exc next;
        boolean done;

        Task(Nursery parentNursery, Scope base, List<Stmt> body) {
            this.parentNursery = parentNursery;
            this.base = base;
            frames.push(new Frame(Kind.TASK, null, body, null, null, Phase.BODY));
        }

        /** task._cancel_status: the innermost open scope of this task, else the one it was spawned in. */
        Scope status() {
            for (Frame f : frames) {
                if (f.scope != null) {
                    return f.scope;
                }
            }
            return base;
        }
    }

    private final SplittableRandom batchOrder;
    private final List<Task> tasks = new ArrayList<>();
    private final List<Scope> scopes = new ArrayList<>();
    private final Map<String, Scope> scopesByLabel = new HashMap<>();
    private final Map<String, Nursery> nurseriesByLabel = new HashMap<>();
    private List<Task> runq = new ArrayList<>();
    private long now;
    private final List<String> marks = new ArrayList<>();
    private final Map<String, Boolean> caught = new TreeMap<>();
    private Task main;
    private Exc mainOutcome;

    /** When set, batches are ignored: one runnable task at a time, any of them (see {@link #runInAnyOrder}). */
    private final SplittableRandom anyOrder;
    /** The task that ran last, in any-order mode. */
    private Task last;

    private TrioModel(SplittableRandom batchOrder) {
        this(batchOrder, null);
    }

    private TrioModel(SplittableRandom batchOrder, SplittableRandom anyOrder) {
        this.batchOrder = batchOrder;
        this.anyOrder = anyOrder;
    }

    /**
     * The same, except that tasks run one at a time in an order drawn from {@code seed} among all
     * runnable ones, those made runnable a moment ago included: the orders Trellis's simulator
     * explores. trio's batches are one such order, and trio does not promise them, so a program
     * whose outcome differs here depends on scheduling and is no test of semantics.
     */
    static Outcome runInAnyOrder(List<Stmt> program, long seed) {
        return new TrioModel(null, new SplittableRandom(seed)).execute(program);
    }

    /** What trio does with {@code program}, running each batch of ready tasks first-in first-out. */
    static Outcome run(List<Stmt> program) {
        return new TrioModel(null).execute(program);
    }

    /** The same, with each batch shuffled by a generator seeded with {@code batchOrderSeed}, as trio's batches are. */
    static Outcome run(List<Stmt> program, long batchOrderSeed) {
        return new TrioModel(new SplittableRandom(batchOrderSeed)).execute(program);
    }

    // ---- the run loop -------------------------------------------------------------------------

    private Outcome execute(List<Stmt> program) {
        main = new Task(null, newScope(null, false, INF), program);
        tasks.add(main);
        runq.add(main);
        while (!main.done) {
            if (runq.isEmpty()) {
                // unrooted_run's loop: nothing runnable, so MockClock._autojump moves the clock to the next
                // deadline, and Deadlines.expire cancels every scope whose deadline has come, before any task runs.
                long next = INF;
                for (Scope s : scopes) {
                    if (s.registered()) {
                        next = Math.min(next, s.deadline);
                    }
                }
                if (next == INF) {
                    throw new IllegalStateException("deadlock: no task runnable and no deadline pending");
                }
                now = Math.max(now, next);
                expire();
            }
            if (anyOrder != null) {
                if (!runq.isEmpty()) {
                    // Half the time the task that ran last goes on if it can (trio's checkpoint "has the option
                    // of ... continuing to run the current task"), as PCT's schedules do; otherwise any task.
                    int i = runq.indexOf(last);
                    if (i < 0 || !anyOrder.nextBoolean()) {
                        i = anyOrder.nextInt(runq.size());
                    }
                    last = runq.remove(i);
                    step(last);
                }
                continue;
            }
            // unrooted_run: run the tasks runnable now; whatever becomes runnable meanwhile waits for the next batch.
            List<Task> batch = runq;
            runq = new ArrayList<>();
            if (batchOrder != null) {
                Collections.shuffle(batch, batchOrder);
            }
            for (Task t : batch) {
                step(t);
            }
        }
        List<String> errors = new ArrayList<>();
        if (mainOutcome != null) {
            leaves(mainOutcome, errors);
        }
        return new Outcome(marks, caught, errors, now);
    }

    // Deadlines.expire: every registered deadline <= now calls cancel(); one at a time, in deadline order.
    private void expire() {
        List<Scope> due = new ArrayList<>();
        for (Scope s : scopes) {
            if (s.registered() && s.deadline <= now) {
                due.add(s);
            }
        }
        due.sort((a, b) -> a.deadline != b.deadline ? Long.compare(a.deadline, b.deadline) : Integer.compare(a.id, b.id));
        due.forEach(this::cancel);
    }

    // ---- cancellation -------------------------------------------------------------------------

    // CancelScope.cancel: idempotent; sets cancel_called, then recalculate() calls the abort function of every
    // task blocked under a newly cancelled status, synchronously, before cancel() returns. Trying every task
    // reaches the same ones: a blocked task keeps its abort function only while it is not effectively cancelled.
    private void cancel(Scope s) {
        if (s.cancelCalled) {
            return;
        }
        s.cancelCalled = true;
        for (Task t : List.copyOf(tasks)) {
            attemptDeliveryOfAnyPendingCancel(t);
        }
    }

    // Task._attempt_delivery_of_any_pending_cancel / _attempt_abort: only a task blocked with an abort function and
    // effectively cancelled; the abort is attempted once per blocking call (cleared before the call here, so the
    // cancel() an abort makes cannot re-enter it, as recalculate's change detection ensures in trio).
    private void attemptDeliveryOfAnyPendingCancel(Task t) {
        if (t.done || t.abort == null || !t.status().effectivelyCancelled()) {
            return;
        }
        Abort abort = t.abort;
        t.abort = null;
        switch (abort) {
            // sleep_forever / checkpoint: `lambda _: Abort.SUCCEEDED`, so the task is rescheduled to raise Cancelled.
            case SUCCEEDED -> reschedule(t, CANCELLED);
            // _nested_child_finished's aborted(): _add_exc(Cancelled) (which cancels the nursery's scope),
            // return Abort.FAILED: the parent keeps waiting for its children.
            case NURSERY_AEXIT -> addExc(t.frames.peek().nursery, CANCELLED);
        }
    }

    // Runner.reschedule: the task runs in a later batch, with this outcome sent in (null: a plain value).
    private void reschedule(Task t, Exc outcome) {
        t.next = outcome;
        t.abort = null;
        runq.add(t);
    }

    // wait_task_rescheduled: the run loop, handling WaitTaskRescheduled, stores the abort function and calls
    // _attempt_delivery_of_any_pending_cancel at once, so a task blocking in a cancelled scope is aborted right away.
    private void waitTaskRescheduled(Task t, Abort abort) {
        t.abort = abort;
        attemptDeliveryOfAnyPendingCancel(t);
    }

    private Scope newScope(Scope parent, boolean shield, long deadline) {
        Scope s = new Scope(scopes.size(), parent, shield, deadline);
        scopes.add(s);
        // CancelScope.__enter__: a deadline already passed cancels the scope on entry.
        if (now >= deadline) {
            s.cancelCalled = true;
        }
        return s;
    }

    // CancelScope._close: an exception leaving a scope that is cancelled, by itself and not (only) through its
    // parent, loses its Cancelled: a lone Cancelled is swallowed, a MultiError is split and the rest collapsed;
    // either way cancelled_caught. Then the status is closed and its deadline unregistered.
    private static Exc close(Scope s, Exc exc) {
        if (exc != null && s.effectivelyCancelled() && !s.parentCancellationIsVisibleToUs()) {
            if (exc.equals(CANCELLED)) {
                s.cancelledCaught = true;
                exc = null;
            } else if (exc instanceof Group g) {
                if (containsCancelled(g)) {
                    s.cancelledCaught = true;
                }
                exc = withoutCancelled(g);
            }
        }
        s.open = false;
        return exc;
    }

    // ---- nurseries ----------------------------------------------------------------------------

    // Nursery._add_exc: remember the exception and cancel the nursery's scope (the body and every child).
    private void addExc(Nursery n, Exc exc) {
        n.pendingExcs.add(exc);
        cancel(n.scope);
    }

    // Nursery._check_nursery_closed: with no nested child and no children left, close, and wake a parent
    // waiting in __aexit__.
    private void checkNurseryClosed(Nursery n) {
        if (!n.nestedChildRunning && n.children.isEmpty()) {
            n.closed = true;
            if (n.parentWaitingInAexit) {
                n.parentWaitingInAexit = false;
                reschedule(n.parentTask, null);
            }
        }
    }

    // Runner.task_exited → Nursery._child_finished: an error is _add_exc'ed; then the nursery may close.
    private void taskExited(Task t, Exc outcome) {
        t.done = true;
        if (t == main) {
            mainOutcome = outcome;
            return;
        }
        Nursery n = t.parentNursery;
        n.children.remove(t);
        if (outcome != null) {
            addExc(n, outcome);
        }
        checkNurseryClosed(n);
    }

    private static <T> T entered(Map<String, T> byLabel, String label) {
        T t = byLabel.get(label);
        if (t == null) {
            throw new IllegalArgumentException("no scope or nursery labelled " + label + " was entered before this "
                    + "statement: a program may only name one around it");
        }
        return t;
    }

    // ---- one task step ------------------------------------------------------------------------

    /** Runs {@code t} from where it suspended until it blocks, yields or exits. */
    private void step(Task t) {
        Exc exc = t.next;
        t.next = null;
        Frame top = t.frames.peek();
        switch (top.phase) {
            case SLEEPING -> {
                // sleep_forever only ends by its abort, with Cancelled; sleep_until's move_on_at scope then closes:
                // if it was the sleep's own deadline the Cancelled is caught and the sleep returns.
                exc = close(top.scope, exc);
                t.frames.pop();
            }
            case CHECKPOINT_SCHEDULED -> {
                // checkpoint(): after cancel_shielded_checkpoint's schedule point, if effectively cancelled, wait in
                // CancelScope(deadline=-inf) with an abort that succeeds: the Cancelled comes one batch later.
                if (t.status().effectivelyCancelled()) {
                    top.phase = Phase.CHECKPOINT_CANCEL_WAIT;
                    waitTaskRescheduled(t, Abort.SUCCEEDED);
                    return;
                }
                t.frames.pop();
            }
            case CHECKPOINT_CANCEL_WAIT -> t.frames.pop(); // the -inf scope's _close lets the Cancelled through: its parent is cancelled
            default -> { } // a fresh task, or a parent woken in __aexit__ (a plain value)
        }
        advance(t, exc);
    }

    /** Runs statements and unwinds frames, with {@code exc} in flight (null: none). */
    private void advance(Task t, Exc exc) {
        while (true) {
            Frame f = t.frames.peek();
            if (f == null) {
                taskExited(t, exc);
                return;
            }
            if (f.phase == Phase.BODY && exc == null && f.pc < f.body.size()) {
                Stmt s = f.body.get(f.pc++);
                switch (s) {
                    case Sleep x -> {
                        if (x.micros() == 0) {
                            // trio.sleep(0) is checkpoint(): a schedule point (CancelShieldedCheckpoint → reschedule) first.
                            t.frames.push(new Frame(Kind.CHECKPOINT, null, List.of(), null, null, Phase.CHECKPOINT_SCHEDULED));
                            reschedule(t, null);
                            return;
                        }
                        // sleep → sleep_until: `with move_on_at(now + d): await sleep_forever()`.
                        Scope sleep = newScope(t.status(), false, now + x.micros());
                        t.frames.push(new Frame(Kind.SLEEP, null, List.of(), sleep, null, Phase.SLEEPING));
                        waitTaskRescheduled(t, Abort.SUCCEEDED);
                        return;
                    }
                    case Mark x -> marks.add(x.name() + "@" + now);
                    case Raise x -> exc = new Leaf(x.name());
                    case Cancel x -> cancel(entered(scopesByLabel, x.label()));
                    case TrioProgram.Scope x -> {
                        Scope sc = newScope(t.status(), x.shield(), x.deadline() < 0 ? INF : now + x.deadline());
                        scopesByLabel.put(x.label(), sc);
                        t.frames.push(new Frame(Kind.SCOPE, x.label(), x.body(), sc, null, Phase.BODY));
                    }
                    case FailAfter x -> {
                        // fail_after → fail_at: `with move_on_at(now + timeout) as scope`.
                        Scope sc = newScope(t.status(), false, now + x.timeout());
                        scopesByLabel.put(x.label(), sc);
                        t.frames.push(new Frame(Kind.FAIL_AFTER, x.label(), x.body(), sc, null, Phase.BODY));
                    }
                    case NurseryBlock x -> {
                        // NurseryManager.__aenter__: enter a fresh CancelScope; the nursery's children inherit its status.
                        Scope sc = newScope(t.status(), false, INF);
                        Nursery n = new Nursery(sc, t);
                        scopesByLabel.put(x.label(), sc);
                        nurseriesByLabel.put(x.label(), n);
                        t.frames.push(new Frame(Kind.NURSERY, x.label(), x.body(), sc, n, Phase.BODY));
                    }
                    case Start x -> {
                        // start_soon → spawn_impl: refused once closed; the child joins the nursery's cancel status
                        // and is scheduled; the parent goes on without a checkpoint.
                        Nursery n = entered(nurseriesByLabel, x.into());
                        if (n.closed) {
                            // RuntimeError("Nursery is closed to new arrivals"), which the oracle names Closed.
                            exc = new Leaf("Closed");
                            continue;
                        }
                        Task child = new Task(n, n.scope, x.body());
                        tasks.add(child);
                        n.children.add(child);
                        reschedule(child, null);
                    }
                }
                continue;
            }
            // The frame's body is over (or an exception is leaving it): exit the frame.
            switch (f.kind) {
                case TASK -> t.frames.pop();
                case SCOPE -> {
                    exc = close(f.scope, exc);
                    caught.put(f.label, f.scope.cancelledCaught);
                    t.frames.pop();
                }
                case FAIL_AFTER -> {
                    // fail_at: the scope's __exit__ runs first; only if it swallowed everything and caught a
                    // Cancelled does `if scope.cancelled_caught: raise TooSlowError` run.
                    exc = close(f.scope, exc);
                    caught.put(f.label, f.scope.cancelledCaught);
                    t.frames.pop();
                    if (exc == null && f.scope.cancelledCaught) {
                        exc = new Leaf("TooSlow");
                    }
                }
                case NURSERY -> {
                    Nursery n = f.nursery;
                    if (f.phase == Phase.BODY) {
                        // NurseryManager.__aexit__ → _nested_child_finished: the body's exception is _add_exc'ed; then
                        // with children still running, wait (a Cancelled delivered meanwhile is _add_exc'ed, which
                        // cancels the nursery's scope, and the wait goes on); else just a checkpoint().
                        if (exc != null) {
                            addExc(n, exc);
                            exc = null;
                        }
                        n.nestedChildRunning = false;
                        checkNurseryClosed(n);
                        if (!n.closed) {
                            n.parentWaitingInAexit = true;
                            f.phase = Phase.AEXIT_WAITING;
                            waitTaskRescheduled(t, Abort.NURSERY_AEXIT);
                        } else {
                            f.phase = Phase.AEXIT_CHECKPOINT;
                            t.frames.push(new Frame(Kind.CHECKPOINT, null, List.of(), null, null, Phase.CHECKPOINT_SCHEDULED));
                            reschedule(t, null);
                        }
                        return;
                    }
                    if (f.phase == Phase.AEXIT_CHECKPOINT && exc != null) {
                        // _nested_child_finished: `except BaseException as exc: self._add_exc(exc)` around the checkpoint.
                        addExc(n, exc);
                    }
                    // _nested_child_finished returns MultiError(pending, collapse); __aexit__ passes it to the scope's _close.
                    exc = close(n.scope, n.pendingExcs.isEmpty() ? null : multiError(n.pendingExcs));
                    caught.put(f.label, n.scope.cancelledCaught);
                    t.frames.pop();
                }
                case SLEEP, CHECKPOINT -> throw new IllegalStateException("resumed in step(), never unwound here");
            }
        }
    }
}

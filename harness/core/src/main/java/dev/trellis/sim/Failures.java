package dev.trellis.sim;

import dev.trellis.check.Violation;
import dev.trellis.runtime.spi.Task;
import dev.trellis.trace.Trace;

import java.util.Locale;
import java.util.Optional;

/** Builds the failure messages: what broke, where, then the replay footer. */
final class Failures {
    private static final int STACK_FRAMES = 12;
    private static final int TRACE_TAIL = 12;

    private Failures() {}

    static SimulationFailure deadlock(Execution ex) {
        StringBuilder sb = new StringBuilder();
        sb.append("Deadlock: no task can run and no timer is pending, but ").append(ex.liveCount())
                .append(" task(s) are still alive at virtual time ").append(ex.now()).append(" ns.\n");
        boolean parkedElsewhere = false;
        for (Task t : ex.aliveTasks()) {
            // One read of the state per task: the whole report follows from the same snapshot.
            Task.State state = t.state();
            sb.append("  ").append(t).append(": ").append(describeWait(t, state)).append('\n');
            appendStack(sb, t.thread().getStackTrace(), "      ");
            parkedElsewhere |= state == Task.State.PARKED_ELSEWHERE;
        }
        if (parkedElsewhere) {
            appendForeignVerdict(sb, ex);
        }
        sb.append("Last events:\n").append(ex.trace.tail(TRACE_TAIL));
        sb.append(footer(ex));
        return new SimulationFailure.Deadlock("deadlock with " + ex.liveCount() + " task(s) alive", sb.toString());
    }

    /**
     * Why the simulator did or did not wait for a thread outside it before calling this a
     * deadlock, and what to do if such a thread was meant to wake a task. Depends only on what
     * the execution saw, never on how long anything took, so a seed's report is always the same.
     */
    private static void appendForeignVerdict(StringBuilder sb, Execution ex) {
        if (ex.foreign.count() == 0) {
            sb.append("Reported at once: the simulator saw no thread outside it in this execution (no task "
                    + "created one, none woke a task, no task waits on work such a thread completes), so only a "
                    + "task could wake a task parked outside Trellis, "
                    + "and none can run. If a thread the simulator does not run was meant to wake one (a thread or "
                    + "executor started before the run, a JDK timer), that is the bug: under the simulator only "
                    + "tasks may wake tasks. Start that work with Nursery.start, or hand values to the tasks "
                    + "through a Channel. (The simulator waits SimConfig.withForeignGrace for a foreign thread "
                    + "only once it has seen one.)\n");
            return;
        }
        sb.append("No thread outside the simulator woke a task parked outside Trellis within ")
                .append(ex.config.foreignGrace().toMillis()).append(" ms of wall time (SimConfig.withForeignGrace). "
                        + "What showed a thread outside the simulator taking part in this execution:\n");
        for (String seen : ex.foreign.described()) {
            sb.append("  - ").append(seen).append('\n');
        }
        int more = ex.foreign.count() - ex.foreign.described().size();
        if (more > 0) {
            sb.append("  - and ").append(more).append(" more\n");
        }
        sb.append("Only tasks may wake tasks here; if a thread the simulator does not run was meant to, that thread "
                + "is the bug: SimConfig.withForeignGrace gives it longer to show itself and be named.\n");
    }

    private static String describeWait(Task t, Task.State state) {
        return switch (state) {
            case PARKED -> "waits on " + t.waitingOn();
            case PARKED_ELSEWHERE -> t.interruptedByCancel()
                    ? "was cancelled, interrupted once for it, and is parked again outside Trellis: either the "
                            + "java.util.concurrent wait ignores interrupts (ReentrantLock.lock, "
                            + "Semaphore.acquireUninterruptibly, ...) or the InterruptedException was caught and the "
                            + "task waited again without a checkpoint in between. Use an interruptible wait "
                            + "(lockInterruptibly, acquire, take) and let its InterruptedException propagate, or a "
                            + "Trellis primitive (Channel, Event)"
                    : "parked outside Trellis (a java.util.concurrent lock, queue or condition)";
            default -> t.state().name().toLowerCase(Locale.ROOT);
        };
    }

    static SimulationFailure limit(Execution ex, String what, String detail) {
        String msg = "Limit exceeded (" + what + "): " + detail + ". A livelock or an unbounded loop with "
                + "checkpoints looks like this; if the program simply needs more, raise the limit "
                + "(SimConfig.withMaxSteps / withMaxTime).\nLast events:\n" + ex.trace.tail(TRACE_TAIL) + footer(ex);
        return new SimulationFailure.LimitExceeded(what + " limit exceeded", msg);
    }

    static SimulationFailure uncontrolled(Execution ex, Task task, StackTraceElement[] stack, String what, String advice) {
        StackTraceElement site = Blocking.callSite(stack);
        StringBuilder sb = new StringBuilder();
        sb.append("Uncontrolled blocking: ").append(task).append(" blocked on ").append(what)
                .append(" at ").append(site).append(".\n").append(advice).append('\n');
        appendStack(sb, stack, "    ");
        sb.append(footer(ex));
        return new SimulationFailure.UncontrolledBlocking(what + " at " + site, sb.toString());
    }

    static SimulationFailure foreignWake(Execution ex, Task task, String thread) {
        StringBuilder sb = new StringBuilder();
        sb.append("Uncontrolled blocking: ").append(task).append(" was woken by thread '").append(thread)
                .append("', which the simulator does not schedule (a thread started outside a nursery, an executor, "
                        + "a JDK timer). Start concurrent work with Nursery.start so every wake-up is a scheduling "
                        + "choice.\n");
        if (task.blockedAt() != null) {
            sb.append("It had blocked at:\n");
            appendStack(sb, task.blockedAt(), "    ");
        }
        sb.append(footer(ex));
        return new SimulationFailure.UncontrolledBlocking("woken by foreign thread '" + thread + "'", sb.toString());
    }

    static SimulationFailure divergence(Execution ex, Replay.ReplayDiverged e) {
        return new SimulationFailure.Nondeterminism("replay departed from its recording",
                "Replay departed from its recording: " + e.getMessage() + "\n" + footer(ex));
    }

    /** A runaway, reported with the trace, steps and time as they stood when its step began. */
    static SimulationFailure runaway(Execution ex, Trace trace, long steps, long now, Task task,
                                     StackTraceElement[] stack, long millis) {
        StringBuilder sb = new StringBuilder();
        sb.append("Runaway: ").append(task).append(" ran for ").append(millis)
                .append(" ms of wall time without reaching a checkpoint, at ")
                .append(Blocking.callSite(stack)).append(".\nUnder Trellis a task keeps the carrier until it "
                        + "reaches a checkpoint; a loop that waits for another task must call Trellis.checkpoint() "
                        + "or block on a runtime primitive.\n");
        appendStack(sb, stack, "    ");
        sb.append(footer(ex.schedule, trace, steps, now));
        return new SimulationFailure.Runaway("runaway " + task, sb.toString());
    }

    static SimulationFailure invariant(Execution ex, Violation v) {
        StringBuilder sb = new StringBuilder();
        sb.append("Invariant violated: ").append(v.invariant()).append(": ").append(v.message()).append('\n');
        if (v.eventIndex() >= 0) {
            sb.append("At event:\n    ").append(ex.trace.describe(v.eventIndex())).append('\n');
        }
        sb.append(footer(ex));
        return new SimulationFailure.InvariantViolated(v.invariant() + ": " + v.message(), sb.toString());
    }

    /** What every failure ends with: who ran, step by step, then the seed and how to run it again. */
    static String footer(Execution ex) {
        return footer(ex.schedule, ex.trace, ex.steps(), ex.now());
    }

    /** How the footer of every failure begins. */
    static final String SCHEDULE_LINE = "Schedule (who ran, step by step): ";

    private static String footer(Schedule s, Trace trace, long steps, long now) {
        return SCHEDULE_LINE + trace.schedule(40) + "\n"
                + footer(s, steps, now, trace.hashHex());
    }

    /** Where long schedules are written, so a failure can name a file instead of a page of numbers. */
    static final java.nio.file.Path SCHEDULE_DIR = java.nio.file.Path.of(
            System.getProperty("trellis.scheduleDir", "target/trellis-schedules"));

    static String footer(Schedule s, long steps, long now, String hash) {
        String arg = s.replayArgument(SCHEDULE_DIR, hash);
        // A test that explores seeds runs this config; only the seed-driven strategies come from it.
        // Not PCT's: a pct:D exploration names the K it learnt, which one seed run alone cannot
        // learn; not a search's, whose execution depends on the ones before: both rerun by spec.
        boolean seedDriven = !s.strategy().startsWith("choices:") && !s.strategy().startsWith("replay:")
                && !s.strategy().startsWith("pct:") && !s.strategy().startsWith("dfs:");
        String rerun = seedDriven
                ? "or rerun the test with -D" + SimConfig.SEED_PROPERTY + "=" + s.seed() + " (a test that explores seeds)"
                : "or rerun the test with -D" + SimConfig.SCHEDULE_PROPERTY + "='" + arg + "' (a test that explores seeds)";
        return String.format(Locale.ROOT, """
                --------------------------------------------------------------------
                  seed       %d
                  strategy   %s
                  steps      %d
                  time       %d ns (virtual)
                  trace      %s (a replay must give the same hash)
                  replay     Simulation.run(body, Schedule.parse("%s"))
                             %s
                --------------------------------------------------------------------
                """, s.seed(), abbreviate(s.strategy()), steps, now, hash, arg, rerun);
    }

    /**
     * {@code f} again, of the same kind, with rows in its footer saying how many executions of an
     * exploration ran to find it and, for PCT, the bound they were drawn under.
     */
    static SimulationFailure explored(SimulationFailure f, long executions, Optional<Confidence> confidence) {
        StringBuilder rows = new StringBuilder(String.format(Locale.ROOT, "  explored   %d execution%s, stopped at "
                + "this one, the first to fail\n", executions, executions == 1 ? "" : "s"));
        confidence.ifPresent(c -> rows.append(String.format(Locale.ROOT, "  pct bound  depth %d, n = %d choices, "
                + "k = %d tasks%s: each execution finds a given depth-%d bug with p >= 1/%.0f\n", c.depth(), c.choices(),
                c.tasks(), c.range() == c.choices() ? "" : ", K = " + c.range(), c.depth(), c.expectedExecutions())));
        String m = f.getMessage();
        int at = m.lastIndexOf("\n  replay     ");
        String message = at < 0 ? m + rows : m.substring(0, at + 1) + rows + m.substring(at + 1);
        String h = f.headline();
        return switch (f) {
            case SimulationFailure.Deadlock d -> new SimulationFailure.Deadlock(h, message);
            case SimulationFailure.Runaway r -> new SimulationFailure.Runaway(h, message);
            case SimulationFailure.UncontrolledBlocking u -> new SimulationFailure.UncontrolledBlocking(h, message);
            case SimulationFailure.LimitExceeded l -> new SimulationFailure.LimitExceeded(h, message);
            case SimulationFailure.Nondeterminism n -> new SimulationFailure.Nondeterminism(h, message);
            case SimulationFailure.InvariantViolated i -> new SimulationFailure.InvariantViolated(h, message);
            case SimulationFailure.BodyFailed b -> new SimulationFailure.BodyFailed(h, message, b.getCause());
        };
    }

    private static String abbreviate(String spec) {
        return spec.length() <= 80 ? spec : spec.substring(0, 77) + "...";
    }

    static void appendStack(StringBuilder sb, StackTraceElement[] stack, String indent) {
        int n = Math.min(stack.length, STACK_FRAMES);
        for (int i = 0; i < n; i++) {
            sb.append(indent).append("at ").append(stack[i]).append('\n');
        }
        if (stack.length > n) {
            sb.append(indent).append("... ").append(stack.length - n).append(" more\n");
        }
    }
}

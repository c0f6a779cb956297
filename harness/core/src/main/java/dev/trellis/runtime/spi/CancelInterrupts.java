package dev.trellis.runtime.spi;

/**
 * How a cancellation reaches a task parked in a java.util.concurrent wait (a queue, a lock, a
 * condition), which only an interrupt reaches, and how the kernel keeps that interrupt its own:
 * sent once per cancelled scope and wait, taken back if the wait did not use it, and counted as
 * the cancellation only when it caused the InterruptedException. The state lives on the task
 * ({@code interruptedFor}, {@code cancelInterruptSent}); everything here runs on the kernel's
 * carrier.
 */
final class CancelInterrupts {
    private CancelInterrupts() {}

    /**
     * Interrupts {@code t} if it is parked outside the kernel under {@code cancelling}. An
     * interruptible wait throws InterruptedException, which scopes and nurseries treat as the
     * cancellation ({@link Kernel#asCancellation}); a wait that ignores interrupts parks again and
     * is not interrupted again for the same scope, and the simulator's deadlock report says so.
     *
     * <p>The kernel's state says the task is not in a kernel wait (the simulator knows it parked
     * elsewhere; the real runtime only that it is off the carrier); the thread's own state says it
     * is parked now, not queued to run, so no interrupt is left over for a later wait.
     */
    static void send(Task t, Scope cancelling) {
        if (cancelling == null || t.interruptedFor == cancelling || t.thread == Thread.currentThread()
                || (t.state != Task.State.PARKED_ELSEWHERE && t.state != Task.State.RUNNING)) {
            return;
        }
        Thread.State parked = t.thread.getState();
        if (parked != Thread.State.WAITING && parked != Thread.State.TIMED_WAITING) {
            return;
        }
        t.interruptedFor = cancelling;
        t.cancelInterruptSent = true;
        t.thread.interrupt();
    }

    /**
     * The task is back in the kernel, so a java.util.concurrent wait the kernel interrupted is
     * over. If that interrupt was never used (the wait ignored it, or had already ended when it
     * came), it is the kernel's to take back: left on the thread it would break a later wait that
     * no cancellation reaches, one under a shield or after the scope has ended.
     */
    static void backInKernel(Task task) {
        if (task.interruptedFor == null) {
            return;
        }
        task.interruptedFor = null;
        if (Thread.interrupted()) {
            task.cancelInterruptSent = false;
        }
    }

    /** Whether {@code failure} of {@code task} is an InterruptedException the kernel's interrupt caused, in a task still cancelled. */
    static boolean caused(Task task, Throwable failure) {
        return failure instanceof InterruptedException && task.cancelInterruptSent
                && Scope.effectiveCancel(task.innermost) != null;
    }

    /** The interrupt is used up: turned into a Cancelled, or cleared from the thread. */
    static void spent(Task task) {
        task.interruptedFor = null;
        task.cancelInterruptSent = false;
    }
}

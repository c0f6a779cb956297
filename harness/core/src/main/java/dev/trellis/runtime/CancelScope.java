package dev.trellis.runtime;

import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.Scope;
import dev.trellis.runtime.spi.Task;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * A region of code that can be cancelled, by a call or by a deadline (trio's CancelScope).
 * Cancellation reaches every task inside at its next checkpoint as {@link Cancelled}; the
 * exception travels up to the cancelled scope, which absorbs it, and the code after the block
 * goes on. Scopes nest; a shielded scope hides cancellations from outside.
 *
 * <p>The block is a lambda rather than a try-with-resources body because the scope must catch
 * the {@code Cancelled} its block throws, which a {@code close()} method cannot do.
 *
 * {@snippet :
 * CancelScope scope = CancelScope.moveOnAfter(Duration.ofSeconds(5), () -> {
 *     Trellis.sleep(Duration.ofSeconds(10));   // cancelled at t = 5 s
 * });
 * assert scope.cancelledCaught();
 * }
 */
public final class CancelScope {
    private final Kernel kernel;
    private final Scope scope;
    private boolean cancelledCaught;

    CancelScope(Kernel kernel, Scope scope) {
        this.kernel = kernel;
        this.scope = scope;
    }

    /** Runs {@code block} in a new scope and returns the scope once the block is over. */
    public static CancelScope open(Block<CancelScope> block) throws Exception {
        return run(false, Long.MAX_VALUE, block);
    }

    /** Like {@link #open}, with a shield: cancellations from outside do not reach the block. */
    public static CancelScope openShielded(Block<CancelScope> block) throws Exception {
        return run(true, Long.MAX_VALUE, block);
    }

    /** Runs {@code body}, cancelling it if it runs longer than {@code timeout}; then goes on. */
    public static CancelScope moveOnAfter(Duration timeout, Body body) throws Exception {
        Kernel kernel = Kernel.current("CancelScope.moveOnAfter").kernel();
        return run(false, Trellis.saturatedAdd(kernel.nanoTime(), timeout.toNanos()), s -> body.run());
    }

    /** Runs {@code body}, cancelling it at {@code deadline} (time since the runtime started). */
    public static CancelScope moveOnAt(Duration deadline, Body body) throws Exception {
        return run(false, deadline.toNanos(), s -> body.run());
    }

    /**
     * {@link #moveOnAfter(Duration, Body)} for a block that sees its own scope, as {@link #open}'s
     * does: to cancel it early, or move its deadline ({@code scope.setDeadline}).
     */
    public static CancelScope moveOnAfter(Duration timeout, Block<CancelScope> block) throws Exception {
        Kernel kernel = Kernel.current("CancelScope.moveOnAfter").kernel();
        return run(false, Trellis.saturatedAdd(kernel.nanoTime(), timeout.toNanos()), block);
    }

    /** {@link #moveOnAt(Duration, Body)} for a block that sees its own scope. */
    public static CancelScope moveOnAt(Duration deadline, Block<CancelScope> block) throws Exception {
        return run(false, deadline.toNanos(), block);
    }

    /** Runs {@code body}; if it is still running after {@code timeout}, cancels it and throws {@link TooSlow}. */
    public static <T> T failAfter(Duration timeout, Callable<T> body) throws Exception {
        Object[] result = new Object[1];
        CancelScope s = moveOnAfter(timeout, () -> result[0] = body.call());
        if (s.cancelledCaught) {
            throw new TooSlow(timeout);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /** Runs {@code body}; if it is still running after {@code timeout}, cancels it and throws {@link TooSlow}. */
    public static void failAfter(Duration timeout, Body body) throws Exception {
        failAfter(timeout, () -> {
            body.run();
            return null;
        });
    }

    private static CancelScope run(boolean shield, long deadline, Block<CancelScope> block) throws Exception {
        Task task = Kernel.current("CancelScope");
        Kernel kernel = task.kernel();
        Scope s = kernel.cancellation().enterScope(shield);
        CancelScope cs = new CancelScope(kernel, s);
        Throwable escaping = null;
        try {
            if (deadline != Long.MAX_VALUE) {
                kernel.cancellation().setDeadline(s, deadline, true);
            }
            block.run(cs);
        } catch (Throwable e) {
            escaping = kernel.asCancellation(task, e);
        }
        escaping = cs.close(escaping);
        kernel.cancellation().exitScope(s, cs.cancelledCaught);
        rethrow(escaping);
        return cs;
    }

    /**
     * What leaves the scope when {@code escaping} reaches its end (trio's {@code CancelScope._close}):
     * if the scope is cancelled and no cancelled scope is visible above it, it absorbs every pending
     * {@link Cancelled} in the exception, whether thrown alone (then nothing leaves) or attached to
     * a real failure by a nursery (then the failure goes on, as trio's group minus its Cancelled).
     */
    Throwable close(Throwable escaping) {
        return close(escaping, java.util.List.of());
    }

    /**
     * Like {@link #close(Throwable)}, for a nursery whose failures were {@code escaping} (its first
     * real failure, or null) and the cancellations {@code beside} it: if this scope does not
     * absorb them, one leaves riding on the failure (recorded by the kernel, not attached to the
     * failure), for the scope it belongs to.
     */
    Throwable close(Throwable escaping, java.util.List<Cancelled> beside) {
        Cancelled carried = Cancelled.pendingIn(kernel, escaping);
        Cancelled first = carried;
        for (Cancelled c : beside) {
            if (first == null && c.isPending()) {
                first = c;
            }
        }
        if (first == null) {
            return escaping;
        }
        if (scope.absorbsCancellation()) {
            if (carried != null) {
                carried.absorb();
                if (carried != escaping) {
                    kernel.cancellation().unride(escaping);   // absorbed: the record has done its work
                }
            }
            beside.forEach(Cancelled::absorb);
            cancelledCaught = true;
            return escaping instanceof Cancelled ? null : escaping;
        }
        // The cancellations met in one nursery are one group in trio: the first leaves for the
        // scope it belongs to and stands for the rest, which no scope must count again.
        for (Cancelled c : beside) {
            if (c != first) {
                c.absorb();
            }
        }
        if (escaping == null) {
            return first;
        }
        if (carried == null) {
            // Recorded by the kernel, for the scope it belongs to, and not attached to the failure:
            // that scope absorbs it on the way out, and trio's group minus its Cancelled is the
            // failure alone, which is what code that catches it above must see.
            kernel.cancellation().ride(escaping, first);
        }
        return escaping;
    }

    static void rethrow(Throwable e) throws Exception {
        if (e == null) {
            return;
        }
        if (e instanceof Exception x) {
            throw x;
        }
        if (e instanceof Error x) {
            throw x;
        }
        throw new IllegalStateException(e);
    }

    /** Cancels the scope: every task inside sees {@link Cancelled} at its next checkpoint. Idempotent. */
    public void cancel() {
        kernel.cancellation().cancel(scope, "cancel() called");
    }

    /** Whether {@link #cancel()} was called or the deadline passed. */
    public boolean cancelCalled() {
        return scope.isCancelled();
    }

    /** Whether the scope absorbed a {@link Cancelled} when its block ended. */
    public boolean cancelledCaught() {
        return cancelledCaught;
    }

    /** The deadline as time since the runtime started, or null when there is none. */
    public Duration deadline() {
        return scope.deadline() == Long.MAX_VALUE ? null : Duration.ofNanos(scope.deadline());
    }

    /**
     * Sets or moves the deadline (time since the runtime started); null removes it. A deadline
     * already past fires at the next schedule point, as trio's does, so moving it out again
     * before then undoes it.
     */
    public void setDeadline(Duration deadline) {
        kernel.cancellation().setDeadline(scope, deadline == null ? Long.MAX_VALUE : deadline.toNanos());
    }

    public boolean isShielded() {
        return scope.isShielded();
    }

    public void setShield(boolean shield) {
        kernel.cancellation().setShield(scope, shield);
    }

    @Override
    public String toString() {
        return "CancelScope[" + scope.id + (scope.isCancelled() ? ", cancelled" : "") + "]";
    }
}

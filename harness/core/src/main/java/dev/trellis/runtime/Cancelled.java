package dev.trellis.runtime;

import dev.trellis.runtime.spi.Kernel;

/**
 * Raised at a checkpoint inside a cancelled {@link CancelScope}; the scope that was cancelled
 * catches it when the exception reaches it. Like trio's {@code Cancelled}, and like
 * {@code ThreadDeath} before it, it is an {@link Error}: a {@code catch (Exception e)} that logs and
 * carries on does not swallow a cancellation. Let it propagate; if you catch it, rethrow it.
 *
 * <p>When a nursery ends with a real failure and a cancellation at once (trio raises the group
 * {@code {Cancelled, E}}), it throws the failure, and the kernel records this Cancelled as riding on
 * it, for the cancel scope it belongs to, which counts it ({@link CancelScope#cancelledCaught()})
 * while the failure goes on propagating alone, as trio's group minus its Cancelled does.
 */
public final class Cancelled extends Error {
    /**
     * Whether a Cancelled records the stack where it was raised: off unless
     * {@code -Dtrellis.cancelledStackTraces=true}. Cancellations are raised and absorbed by the
     * thousand (every deadline of a server's connections), and filling in a stack trace was most
     * of their cost; the message names the scope and why it was cancelled. Turn it on to see
     * where a task was when a cancellation reached it (Kotlin's coroutines make the same trade
     * for their CancellationException).
     */
    static final boolean STACK_TRACES = Boolean.getBoolean("trellis.cancelledStackTraces");

    @Override
    public synchronized Throwable fillInStackTrace() {
        return STACK_TRACES ? super.fillInStackTrace() : this;
    }

    static {
        // How the kernel creates a Cancelled and tells one; registered, not exported.
        Kernel.register(new Kernel.Cancellations() {
            @Override
            public Error create(String message, Kernel.Proof proof) {
                return new Cancelled(message, proof);
            }

            @Override
            public boolean isCancellation(Throwable t) {
                return t instanceof Cancelled;
            }
        });
    }

    /** False once a cancel scope has absorbed this cancellation. */
    private boolean pending = true;

    /**
     * For the kernel only, as trio's {@code Cancelled} has no public constructor: a Cancelled
     * thrown by application code would look like a cancellation to every scope it passes, and a
     * cancelled nursery would absorb it without a trace. To cancel, call {@link CancelScope#cancel()}.
     */
    private Cancelled(String message, Kernel.Proof proof) {
        super(message);
        if (proof == null) {
            throw new IllegalArgumentException("Cancelled is raised by the runtime at a checkpoint inside a cancelled "
                    + "scope; application code cannot create one. To cancel, call CancelScope.cancel().");
        }
    }

    /** Whether no cancel scope has absorbed this cancellation yet. */
    boolean isPending() {
        return pending;
    }

    /** A cancel scope absorbed it. */
    void absorb() {
        pending = false;
    }

    /**
     * The pending cancellation {@code e} stands for or carries: {@code e} itself, or the one a
     * nursery attached to it (recorded by the kernel, so it holds even for exceptions that do not
     * keep suppressed ones). Null when there is none.
     */
    static Cancelled pendingIn(Kernel kernel, Throwable e) {
        if (e instanceof Cancelled c) {
            return c.pending ? c : null;
        }
        Cancelled riding = e == null ? null : (Cancelled) kernel.cancellation().riding(e);
        return riding != null && riding.pending ? riding : null;
    }
}

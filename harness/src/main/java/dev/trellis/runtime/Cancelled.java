package dev.trellis.runtime;

/**
 * Raised at a checkpoint inside a cancelled {@link CancelScope}; the scope that was cancelled
 * catches it when the exception reaches it. Like trio's {@code Cancelled}, and like
 * {@code ThreadDeath} before it, it is an {@link Error}: a {@code catch (Exception e)} that logs and
 * carries on does not swallow a cancellation. Let it propagate; if you catch it, rethrow it.
 *
 * <p>When a nursery ends with a real failure and a cancellation at once (trio raises the group
 * {@code {Cancelled, E}}), it throws the failure with this Cancelled attached as a suppressed
 * exception. The cancel scope the cancellation belongs to still counts it
 * ({@link CancelScope#cancelledCaught()}), while the failure goes on propagating.
 */
public final class Cancelled extends Error {
    /** False once a cancel scope has absorbed this cancellation. */
    private boolean pending = true;

    /** For engines; application code never creates one. */
    public Cancelled(String message) {
        super(message);
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
    static Cancelled pendingIn(dev.trellis.runtime.spi.Kernel kernel, Throwable e) {
        if (e instanceof Cancelled c) {
            return c.pending ? c : null;
        }
        Cancelled riding = e == null ? null : kernel.riding(e);
        return riding != null && riding.pending ? riding : null;
    }
}

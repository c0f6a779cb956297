package dev.trellis.runtime;

/**
 * Raised at a checkpoint inside a cancelled {@link CancelScope}; the scope that was cancelled
 * catches it when the exception reaches it. Like trio's {@code Cancelled}, and like
 * {@code ThreadDeath} before it, it is an {@link Error}: a {@code catch (Exception e)} that logs and
 * carries on does not swallow a cancellation. Let it propagate; if you catch it, rethrow it.
 */
public final class Cancelled extends Error {
    /** For engines; application code never creates one. */
    public Cancelled(String message) {
        super(message);
    }

    /**
     * Whether this cancellation is still on its way to the scope that will absorb it; false once
     * a scope absorbed it (it may still ride along as a suppressed exception of a real failure).
     */
    // stub until the nursery-semantics change lands
    boolean isPending() {
        return true;
    }
}

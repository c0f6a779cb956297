package dev.trellis.runtime.spi;

/**
 * The kernel's side of a cancel scope: a node in the tree that every task's innermost scope
 * points into. A task is cancelled when a scope on its chain is cancelled and no shield lies
 * between; the exception then travels to the outermost such scope, which absorbs it (trio's rule).
 */
public final class Scope {
    public final int id;
    /** The enclosing scope; changes only when a starting task moves to its nursery ({@link Kernel#reparent}). */
    Scope parent;
    final Kernel kernel;
    boolean cancelled;
    boolean shield;
    long deadline = Long.MAX_VALUE;
    Timers.Timer deadlineTimer;
    boolean exited;
    String cancelReason;

    Scope(Kernel kernel, int id, Scope parent) {
        this.kernel = kernel;
        this.id = id;
        this.parent = parent;
    }

    public Scope parent() { return parent; }
    public boolean isCancelled() { return cancelled; }
    public boolean isShielded() { return shield; }
    public long deadline() { return deadline; }
    public String cancelReason() { return cancelReason; }

    /** Whether code running with this scope as its innermost is cancelled (no shield in between). */
    public boolean isEffectivelyCancelled() {
        return effectiveCancel(this) != null;
    }

    /**
     * Whether a Cancelled leaving this scope stops here: this scope is cancelled and no cancelled
     * scope is visible above it (a shield hides everything above).
     */
    public boolean absorbsCancellation() {
        if (!cancelled) {
            return false;
        }
        if (shield) {
            return true;
        }
        for (Scope s = parent; s != null; s = s.parent) {
            if (s.cancelled) {
                return false;
            }
            if (s.shield) {
                return true;
            }
        }
        return true;
    }

    /** The scope whose cancellation reaches code running with {@code innermost} as its scope, or null. */
    static Scope effectiveCancel(Scope innermost) {
        Scope found = null;
        for (Scope s = innermost; s != null; s = s.parent) {
            if (s.cancelled) {
                found = s;
            }
            if (s.shield) {
                break;
            }
        }
        return found;
    }

    @Override
    public String toString() { return "scope " + id; }
}

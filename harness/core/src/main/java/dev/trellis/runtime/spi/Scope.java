package dev.trellis.runtime.spi;

/**
 * The kernel's side of a cancel scope: a node in the tree that every task's innermost scope
 * points into. A task is cancelled when a scope on its chain is cancelled and no shield lies
 * between; the exception then travels to the outermost such scope, which absorbs it (trio's rule).
 *
 * <p>The tree is also walked downwards, so that a cancellation visits only the tasks inside its
 * scope: each scope lists its <em>residents</em> (the live tasks whose innermost scope it is) and
 * its <em>occupied</em> children (those with a live task somewhere inside). A scope is linked into
 * its parent's children exactly while it is occupied, so a task that ends, or leaves a scope,
 * leaves nothing behind: a server's scope holds its live connections, not every connection it
 * ever had. Both lists are intrusive and unordered; whoever walks them orders what it finds by
 * task id.
 */
public final class Scope {
    public final int id;
    /** The enclosing scope; changes only when a starting task moves to its nursery ({@link Cancellation#reparent}). */
    Scope parent;
    final Kernel kernel;
    boolean cancelled;
    boolean shield;
    long deadline = Long.MAX_VALUE;
    Timers.Timer deadlineTimer;
    boolean exited;
    String cancelReason;

    /** The first resident: a live task whose innermost scope this is; the rest follow through the tasks. */
    Task firstResident;
    private int residents;
    /** Residents plus occupied children; the scope is in its parent's children while this is positive. */
    private int occupancy;
    private Scope firstChild;
    private Scope prevSibling;
    private Scope nextSibling;

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

    /** How many live tasks have this as their innermost scope; a task that ended is not counted. */
    public int residents() { return residents; }

    /** Whether a live task is inside this scope, in it or in a scope below it. */
    public boolean occupied() { return occupancy > 0; }

    /** How many scopes directly below this one have a live task inside. */
    public int occupiedChildren() { return occupancy - residents; }

    // ---- residents and occupied children (the kernel keeps them as tasks move) ----------------

    /**
     * Moves {@code t} from the residents of {@code from} to those of {@code to}, either null (a
     * task spawned, a task ended). O(1), plus a step for each scope that becomes occupied or
     * empty; a move between a scope and its parent leaves every other scope as it was.
     */
    static void moveResident(Task t, Scope from, Scope to) {
        if (from != null) {
            from.unlist(t);
        }
        if (to != null) {
            to.list(t);
            // Occupy the new scope before vacating the old: a move to a child or to the parent
            // then never empties a scope on the way, which would unlink and relink its chain.
            to.occupy();
        }
        if (from != null) {
            from.vacate();
        }
    }

    private void list(Task t) {
        t.prevResident = null;
        t.nextResident = firstResident;
        if (firstResident != null) {
            firstResident.prevResident = t;
        }
        firstResident = t;
        residents++;
    }

    private void unlist(Task t) {
        if (t.prevResident != null) {
            t.prevResident.nextResident = t.nextResident;
        } else {
            firstResident = t.nextResident;
        }
        if (t.nextResident != null) {
            t.nextResident.prevResident = t.prevResident;
        }
        t.prevResident = null;
        t.nextResident = null;
        residents--;
    }

    private void occupy() {
        if (occupancy++ == 0 && parent != null) {
            prevSibling = null;
            nextSibling = parent.firstChild;
            if (nextSibling != null) {
                nextSibling.prevSibling = this;
            }
            parent.firstChild = this;
            parent.occupy();
        }
    }

    private void vacate() {
        if (--occupancy == 0 && parent != null) {
            if (prevSibling != null) {
                prevSibling.nextSibling = nextSibling;
            } else {
                parent.firstChild = nextSibling;
            }
            if (nextSibling != null) {
                nextSibling.prevSibling = prevSibling;
            }
            prevSibling = null;
            nextSibling = null;
            parent.vacate();
        }
    }

    /**
     * Puts this scope under {@code to} (a starting task's scopes moving to its nursery), keeping
     * the lists of occupied scopes: if anyone lives inside it, it leaves its old parent's
     * children and joins the new one's, which it occupies before the old one is vacated.
     */
    void moveUnder(Scope to) {
        Scope from = parent;
        if (occupancy == 0) {
            parent = to;
            return;
        }
        if (prevSibling != null) {
            prevSibling.nextSibling = nextSibling;
        } else {
            from.firstChild = nextSibling;
        }
        if (nextSibling != null) {
            nextSibling.prevSibling = prevSibling;
        }
        parent = to;
        prevSibling = null;
        nextSibling = to.firstChild;
        if (nextSibling != null) {
            nextSibling.prevSibling = this;
        }
        to.firstChild = this;
        to.occupy();
        from.vacate();
    }

    /**
     * The scope after this one in a depth-first walk of {@code root}'s occupied scopes that a
     * cancellation of {@code root} reaches, or null at the end. The walk starts at {@code root}
     * and leaves out every shielded scope below it with all that is inside (a shield hides what
     * happens outside it; {@code root}'s own shield hides only what is above {@code root}).
     * Siblings come newest occupied first: deterministic, but not by id, so callers sort.
     */
    Scope nextReached(Scope root) {
        Scope next = firstUnshielded(firstChild);
        if (next != null) {
            return next;
        }
        for (Scope s = this; s != root; s = s.parent) {
            next = firstUnshielded(s.nextSibling);
            if (next != null) {
                return next;
            }
        }
        return null;
    }

    private static Scope firstUnshielded(Scope s) {
        while (s != null && s.shield) {
            s = s.nextSibling;
        }
        return s;
    }

    @Override
    public String toString() { return "scope " + id; }
}

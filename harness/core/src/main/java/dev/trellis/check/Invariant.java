package dev.trellis.check;

import dev.trellis.trace.Trace;

/** A property every execution's trace must have. */
public interface Invariant {
    /** A short name for reports, such as {@code nursery-outlives-children}. */
    String name();

    /** The first violation in {@code trace}, or null when the invariant holds. */
    Violation check(Trace trace);
}

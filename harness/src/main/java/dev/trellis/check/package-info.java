/** Invariants read off an execution's {@linkplain dev.trellis.trace.Trace trace}. */
package dev.trellis.check;

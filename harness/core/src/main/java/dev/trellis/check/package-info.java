/**
 * Invariants: rules read off an execution's {@linkplain dev.trellis.trace.Trace trace}
 * ({@link dev.trellis.check.Invariant}), or off a recorded history of what the clients of a server
 * sent and received ({@link dev.trellis.check.HistoryInvariant} over
 * {@link dev.trellis.check.ConnectionLog}s), which works on both engines.
 */
package dev.trellis.check;

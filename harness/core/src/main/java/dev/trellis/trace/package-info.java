/**
 * The trace of an execution: every scheduling step, spawn, park, wake, cancel and note, in order,
 * with a hash that is the same for the same schedule in every JVM. Invariants, failure reports
 * and replays read it; the kernel writes it.
 */
package dev.trellis.trace;

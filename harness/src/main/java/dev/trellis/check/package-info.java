/** The trace of an execution and the invariants read off it. */
package dev.trellis.check;

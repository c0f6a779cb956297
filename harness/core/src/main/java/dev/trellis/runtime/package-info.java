/**
 * The API application code is written against: {@link dev.trellis.runtime.Nursery},
 * {@link dev.trellis.runtime.CancelScope}, {@link dev.trellis.runtime.Trellis} (checkpoints, sleep,
 * time), {@link dev.trellis.runtime.Event}, {@link dev.trellis.runtime.Channel},
 * {@link dev.trellis.runtime.ByteStream} and {@link dev.trellis.runtime.Network}. Trio's semantics:
 * one task runs at a time and switches only at checkpoints. The same code runs on the real runtime
 * and under the simulator; it never names which.
 */
package dev.trellis.runtime;

/**
 * The simulator: {@link dev.trellis.sim.Simulation} runs a body under a seeded
 * {@link dev.trellis.sim.Strategy} with virtual time, checks invariants on the trace, and reports
 * what went wrong as a {@link dev.trellis.sim.SimulationFailure} ending with the replay recipe.
 * The simulated network lives here too; its streams are {@link dev.trellis.streams.MemoryStreams}.
 */
package dev.trellis.sim;

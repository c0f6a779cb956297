/**
 * The simulator: {@link dev.trellis.sim.Simulation} runs a body under a seeded
 * {@link dev.trellis.sim.Strategy} with virtual time, checks invariants on the trace, and reports
 * what went wrong as a {@link dev.trellis.sim.SimulationFailure} ending with the replay recipe.
 * In-memory streams and the simulated network live here too.
 */
package dev.trellis.sim;

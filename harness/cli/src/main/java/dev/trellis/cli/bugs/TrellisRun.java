package dev.trellis.cli.bugs;

import dev.trellis.check.Invariant;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;

import java.util.ArrayList;
import java.util.List;

/**
 * One subject × one strategy on Trellis: {@code blocks} seed blocks (block b runs seeds from
 * firstSeed + b × stride on, as {@code trellis bench --strategies} does), each stopping at its first failure,
 * at {@code cap} executions or at the wall-time budget, whichever comes first. Every failure is
 * then run again alone from its schedule, and must give the same trace hash.
 */
final class TrellisRun {
    private TrellisRun() {}

    /**
     * One block.
     *
     * @param found      ended with the subject's bug
     * @param executions executions run, the failing one included
     * @param millis     wall time from the block's start to the end of its failing execution (or of its last)
     * @param other      what another failure said (a fault of the harness or the subject), or null
     * @param replayed   for a failure: whether running its schedule alone gave the same trace hash; else null
     */
    record Block(boolean found, long executions, double millis, String other, Boolean replayed) {}

    /** Every block of one row, and the row's executions over its wall time (replays not counted). */
    record Outcome(List<Block> blocks, double executionsPerSecond) {}

    static Outcome run(Subject s, String spec, int blocks, long stride, long cap, double seconds, long firstSeed,
                       Progress progress) {
        SimConfig base = SimConfig.defaults().withStrategy(spec);
        List<Invariant> rules = new ArrayList<>(base.invariants());
        rules.addAll(s.invariants());
        SimConfig config = base.withInvariants(rules);
        List<Block> out = new ArrayList<>();
        long executions = 0;
        long runNanos = 0;
        for (int b = 0; b < blocks; b++) {
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            long[] failedAt = {0};
            Simulation.Exploration e = Simulation.explore(s.body(), firstSeed + b * stride, cap, config, r -> {
                if (!r.ok()) {
                    failedAt[0] = System.nanoTime();
                    return false;
                }
                return System.nanoTime() < deadline;
            });
            long end = failedAt[0] != 0 ? failedAt[0] : System.nanoTime();
            runNanos += end - start;
            executions += e.executions();
            double ms = (end - start) / 1e6;
            if (e.ok()) {
                out.add(new Block(false, e.executions(), ms, null, null));
            } else {
                Result r = e.last();
                boolean same = replays(s, r);
                out.add(s.isTheBug().test(r)
                        ? new Block(true, e.executions(), ms, null, same)
                        : new Block(false, e.executions(), ms, "seed " + r.seed() + ": " + (r.failure() != null
                                ? r.failure().headline() : "the body threw " + r.bodyFailure()), same));
            }
            progress.show(s.name() + " on Trellis " + spec, (b + 1) + "/" + blocks + " blocks, "
                    + out.stream().filter(Block::found).count() + " found");
        }
        return new Outcome(out, runNanos == 0 ? 0 : executions / (runNanos / 1e9));
    }

    /** Runs the failing schedule alone: the same trace hash, and a failure again. */
    private static boolean replays(Subject s, Result failed) {
        Result again = Simulation.result(s.body(), failed.schedule());
        return !again.ok() && again.traceHash() == failed.traceHash();
    }
}

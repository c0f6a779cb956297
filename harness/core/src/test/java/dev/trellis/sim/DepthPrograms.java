package dev.trellis.sim;

import dev.trellis.runtime.Body;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;

/**
 * Small programs with a bug of known depth (the fewest ordering constraints that make it
 * happen, as Burckhardt et al. define it), written against the public API only. Each body calls
 * {@code hit} instead of throwing when the bug happens, so an exploration can count hits over
 * many seeds without stopping at the first; {@link #failing} turns a hit into a failure.
 *
 * <p>Every task's checkpoint is a schedule point, so how many choices an execution offers and
 * how many tasks it ranks follow from the shape below, and {@link PctBoundTest} checks the
 * numbers PCT measures against them.
 */
final class DepthPrograms {
    private DepthPrograms() {}

    /** A program with a bug of a known depth, run so that a hit calls {@code hit}. */
    interface Program {
        void run(Runnable hit) throws Exception;
    }

    /** {@code program} as a body that throws when the bug happens. */
    static Body failing(Program program) {
        return () -> program.run(() -> {
            throw new IllegalStateException("the bug happened");
        });
    }

    private static void checkpoints(int n) {
        for (int i = 0; i < n; i++) {
            Trellis.checkpoint();
        }
    }

    /**
     * Depth 1, three tasks, one born mid-execution: {@code reader} checkpoints {@code steps}
     * times and then reads a value it expects unset; {@code spawner} checkpoints once and starts
     * {@code writer}, which sets it. One constraint (the write before the read) makes the bug:
     * the reader must rank below both the others, 1 in 3 with random priorities, as long as the
     * late-born writer's priority is as random as theirs.
     */
    static void writeBeforeRead(int steps, Runnable hit) throws Exception {
        boolean[] written = {false};
        Nursery.open(n -> {
            n.start("reader", () -> {
                checkpoints(steps);
                if (written[0]) {
                    hit.run();
                }
            });
            n.start("spawner", () -> {
                Trellis.checkpoint();
                Nursery.open(inner -> inner.start("writer", () -> written[0] = true));
            });
        });
    }

    /**
     * Depth 2: {@code a} checkpoints {@code steps} times and holds a window open across the
     * checkpoint in the middle; {@code b} looks once and fails if the window is open; {@code noise}
     * tasks checkpoint {@code noiseSteps} times each. Two constraints: {@code a} opens the window
     * before {@code b} looks, {@code b} looks before {@code a} closes it.
     */
    static void lookInsideWindow(int steps, int noise, int noiseSteps, Runnable hit) throws Exception {
        boolean[] open = {false};
        Nursery.open(n -> {
            n.start("a", () -> {
                checkpoints(steps / 2);
                open[0] = true;
                Trellis.checkpoint();
                open[0] = false;
                checkpoints(steps - steps / 2 - 1);
            });
            n.start("b", () -> {
                if (open[0]) {
                    hit.run();
                }
            });
            for (int i = 0; i < noise; i++) {
                n.start("noise" + i, () -> checkpoints(noiseSteps));
            }
        });
    }

    /**
     * Depth 3: {@code a} and {@code b} each checkpoint {@code steps} times and hold a window open
     * across the checkpoint in the middle; the bug is the two windows crossing, {@code a} opening,
     * then {@code b}, then {@code a} closing while {@code b}'s is open. Three constraints (a opens
     * before b opens, b opens before a closes, a closes before b closes), so PCT needs two
     * change points, and the two demoted tasks in the right order. Plus {@code noise} tasks.
     */
    static void crossingWindows(int steps, int noise, int noiseSteps, Runnable hit) throws Exception {
        boolean[] aOpen = {false};
        boolean[] bOpen = {false};
        boolean[] bOpenedInsideA = {false};
        Nursery.open(n -> {
            n.start("a", () -> {
                checkpoints(steps / 2);
                aOpen[0] = true;
                Trellis.checkpoint();
                aOpen[0] = false;
                if (bOpen[0] && bOpenedInsideA[0]) {
                    hit.run();
                }
                checkpoints(steps - steps / 2 - 1);
            });
            n.start("b", () -> {
                checkpoints(steps / 2);
                bOpen[0] = true;
                bOpenedInsideA[0] = aOpen[0];
                Trellis.checkpoint();
                bOpen[0] = false;
                checkpoints(steps - steps / 2 - 1);
            });
            for (int i = 0; i < noise; i++) {
                n.start("noise" + i, () -> checkpoints(noiseSteps));
            }
        });
    }
}

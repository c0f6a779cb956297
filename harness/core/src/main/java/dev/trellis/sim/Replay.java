package dev.trellis.sim;

import dev.trellis.trace.Trace;
import dev.trellis.trace.TraceKind;

import java.util.Arrays;

/**
 * Replays a recorded schedule: the task picked at every real choice and every value drawn, in
 * order. If the program asks for something the recording does not hold (a task that is not
 * ready, more choices than were made), the run is not the recorded one and fails as
 * nondeterministic, naming the step.
 */
public final class Replay implements Strategy {
    private final long[] picks;
    private final long[] draws;
    private int nextPick;
    private int nextDraw;

    public Replay(long[] picks, long[] draws) {
        this.picks = picks.clone();
        this.draws = draws.clone();
    }

    /** The schedule a trace recorded: its multi-way steps and its draws. */
    public static Replay of(Trace trace) {
        long[] picks = new long[trace.size()];
        long[] draws = new long[trace.size()];
        int np = 0;
        int nd = 0;
        for (int i = 0; i < trace.size(); i++) {
            if (trace.kind(i) == TraceKind.STEP && trace.a(i) > 1) {
                picks[np++] = trace.task(i);
            } else if (trace.kind(i) == TraceKind.DRAW) {
                draws[nd++] = trace.b(i);
            }
        }
        return new Replay(Arrays.copyOf(picks, np), Arrays.copyOf(draws, nd));
    }

    @Override
    public void begin(long seed) {
        nextPick = 0;
        nextDraw = 0;
    }

    @Override
    public int pick(ReadySet ready, long step) {
        if (nextPick >= picks.length) {
            throw new ReplayDiverged("at step " + step + " the program offered a choice among " + ready.size()
                    + " ready tasks, but the recording has only " + picks.length + " choices");
        }
        long want = picks[nextPick++];
        int index = ready.indexOf((int) want);
        if (index >= 0) {
            return index;
        }
        throw new ReplayDiverged("at step " + step + " the recording picks task " + want + ", which is not ready; ready: "
                + Arrays.toString(ready.toArray()));
    }

    @Override
    public long draw(long bound) {
        if (nextDraw >= draws.length) {
            throw new ReplayDiverged("the program drew value " + (nextDraw + 1) + " but the recording has only " + draws.length);
        }
        long v = draws[nextDraw++];
        if (v < 0 || v >= bound) {
            throw new ReplayDiverged("recorded draw " + v + " is outside [0, " + bound + ")");
        }
        return v;
    }

    @Override
    public String spec() {
        return "replay:" + Strategies.join(picks) + "/" + Strategies.join(draws);
    }

    /** The replayed program departed from the recording. */
    static final class ReplayDiverged extends RuntimeException {
        ReplayDiverged(String message) {
            super(message);
        }
    }
}

package dev.trellis.sim;

import java.util.SplittableRandom;

/** Picks uniformly among the ready tasks at every step. Fast, and good at shallow races. */
public final class RandomWalk implements Strategy {
    private SplittableRandom random = new SplittableRandom(0);

    @Override
    public void begin(long seed) {
        random = new SplittableRandom(seed);
    }

    @Override
    public int pick(ReadySet ready, long step) {
        return random.nextInt(ready.size());
    }

    @Override
    public long draw(long bound) {
        return random.nextLong(bound);
    }

    @Override
    public String spec() {
        return "random";
    }
}

package dev.trellis.runtime;

import java.time.Duration;

/** Thrown by {@link CancelScope#failAfter} when its deadline passes first (trio's TooSlowError). */
public final class TooSlow extends RuntimeException {
    public TooSlow(Duration limit) {
        super("deadline of " + limit + " passed before the block finished");
    }
}

package dev.trellis.check;

import java.time.Duration;

/**
 * What connecting to one address does, as a test scripts it: succeeds after a time, is refused
 * after a time, or hangs until cancelled. {@link HappyEyeballsInvariants#resultTime} reads a
 * history against a list of these.
 *
 * @param kind  what happens
 * @param after how long after the attempt starts it happens; zero for {@link Kind#HANGS}
 */
public record AddressBehaviour(Kind kind, Duration after) {
    public enum Kind { SUCCEEDS, REFUSED, HANGS }

    public AddressBehaviour {
        if (after.isNegative()) {
            throw new IllegalArgumentException("an address behaviour's time must not be negative, was [" + after + "]");
        }
    }

    public static AddressBehaviour succeedsAfter(Duration after) {
        return new AddressBehaviour(Kind.SUCCEEDS, after);
    }

    public static AddressBehaviour refusedAfter(Duration after) {
        return new AddressBehaviour(Kind.REFUSED, after);
    }

    public static AddressBehaviour hangs() {
        return new AddressBehaviour(Kind.HANGS, Duration.ZERO);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SUCCEEDS -> "succeeds after " + after.toMillis() + "ms";
            case REFUSED -> "refused after " + after.toMillis() + "ms";
            case HANGS -> "hangs";
        };
    }
}

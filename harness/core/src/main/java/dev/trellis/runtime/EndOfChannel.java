package dev.trellis.runtime;

/** Raised by {@link Channel#receive} once the channel is closed and drained. */
public final class EndOfChannel extends RuntimeException {
    public EndOfChannel(String message) {
        super(message, null, false, false);
    }
}

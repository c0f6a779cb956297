package dev.trellis.streams;

import java.time.Duration;

/**
 * How an in-memory stream misbehaves, per direction: a value, copied by its {@code withX}
 * methods. Every random choice (chunk sizes) comes from the execution's decision stream, so it
 * replays and shrinks with the schedule.
 *
 * @param capacity       bytes a direction buffers before {@code sendAll} waits; 0 is lockstep: a
 *                       send completes only when the receiver has taken every byte
 * @param maxChunk       the most bytes one receive returns; 0 for no limit
 * @param randomChunks   whether each receive returns a random size in [1, maxChunk] (or in
 *                       [1, what is there] when maxChunk is 0) rather than as much as it can
 * @param latency        virtual time between a send and its bytes becoming receivable
 * @param resetAfter     the connection resets once this many bytes have been sent in one
 *                       direction; -1 for never; below -1, at a byte drawn from [0, -resetAfter)
 *                       when the pair is made (so the seed decides where). Bytes before it
 *                       arrive; then both sides see {@link dev.trellis.runtime.BrokenStreamException}
 */
public record StreamOptions(int capacity, int maxChunk, boolean randomChunks, Duration latency, long resetAfter) {
    public StreamOptions {
        if (capacity < 0) {
            throw new IllegalArgumentException("stream capacity must be zero or positive, was [" + capacity + "]");
        }
        if (maxChunk < 0) {
            throw new IllegalArgumentException("maxChunk must be zero (no limit) or positive, was [" + maxChunk + "]");
        }
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, was [" + latency + "]");
        }
    }

    /** 64 KiB buffered, whole receives, no latency, no reset: a well-behaved pipe. */
    public static StreamOptions plain() {
        return new StreamOptions(65_536, 0, false, Duration.ZERO, -1);
    }

    /** TCP at its worst, the simulator's default: 4 KiB buffered and receives of random size. */
    public static StreamOptions adversarial() {
        return new StreamOptions(4_096, 0, true, Duration.ZERO, -1);
    }

    /** Zero buffer: a send completes only when received (trio's lockstep stream). */
    public static StreamOptions lockstep() {
        return new StreamOptions(0, 0, true, Duration.ZERO, -1);
    }

    public StreamOptions withCapacity(int bytes) {
        return new StreamOptions(bytes, maxChunk, randomChunks, latency, resetAfter);
    }

    /** Every receive returns at most {@code bytes}. */
    public StreamOptions withFixedChunks(int bytes) {
        return new StreamOptions(capacity, bytes, false, latency, resetAfter);
    }

    /** Every receive returns a random size in [1, maxBytes]. */
    public StreamOptions withRandomChunks(int maxBytes) {
        return new StreamOptions(capacity, maxBytes, true, latency, resetAfter);
    }

    public StreamOptions withLatency(Duration d) {
        return new StreamOptions(capacity, maxChunk, randomChunks, d, resetAfter);
    }

    public StreamOptions withResetAfter(long bytes) {
        return new StreamOptions(capacity, maxChunk, randomChunks, latency, bytes);
    }

    /** The connection resets at a byte the seed draws from [0, maxBytes). */
    public StreamOptions withRandomReset(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("random reset needs a positive bound, was [" + maxBytes + "]");
        }
        return new StreamOptions(capacity, maxChunk, randomChunks, latency, -1 - maxBytes);
    }
}

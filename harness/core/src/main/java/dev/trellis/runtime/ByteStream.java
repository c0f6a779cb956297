package dev.trellis.runtime;

/**
 * A reliable, ordered, two-way byte stream: a TCP connection, or its in-memory twin under the
 * simulator (trio's Stream). Every call is a checkpoint.
 *
 * <p>Errors are drawn as trio draws them: {@link BrokenStreamException} when the peer is gone
 * (a reset, or sending after the peer closed); {@link ClosedResourceException} when this side
 * already closed the stream; {@link BusyResourceException} when two tasks receive (or send) on
 * one stream at once, which is a bug, not an interleaving.
 *
 * {@snippet :
 * byte[] buf = new byte[4096];
 * int n;
 * while ((n = stream.receiveSome(buf, 0, buf.length)) > 0) {   // echo until end-of-stream
 *     stream.sendAll(buf, 0, n);
 * }
 * }
 */
public interface ByteStream extends AutoCloseable {
    /**
     * Waits until some bytes arrive and copies at least one, at most {@code length}, into
     * {@code buffer}; returns how many, or -1 once the peer has sent end-of-stream and every byte
     * before it was received. Cancellable: a cancelled receive took no bytes and the stream stays
     * usable, so a receive under a timeout can be retried.
     */
    int receiveSome(byte[] buffer, int offset, int length);

    /** Receives up to {@code maxBytes}; an empty array means end-of-stream. */
    default byte[] receiveSome(int maxBytes) {
        byte[] buf = new byte[maxBytes];
        int n = receiveSome(buf, 0, maxBytes);
        return n < 0 ? new byte[0] : java.util.Arrays.copyOf(buf, n);
    }

    /**
     * Sends every byte, waiting while the peer or the network cannot take more. Cancellable, with
     * trio's caveat: a cancelled send may have sent part of the data. If it sent none, the stream
     * is as it was; if it sent some, the peer holds an unknown prefix and every later send throws
     * {@link BrokenStreamException}.
     */
    void sendAll(byte[] data, int offset, int length);

    default void sendAll(byte[] data) {
        sendAll(data, 0, data.length);
    }

    /** Says no more bytes will be sent (a half-close); receiving still works. Idempotent. */
    void sendEof();

    /** Closes both directions; the peer sees end-of-stream. Idempotent, never throws. */
    @Override
    void close();
}

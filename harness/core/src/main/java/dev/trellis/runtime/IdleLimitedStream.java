package dev.trellis.runtime;

import java.time.Duration;

/**
 * A connection's stream under {@link Network.Limits#idleTimeout()}: each receive and send must
 * finish within the timeout (the whole operation, not only its waits), or the connection counts
 * as gone. A peer that stops reading holds
 * a send (an echo handler's {@code sendAll}) and one that stops writing holds a receive; either
 * would hold its task, its socket and its buffers for as long as the server runs.
 */
final class IdleLimitedStream implements ByteStream {
    private final ByteStream inner;
    private final Duration timeout;
    private boolean idled;

    IdleLimitedStream(ByteStream inner, Duration timeout) {
        this.inner = inner;
        this.timeout = timeout;
    }

    /** Whether an operation ran past the timeout (and so the stream was closed). */
    boolean idled() {
        return idled;
    }

    @Override
    public int receiveSome(byte[] buffer, int offset, int length) {
        int[] got = {0};
        limited("receive", () -> got[0] = inner.receiveSome(buffer, offset, length));
        return got[0];
    }

    @Override
    public void sendAll(byte[] data, int offset, int length) {
        limited("send", () -> inner.sendAll(data, offset, length));
    }

    @Override
    public void sendEof() {
        limited("sendEof", inner::sendEof);
    }

    @Override
    public void close() {
        inner.close();
    }

    private void limited(String what, Runnable op) {
        if (idled) {
            throw new BrokenStreamException("the connection was closed: idle for more than " + timeout);
        }
        CancelScope scope;
        try {
            scope = CancelScope.moveOnAfter(timeout, op::run);
        } catch (ClosedResourceException e) {
            if (idled) {
                // Another task's operation on this stream timed out and closed it under this one.
                throw new BrokenStreamException("the connection was closed: idle for more than " + timeout, e);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("a stream operation threw a checked exception", e);   // none declares one
        }
        if (scope.cancelledCaught()) {
            // A send cut short leaves the peer a partial message: the stream is closed, never reused.
            idled = true;
            inner.close();
            throw new BrokenStreamException("the connection was closed: " + what + " idle for more than " + timeout);
        }
    }

    @Override
    public String toString() {
        return inner + " (idle timeout " + timeout + ")";
    }
}

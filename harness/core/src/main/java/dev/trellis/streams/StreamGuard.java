package dev.trellis.streams;

import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.BusyResourceException;
import dev.trellis.runtime.ClosedResourceException;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.trace.TraceKind;

/**
 * The rules every ByteStream end enforces the same way, whatever carries its bytes: no use after
 * close, no send after end-of-stream, one receiver and one sender at a time, and no send after a
 * send that was cancelled part way. It also records what happens to the end as typed trace
 * events (opened, bytes sent and received, end-of-stream, closed), for invariants and reports.
 */
public final class StreamGuard {
    private final Kernel kernel;
    private final int id;
    private boolean closed;
    private boolean eofSent;
    private boolean receiving;
    private boolean sending;
    private boolean sendsBroken;

    /**
     * The guard of one stream end, made by a task of the execution the end belongs to; it records
     * the end's typed trace events in that execution's trace.
     */
    public static StreamGuard forCurrentExecution() {
        return new StreamGuard(Kernel.current("opening a stream").kernel());
    }

    private StreamGuard(Kernel kernel) {
        this.kernel = kernel;
        this.id = kernel.newStreamId();
    }

    /** The end's id in the trace's stream events. */
    public int id() {
        return id;
    }

    /** Records that the end opened: {@code what} it is, and its peer end's id (-1 when not known). */
    public void opened(String what, int peer) {
        kernel.record(TraceKind.STREAM_OPEN, id, peer, what);
    }

    /** Records a receive that returned {@code n} bytes, or -1 for end-of-stream. */
    public void received(int n) {
        kernel.record(TraceKind.STREAM_RECEIVE, id, n, null);
    }

    /** Records a sendAll that sent all its {@code n} bytes. */
    public void sent(int n) {
        kernel.record(TraceKind.STREAM_SEND, id, n, null);
    }

    public void beginReceive() {
        if (closed) {
            throw new ClosedResourceException("receive on a stream this side closed");
        }
        if (receiving) {
            throw new BusyResourceException("another task is already receiving on this stream");
        }
        receiving = true;
    }

    public void endReceive() {
        receiving = false;
    }

    public void beginSend() {
        if (closed) {
            throw new ClosedResourceException("send on a stream this side closed");
        }
        if (eofSent) {
            throw new ClosedResourceException("send after sendEof");
        }
        if (sendsBroken) {
            throw new BrokenStreamException("an earlier sendAll on this stream was cancelled after part of its data "
                    + "went out; the peer holds an unknown prefix of it, so nothing more can be sent (close the stream)");
        }
        if (sending) {
            throw new BusyResourceException("another task is already sending on this stream");
        }
        sending = true;
    }

    public void endSend() {
        sending = false;
    }

    /**
     * A sendAll was cancelled after sending part of its data. As trio says of send_all, the
     * stream is then in an unknown state; every later send throws {@link BrokenStreamException}.
     * A send cancelled before any byte went out does not call this: nothing changed.
     */
    public void markSendsBroken() {
        sendsBroken = true;
    }

    /** Marks end-of-stream sent; true the first time, so the caller sends it once. */
    public boolean markEofSent() {
        if (closed) {
            throw new ClosedResourceException("sendEof on a stream this side closed");
        }
        boolean first = !eofSent;
        eofSent = true;
        if (first) {
            kernel.record(TraceKind.STREAM_EOF, id, 0, null);
        }
        return first;
    }

    /** Marks the end closed; true the first time, so closing is idempotent. */
    public boolean markClosed() {
        boolean first = !closed;
        closed = true;
        if (first) {
            kernel.record(TraceKind.STREAM_CLOSE, id, 0, null);
        }
        return first;
    }

    public boolean isClosed() {
        return closed;
    }
}

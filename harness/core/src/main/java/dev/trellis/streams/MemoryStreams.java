package dev.trellis.streams;

import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Cancelled;
import dev.trellis.runtime.ClosedResourceException;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.ParkingLot;

import java.util.ArrayDeque;

/**
 * In-memory stream pairs that behave like TCP at its worst (trio's memory_stream_pair): bounded
 * buffers with backpressure, receives chopped into chunks, latency, half-close, resets, lockstep.
 * Cancellation is TCP's: a cancelled receive, or a send cancelled before any byte went into the
 * pipe, leaves the stream as it was; a send cancelled after part of its bytes went in breaks the
 * stream's later sends ({@link dev.trellis.runtime.BrokenStreamException}). They run on any
 * Trellis runtime; under the simulator every chunk size is a recorded draw.
 *
 * {@snippet :
 * ByteStream[] pair = MemoryStreams.pair(StreamOptions.adversarial());
 * pair[0].sendAll("hello".getBytes());
 * pair[1].receiveSome(5);   // "h", "he", ... whatever size the seed draws
 * }
 */
public final class MemoryStreams {
    private MemoryStreams() {}

    /** Two connected ends; what one sends the other receives. Call from a task. */
    public static ByteStream[] pair(StreamOptions options) {
        return pair(options, options, null);
    }

    /**
     * Two ends with options per direction (a→b, b→a); {@code partition}, if not null, may delay
     * delivery (a simulated network's partition windows).
     */
    public static ByteStream[] pair(StreamOptions aToB, StreamOptions bToA, Partition partition) {
        Kernel kernel = Kernel.current("MemoryStreams.pair").kernel();
        aToB = drawReset(kernel, aToB);
        bToA = drawReset(kernel, bToA);
        Connection conn = new Connection();
        Pipe ab = new Pipe(kernel, aToB, conn, partition);
        Pipe ba = new Pipe(kernel, bToA, conn, partition);
        conn.pipes = new Pipe[] {ab, ba};
        End a = new End(kernel, ba, ab, "a");
        End b = new End(kernel, ab, ba, "b");
        a.guard.opened("memory stream end a", b.guard.id());
        b.guard.opened("memory stream end b", a.guard.id());
        return new ByteStream[] {a, b};
    }

    /** Turns a random reset into a fixed one, drawn from the execution's decision stream. */
    private static StreamOptions drawReset(Kernel kernel, StreamOptions o) {
        return o.resetAfter() < -1 ? o.withResetAfter(kernel.draw(-1 - o.resetAfter())) : o;
    }

    /** A window of virtual time during which nothing crosses a link. */
    public interface Partition {
        /** When bytes sent now may arrive, at the earliest. */
        long deliverableAt(long now);
    }

    private static final class Connection {
        Pipe[] pipes;
        boolean reset;

        void reset() {
            reset = true;
            for (Pipe p : pipes) {
                p.wakeAll();
            }
        }
    }

    private static final class Chunk {
        final byte[] data;
        int pos;
        final long availableAt;

        Chunk(byte[] data, long availableAt) {
            this.data = data;
            this.availableAt = availableAt;
        }
    }

    /** One direction. */
    private static final class Pipe {
        final Kernel kernel;
        final StreamOptions options;
        final Connection conn;
        final Partition partition;
        final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
        int buffered;
        long sent;
        long lastAvailable;
        boolean eof;
        boolean receiverClosed;
        /** The receiving end's task waiting for bytes (one at most: the end's guard allows one receiver). */
        final ParkingLot receivers = new ParkingLot();
        /** The sending end's task waiting for room (one at most, likewise). */
        final ParkingLot senders = new ParkingLot();

        Pipe(Kernel kernel, StreamOptions options, Connection conn, Partition partition) {
            this.kernel = kernel;
            this.options = options;
            this.conn = conn;
            this.partition = partition;
        }

        void wakeAll() {
            receivers.unparkAll();
            senders.unparkAll();
        }

        void append(byte[] data, int off, int n) {
            byte[] copy = java.util.Arrays.copyOfRange(data, off, off + n);
            long at = kernel.nanoTime() + options.latency().toNanos();
            if (partition != null) {
                at = Math.max(at, partition.deliverableAt(kernel.nanoTime()));
            }
            at = Math.max(at, lastAvailable);
            lastAvailable = at;
            chunks.addLast(new Chunk(copy, at));
            buffered += n;
            sent += n;
            receivers.unparkAll();
        }

        /** Copies what is receivable now, up to {@code len} and the chunk limit; 0 if nothing is. */
        int take(byte[] buf, int off, int len) {
            int limit = len;
            int available = availableNow();
            if (available == 0) {
                return 0;
            }
            limit = Math.min(limit, available);
            if (options.maxChunk() > 0) {
                limit = Math.min(limit, options.maxChunk());
            }
            if (options.randomChunks() && limit > 1) {
                limit = 1 + (int) kernel.draw(limit);
            }
            int copied = 0;
            while (copied < limit) {
                Chunk c = chunks.peekFirst();
                int n = Math.min(limit - copied, c.data.length - c.pos);
                System.arraycopy(c.data, c.pos, buf, off + copied, n);
                c.pos += n;
                copied += n;
                if (c.pos == c.data.length) {
                    chunks.pollFirst();
                }
            }
            buffered -= copied;
            senders.unparkAll();
            return copied;
        }

        private int availableNow() {
            long now = kernel.nanoTime();
            int n = 0;
            for (Chunk c : chunks) {
                if (c.availableAt > now) {
                    break;
                }
                n += c.data.length - c.pos;
            }
            return n;
        }
    }

    /** One end: receives from {@code in}, sends into {@code out}. */
    private static final class End implements ByteStream {
        private final Kernel kernel;
        private final Pipe in;
        private final Pipe out;
        private final String name;
        private final StreamGuard guard;

        End(Kernel kernel, Pipe in, Pipe out, String name) {
            this.kernel = kernel;
            this.guard = StreamGuard.forCurrentExecution();
            this.in = in;
            this.out = out;
            this.name = name;
        }

        @Override
        public int receiveSome(byte[] buffer, int offset, int length) {
            java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
            kernel.checkpointIfCancelled();
            if (length == 0) {
                throw new IllegalArgumentException("receiveSome needs room for at least one byte");
            }
            guard.beginReceive();
            int n;
            try {
                while (true) {
                    n = in.take(buffer, offset, length);
                    if (n > 0) {
                        break;
                    }
                    if (guard.isClosed()) {
                        throw new ClosedResourceException("stream closed while a receive was waiting");
                    }
                    Chunk head = in.chunks.peekFirst();
                    if (head != null) {
                        kernel.sleepUntil(head.availableAt);   // bytes in flight: latency
                        continue;
                    }
                    if (in.conn.reset) {
                        throw new BrokenStreamException("connection reset by peer");
                    }
                    if (in.eof) {
                        n = -1;
                        break;
                    }
                    in.receivers.park("receive on a stream");
                }
            } finally {
                guard.endReceive();
            }
            guard.received(n);
            kernel.yieldNow();
            return n;
        }

        @Override
        public void sendAll(byte[] data, int offset, int length) {
            java.util.Objects.checkFromIndexSize(offset, length, data.length);
            kernel.checkpointIfCancelled();
            guard.beginSend();
            try {
                int i = offset;
                int end = offset + length;
                long reset = out.options.resetAfter();
                while (i < end) {
                    checkPeer();
                    if (reset >= 0 && out.sent >= reset) {
                        out.conn.reset();
                        throw new BrokenStreamException("connection reset after " + reset + " bytes");
                    }
                    int cap = out.options.capacity();
                    int n = end - i;
                    if (cap > 0) {
                        n = Math.min(n, cap - out.buffered);
                    }
                    if (reset >= 0) {
                        n = (int) Math.min(n, reset - out.sent);
                    }
                    if (n <= 0) {
                        waitForRoom(i > offset);
                        continue;
                    }
                    out.append(data, i, n);
                    i += n;
                    if (cap == 0) {
                        // Lockstep: the send is done only when the receiver has taken it all.
                        while (out.buffered > 0) {
                            checkPeer();
                            waitForRoom(true);
                        }
                    }
                }
                if (reset >= 0 && out.sent >= reset) {
                    out.conn.reset();
                }
            } finally {
                guard.endSend();
            }
            guard.sent(length);
            kernel.yieldNow();
        }

        private void checkPeer() {
            if (guard.isClosed()) {
                throw new ClosedResourceException("stream closed while a send was waiting");
            }
            if (out.conn.reset) {
                throw new BrokenStreamException("connection reset by peer");
            }
            if (out.receiverClosed) {
                throw new BrokenStreamException("the peer closed the stream");
            }
        }

        /**
         * Waits until the peer takes bytes. If cancelled after {@code sentSome} bytes went into
         * the pipe (the peer will receive them), the stream's sends break, as TCP's do.
         */
        private void waitForRoom(boolean sentSome) {
            try {
                out.senders.park("send on a full stream");
            } catch (Cancelled c) {
                if (sentSome) {
                    guard.markSendsBroken();
                }
                throw c;
            }
        }

        @Override
        public void sendEof() {
            kernel.checkpointIfCancelled();
            if (guard.markEofSent()) {
                out.eof = true;
                out.receivers.unparkAll();
            }
            kernel.yieldNow();
        }

        @Override
        public void close() {
            if (!guard.markClosed()) {
                return;
            }
            out.eof = true;
            in.receiverClosed = true;
            in.chunks.clear();
            in.buffered = 0;
            out.wakeAll();
            in.wakeAll();
        }

        @Override
        public String toString() {
            return "MemoryStream[" + name + (guard.isClosed() ? ", closed" : "") + "]";
        }
    }
}

package dev.trellis.check;

import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Trellis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What one client did and saw on one connection, with the times it happened: the history that
 * connection invariants ({@link EchoInvariants}, {@link ChatInvariants}) judge. Wrap the client's
 * stream with {@link #record} and use the wrapper; every call is logged with
 * {@link Trellis#now()}, so the same log works under the simulator (virtual time) and on real TCP.
 *
 * {@snippet :
 * ConnectionLog log = new ConnectionLog("alice");
 * try (ByteStream stream = log.record(net.connect(address))) {
 *     stream.sendAll("hi\n".getBytes(UTF_8));
 * }
 * }
 *
 * <p>A log belongs to one client, whose sender and receiver may be two tasks; the tasks of an
 * execution never run at once, and the real runtime runs them on one carrier, so it needs no lock.
 */
public final class ConnectionLog {
    /** Bytes moved at a time (nanoseconds since the run began); {@code attempted} for a send that threw part way. */
    public record Chunk(long at, byte[] bytes, boolean attempted) {}

    /** A whole line (without its {@code \n}) and the time its last byte moved. */
    public record Line(long at, String text, byte[] bytes, boolean attempted) {}

    private final String label;
    private final List<Chunk> sent = new ArrayList<>();
    private final List<Chunk> received = new ArrayList<>();
    private long connectedAt = -1;
    private long eofSentAt = -1;
    private long eofReceivedAt = -1;
    private long brokenAt = -1;
    private long closedAt = -1;
    private String broken;

    /** An empty log for the client called {@code label} in reports. */
    public ConnectionLog(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** {@code stream}, recording into this log; the connection counts as made now. */
    public ByteStream record(ByteStream stream) {
        connectedAt = now();
        return new Recording(stream);
    }

    /** Notes that the connection broke (a reset, a refused connect): {@code what}, now. */
    public void broke(Throwable what) {
        if (brokenAt < 0) {
            brokenAt = now();
            broken = what.toString();
        }
    }

    /** When the connection was made, or -1 if it never was. */
    public long connectedAt() {
        return connectedAt;
    }

    /** When this side sent end-of-stream, or -1. */
    public long eofSentAt() {
        return eofSentAt;
    }

    /** When end-of-stream arrived from the peer, or -1. */
    public long eofReceivedAt() {
        return eofReceivedAt;
    }

    /** When the connection broke, or -1. */
    public long brokenAt() {
        return brokenAt;
    }

    /** What broke it, or null. */
    public String broken() {
        return broken;
    }

    /** When this side closed it, or -1. */
    public long closedAt() {
        return closedAt;
    }

    /**
     * When this client's session ended as far as it can tell: the first of end-of-stream sent or
     * received, a break, or the close; -1 if it never ended before the log was read.
     */
    public long endedAt() {
        long end = -1;
        for (long t : new long[] {eofSentAt, eofReceivedAt, brokenAt, closedAt}) {
            if (t >= 0 && (end < 0 || t < end)) {
                end = t;
            }
        }
        return end;
    }

    public List<Chunk> sent() {
        return Collections.unmodifiableList(sent);
    }

    public List<Chunk> received() {
        return Collections.unmodifiableList(received);
    }

    /** Every byte this side sent completely, in order (attempted sends left out). */
    public byte[] sentBytes() {
        return join(sent, false);
    }

    /** Every byte received, in order. */
    public byte[] receivedBytes() {
        return join(received, true);
    }

    /**
     * The whole lines this side sent, each stamped with the time of the send that finished it.
     * A line finished by a send that threw is {@code attempted}: the peer may or may not have it.
     * Bytes after the last newline count as a last line ended by end-of-stream if this side then
     * sent end-of-stream, and as an attempted one if it closed (a close with unread data may reach
     * the peer as a reset); not if the connection broke.
     */
    public List<Line> sentLines() {
        List<Line> out = lines(sent);
        byte[] all = join(sent, true);
        int last = all.length;
        while (last > 0 && all[last - 1] != '\n') {
            last--;
        }
        long endedAt = eofSentAt >= 0 ? eofSentAt : closedAt;
        if (last < all.length && endedAt >= 0 && brokenAt < 0) {
            byte[] tail = Arrays.copyOfRange(all, last, all.length);
            out.add(new Line(endedAt, new String(tail, StandardCharsets.UTF_8), tail, eofSentAt < 0));
        }
        return out;
    }

    /** The whole lines received, each stamped with the time its {@code \n} arrived. */
    public List<Line> receivedLines() {
        return lines(received);
    }

    private static byte[] join(List<Chunk> chunks, boolean withAttempted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Chunk c : chunks) {
            if (withAttempted || !c.attempted()) {
                out.writeBytes(c.bytes());
            }
        }
        return out.toByteArray();
    }

    private static List<Line> lines(List<Chunk> chunks) {
        List<Line> out = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean attempted = false;
        for (Chunk c : chunks) {
            attempted |= c.attempted();
            for (byte b : c.bytes()) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    out.add(new Line(c.at(), new String(bytes, StandardCharsets.UTF_8), bytes, attempted));
                    line.reset();
                    attempted = c.attempted();
                } else {
                    line.write(b);
                }
            }
        }
        return out;
    }

    /** Virtual (or real) time as a number; the clock only exists inside a run. */
    private static long now() {
        return Trellis.now().toNanos();
    }

    @Override
    public String toString() {
        return label + ": sent " + sentBytes().length + " bytes, received " + receivedBytes().length + " bytes";
    }

    /** The client's stream, logging as it goes. */
    private final class Recording implements ByteStream {
        private final ByteStream inner;

        Recording(ByteStream inner) {
            this.inner = inner;
        }

        @Override
        public int receiveSome(byte[] buffer, int offset, int length) {
            int n;
            try {
                n = inner.receiveSome(buffer, offset, length);
            } catch (RuntimeException e) {
                noteBroken(e);
                throw e;
            }
            if (n < 0) {
                eofReceivedAt = eofReceivedAt < 0 ? now() : eofReceivedAt;
            } else {
                received.add(new Chunk(now(), Arrays.copyOfRange(buffer, offset, offset + n), false));
            }
            return n;
        }

        @Override
        public void sendAll(byte[] data, int offset, int length) {
            byte[] copy = Arrays.copyOfRange(data, offset, offset + length);
            try {
                inner.sendAll(data, offset, length);
            } catch (RuntimeException | Error e) {
                // The peer may hold any prefix of it: keep it, marked, so no invariant demands or forbids it.
                sent.add(new Chunk(now(), copy, true));
                if (e instanceof RuntimeException r) {
                    noteBroken(r);
                }
                throw e;
            }
            sent.add(new Chunk(now(), copy, false));
        }

        @Override
        public void sendEof() {
            inner.sendEof();
            eofSentAt = eofSentAt < 0 ? now() : eofSentAt;
        }

        @Override
        public void close() {
            inner.close();
            closedAt = closedAt < 0 ? now() : closedAt;
        }

        private void noteBroken(RuntimeException e) {
            if (e instanceof dev.trellis.runtime.BrokenStreamException) {
                broke(e);
            }
        }
    }
}

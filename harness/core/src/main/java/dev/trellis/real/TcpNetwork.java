package dev.trellis.real;

import dev.trellis.runtime.Address;
import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Cancelled;
import dev.trellis.runtime.ClosedResourceException;
import dev.trellis.runtime.ConnectException;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.streams.StreamGuard;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Real TCP for the real runtime, built as trio builds it: non-blocking NIO channels, and one
 * selector the runtime's loop polls between batches of tasks ({@link IoPoller}). An operation
 * that would block registers interest in its socket and parks the task, so other tasks run.
 *
 * <p>Cancelling a task that waits in accept, receive or send ends the wait, not the socket: the
 * task sees {@code Cancelled} and the listener or stream stays usable, so "time out a read, then
 * retry" works. One exception, as trio warns for {@code send_all}: a sendAll cancelled after part
 * of its data went out leaves the peer holding an unknown prefix, so the stream's later sends
 * throw {@link BrokenStreamException}. A connect cancelled before it completes closes its socket.
 *
 * <p>Host names are resolved on the carrier by the JDK's blocking resolver: a slow lookup stalls
 * every task. Connect and listen use the first address {@link #resolve} gives.
 */
final class TcpNetwork implements Network {
    /** Resolves a host name into its addresses, in order; a seam for tests. */
    @FunctionalInterface
    interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    static final Resolver SYSTEM_RESOLVER = host -> List.of(InetAddress.getAllByName(host));

    /**
     * The most one write hands to the socket. NIO copies a heap buffer's whole remainder into a
     * temporary direct buffer on every write, so an unsliced 64 MiB send into a full socket
     * would copy 64 MiB for every few hundred KiB that go out.
     */
    private static final int SEND_SLICE = 256 * 1024;

    private final Kernel kernel;
    private final IoPoller io;
    private final Resolver resolver;
    /** SO_SNDBUF and SO_RCVBUF of every socket, or 0 for the system's (autotuned) sizes. */
    private final int socketBufferBytes;

    TcpNetwork(Kernel kernel, IoPoller io, Resolver resolver, int socketBufferBytes) {
        this.kernel = kernel;
        this.io = io;
        this.resolver = resolver;
        this.socketBufferBytes = socketBufferBytes;
    }

    @Override
    public Listener listen(Address address) {
        InetAddress ip = firstAddress(address.host());
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (socketBufferBytes > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, socketBufferBytes);   // accepted sockets inherit it
            }
            channel.bind(new InetSocketAddress(ip, address.port()), 1024);
            int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            return new TcpListener(channel, new Address(address.host(), port));
        } catch (IOException e) {
            if (channel != null) {
                closeQuietly(channel);
            }
            throw new IllegalStateException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ByteStream connect(Address address) {
        // As trio's socket connect (and the simulator's): a cancellation check before, a schedule
        // point that ignores cancellation after, so a connect that succeeded is never lost to a cancel.
        kernel.checkpointIfCancelled();
        InetAddress ip = firstAddress(address.host());
        String where = address + (address.host().equals(ip.getHostAddress()) ? "" : " (" + ip.getHostAddress() + ")");
        SocketChannel channel = null;
        boolean connected = false;
        try {
            channel = SocketChannel.open();
            configure(channel);
            if (!channel.connect(new InetSocketAddress(ip, address.port()))) {
                while (!channel.finishConnect()) {
                    io.await(channel, SelectionKey.OP_CONNECT, "connect to " + where);
                }
            }
            TcpStream stream = new TcpStream(channel, where);
            kernel.yieldNow();
            connected = true;
            return stream;
        } catch (IOException e) {
            throw new ConnectException("cannot connect to " + where + ": " + e.getMessage(), e);
        } finally {
            if (!connected && channel != null) {
                closeQuietly(channel);   // refused, unreachable or cancelled: the socket is no use
            }
        }
    }

    @Override
    public List<String> resolve(String host) {
        List<String> out = new ArrayList<>();
        for (InetAddress a : addresses(host)) {
            out.add(a.getHostAddress());
        }
        return out;
    }

    private List<InetAddress> addresses(String host) {
        try {
            List<InetAddress> all = resolver.resolve(host);
            if (all.isEmpty()) {
                throw new UnknownHostException(host);
            }
            return all;
        } catch (UnknownHostException e) {
            throw new ConnectException("unknown host '" + host + "'", e);
        }
    }

    private InetAddress firstAddress(String host) {
        return addresses(host).get(0);
    }

    private final AcceptErrors errors = new AcceptErrors();

    private static void closeQuietly(SocketChannel s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // it is going anyway
        }
    }

    private void configure(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (socketBufferBytes > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, socketBufferBytes);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, socketBufferBytes);
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing after a failure: the failure is what gets reported
        }
    }

    private final class TcpListener implements Listener {
        private final ServerSocketChannel channel;
        private final Address address;
        private boolean closed;

        TcpListener(ServerSocketChannel channel, Address address) {
            this.channel = channel;
            this.address = address;
        }

        @Override
        public ByteStream accept() {
            kernel.checkpoint();
            while (true) {
                if (closed) {
                    throw new ClosedResourceException("listener on " + address + " is closed");
                }
                SocketChannel s;
                try {
                    s = channel.accept();
                } catch (IOException e) {
                    if (closed) {
                        throw new ClosedResourceException("listener on " + address + " is closed");
                    }
                    switch (AcceptErrors.kind(e)) {
                        case EXHAUSTED -> {
                            // Out of descriptors or memory: what frees them is other connections
                            // ending, so wait a little and try again (trio's serve_listeners).
                            errors.report(address, e, "retrying every " + AcceptErrors.BACKOFF.toMillis() + " ms");
                            dev.trellis.runtime.Trellis.sleep(AcceptErrors.BACKOFF);
                            continue;
                        }
                        case CONNECTION -> {
                            errors.report(address, e, "that connection is dropped");   // its peer gave up first
                            continue;
                        }
                        default -> throw new IllegalStateException("accept failed on " + address + ": " + e.getMessage(), e);
                    }
                }
                if (s != null) {
                    try {
                        configure(s);
                        return new TcpStream(s, String.valueOf(s.getRemoteAddress()));
                    } catch (IOException e) {
                        // The connection went before it could be set up: close it, serve the next.
                        closeQuietly(s);
                        errors.report(address, e, "an accepted connection could not be set up and was closed");
                        continue;
                    }
                }
                io.await(channel, SelectionKey.OP_ACCEPT, "accept on " + address);
            }
        }

        @Override
        public Address address() {
            return address;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                io.wakeWaiters(channel);
                closeQuietly(channel);
            }
        }
    }

    private final class TcpStream implements ByteStream {
        private final SocketChannel channel;
        private final String peer;
        private final StreamGuard guard = StreamGuard.forCurrentExecution();

        TcpStream(SocketChannel channel, String peer) {
            this.channel = channel;
            this.peer = peer;
            guard.opened("tcp stream to " + peer, -1);
        }

        @Override
        public int receiveSome(byte[] buffer, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, buffer.length);
            kernel.checkpoint();
            if (length == 0) {
                throw new IllegalArgumentException("receiveSome needs room for at least one byte");
            }
            guard.beginReceive();
            try {
                ByteBuffer into = ByteBuffer.wrap(buffer, offset, length);
                while (true) {
                    if (guard.isClosed()) {
                        throw new ClosedResourceException("stream closed while a receive was waiting");
                    }
                    int n = channel.read(into);
                    if (n != 0) {
                        guard.received(n);
                        return n;   // bytes, or -1 at end-of-stream
                    }
                    io.await(channel, SelectionKey.OP_READ, "receive from " + peer);
                }
            } catch (IOException e) {
                throw failure(e);
            } finally {
                guard.endReceive();
            }
        }

        @Override
        public void sendAll(byte[] data, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, data.length);
            kernel.checkpoint();
            guard.beginSend();
            int sent = 0;
            try {
                while (sent < length) {
                    if (guard.isClosed()) {
                        throw new ClosedResourceException("stream closed while a send was waiting");
                    }
                    int n = channel.write(ByteBuffer.wrap(data, offset + sent, Math.min(length - sent, SEND_SLICE)));
                    sent += n;
                    if (n == 0) {
                        awaitRoom(sent);
                    }
                }
                guard.sent(length);
            } catch (IOException e) {
                throw failure(e);
            } finally {
                guard.endSend();
            }
        }

        private void awaitRoom(int sentSoFar) {
            try {
                io.await(channel, SelectionKey.OP_WRITE, "send to " + peer);
            } catch (Cancelled c) {
                if (sentSoFar > 0) {
                    guard.markSendsBroken();
                }
                throw c;
            }
        }

        private RuntimeException failure(IOException e) {
            if (guard.isClosed()) {
                return new ClosedResourceException("stream closed while in use");
            }
            return new BrokenStreamException("connection broken: " + e.getMessage(), e);
        }

        @Override
        public void sendEof() {
            kernel.checkpointIfCancelled();
            if (guard.markEofSent()) {
                try {
                    channel.shutdownOutput();
                } catch (IOException e) {
                    throw failure(e);
                }
            }
            kernel.yieldNow();   // a full checkpoint, split around the shutdown, as the simulator's streams take it
        }

        @Override
        public void close() {
            if (guard.markClosed()) {
                io.wakeWaiters(channel);
                closeQuietly(channel);
            }
        }

        @Override
        public String toString() {
            return "TcpStream[" + peer + (guard.isClosed() ? ", closed" : "") + "]";
        }
    }
}

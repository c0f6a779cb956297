package dev.trellis.real;

import dev.trellis.runtime.Address;
import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.ClosedResourceException;
import dev.trellis.runtime.ConnectException;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.StreamGuard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Real TCP for the real runtime. Blocking socket calls park the task's virtual thread and free
 * the carrier, so other tasks run meanwhile. Cancelling a task blocked in accept, connect or
 * receive closes the socket (Java has no other way to stop a blocked socket call); the task sees
 * {@code Cancelled}, not a socket error, and the connection is gone.
 */
final class TcpNetwork implements Network {
    private final Kernel kernel;

    TcpNetwork(Kernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public Listener listen(Address address) {
        try {
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(address.host(), address.port()), 1024);
            return new TcpListener(ss, new Address(address.host(), ss.getLocalPort()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ByteStream connect(Address address) {
        kernel.checkpointIfCancelled();
        Socket s = new Socket();
        Runnable previous = kernel.setCancelHook(() -> closeQuietly(s));
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(address.host(), address.port()));
            return new TcpStream(kernel, s);
        } catch (IOException e) {
            closeQuietly(s);
            kernel.checkpointIfCancelled();
            throw new ConnectException("cannot connect to " + address + ": " + e.getMessage(), e);
        } finally {
            kernel.setCancelHook(previous);
        }
    }

    @Override
    public List<String> resolve(String host) {
        try {
            List<String> out = new ArrayList<>();
            for (InetAddress a : InetAddress.getAllByName(host)) {
                out.add(a.getHostAddress());
            }
            return out;
        } catch (UnknownHostException e) {
            throw new ConnectException("unknown host '" + host + "'", e);
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing to end a wait or after a failure: nothing more to report
        }
    }

    private final class TcpListener implements Listener {
        private final ServerSocket socket;
        private final Address address;
        private volatile boolean closed;

        TcpListener(ServerSocket socket, Address address) {
            this.socket = socket;
            this.address = address;
        }

        @Override
        public ByteStream accept() {
            kernel.checkpointIfCancelled();
            if (closed) {
                throw new ClosedResourceException("listener on " + address + " is closed");
            }
            Runnable previous = kernel.setCancelHook(this::close);
            try {
                Socket s = socket.accept();
                s.setTcpNoDelay(true);
                return new TcpStream(kernel, s);
            } catch (IOException e) {
                kernel.checkpointIfCancelled();
                if (closed) {
                    throw new ClosedResourceException("listener on " + address + " is closed");
                }
                throw new IllegalStateException("accept failed on " + address + ": " + e.getMessage(), e);
            } finally {
                kernel.setCancelHook(previous);
            }
        }

        @Override
        public Address address() {
            return address;
        }

        @Override
        public void close() {
            closed = true;
            closeQuietly(socket);
        }
    }

    private static final class TcpStream implements ByteStream {
        private final Kernel kernel;
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final StreamGuard guard = new StreamGuard();

        TcpStream(Kernel kernel, Socket socket) throws IOException {
            this.kernel = kernel;
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        @Override
        public int receiveSome(byte[] buffer, int offset, int length) {
            java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
            kernel.checkpoint();
            guard.beginReceive();
            Runnable previous = kernel.setCancelHook(() -> closeQuietly(socket));
            try {
                return in.read(buffer, offset, length);
            } catch (IOException e) {
                throw failure(e);
            } finally {
                kernel.setCancelHook(previous);
                guard.endReceive();
            }
        }

        @Override
        public void sendAll(byte[] data, int offset, int length) {
            java.util.Objects.checkFromIndexSize(offset, length, data.length);
            kernel.checkpoint();
            guard.beginSend();
            Runnable previous = kernel.setCancelHook(() -> closeQuietly(socket));
            try {
                out.write(data, offset, length);
            } catch (IOException e) {
                throw failure(e);
            } finally {
                kernel.setCancelHook(previous);
                guard.endSend();
            }
        }

        private RuntimeException failure(IOException e) {
            kernel.checkpointIfCancelled();   // a cancellation closed the socket: report Cancelled
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
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw failure(e);
                }
            }
        }

        @Override
        public void close() {
            if (guard.markClosed()) {
                closeQuietly(socket);
            }
        }
    }
}

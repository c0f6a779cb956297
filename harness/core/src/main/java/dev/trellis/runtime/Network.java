package dev.trellis.runtime;

import dev.trellis.runtime.spi.Kernel;

import java.time.Duration;
import java.util.List;

/**
 * Listening and connecting: real TCP under the real runtime, an in-memory network under the
 * simulator. Application code gets it with {@link #current()} and never names which.
 *
 * {@snippet :
 * Network net = Network.current();
 * try (Listener listener = net.listen(Address.of("127.0.0.1", 0))) {
 *     net.serve(listener, stream -> { ... });   // one task per connection, until cancelled
 * }
 * }
 */
public interface Network {
    /** The network of the runtime running the calling task. */
    static Network current() {
        Network net = Kernel.current("Network.current").kernel().service(Network.class);
        if (net == null) {
            throw new UnsupportedOperationException("this runtime has no network");
        }
        return net;
    }

    /**
     * Starts listening on the first address {@link #resolve} gives for the host; port 0 picks a
     * free port (see {@link Listener#address()}).
     */
    Listener listen(Address address);

    /**
     * Connects to exactly one address: the first that {@link #resolve} gives for the host (the
     * host itself when it is a literal address). Racing several addresses is Happy Eyeballs'
     * job, built on {@code resolve} and this. A checkpoint; cancellable, and a cancelled connect
     * leaves nothing open. Throws {@link ConnectException} when refused, unreachable or the host
     * is unknown.
     */
    ByteStream connect(Address address);

    /** The addresses a host name resolves to, in the order to try them (Happy Eyeballs needs all). */
    List<String> resolve(String host);

    /** What a handler's failure does to the server. */
    enum OnHandlerFailure {
        /** The failure cancels the server and every connection and propagates, as in trio. */
        PROPAGATE,
        /**
         * Only that connection closes; the failure is noted in the simulator's trace, and the real
         * runtime logs it ({@code System.Logger} "dev.trellis.real", each kind of failure at most
         * once per 10 s, with a count, so a flood of resets cannot flood the log).
         */
        CLOSE_CONNECTION
    }

    /** Accepts connections forever, each handled in its own task; a handler failure propagates. */
    default void serve(Listener listener, Handler handler) throws Exception {
        serve(listener, handler, OnHandlerFailure.PROPAGATE);
    }

    /**
     * What a server holds its connections to; {@link #NONE} holds them to nothing, as trio's
     * {@code serve_tcp} does. A server that runs for weeks on a reachable port wants both.
     *
     * @param maxConnections how many connections may be open at once; at the cap the server stops
     *     accepting until one closes (new peers wait in the listen backlog; once it is full the
     *     operating system drops or refuses them, so their connects time out or fail)
     * @param idleTimeout how long any one receive or send on a connection may take, from its call to
     *     its return (a long {@code sendAll} to a slow reader counts whole); past it the connection
     *     counts as gone: the stream is closed, the handler sees a {@link BrokenStreamException}
     *     (from that operation and any later one), and the server does not count whatever the
     *     handler then throws as a failure. A handler that writes to other connections' streams
     *     (a broadcast) sees their timeouts as their failures. Null: no limit
     */
    record Limits(int maxConnections, Duration idleTimeout) {
        /** No cap, no idle timeout. */
        public static final Limits NONE = new Limits(Integer.MAX_VALUE, null);

        public Limits {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, was [" + maxConnections + "]");
            }
            if (idleTimeout != null && (idleTimeout.isNegative() || idleTimeout.isZero())) {
                throw new IllegalArgumentException("idleTimeout must be positive (or null for none), was [" + idleTimeout + "]");
            }
        }

        /** These limits with a connection cap. */
        public Limits withMaxConnections(int max) {
            return new Limits(max, idleTimeout);
        }

        /** These limits with an idle timeout (null: none). */
        public Limits withIdleTimeout(Duration timeout) {
            return new Limits(maxConnections, timeout);
        }
    }

    /** Accepts connections until cancelled (or the listener closes), each handled in its own task. */
    default void serve(Listener listener, Handler handler, OnHandlerFailure onFailure) throws Exception {
        serve(listener, handler, onFailure, Limits.NONE);
    }

    /**
     * Accepts connections until cancelled (or the listener closes), each handled in its own task,
     * within {@code limits}.
     */
    default void serve(Listener listener, Handler handler, OnHandlerFailure onFailure, Limits limits) throws Exception {
        // A bounded channel as a semaphore: a slot is sent before each accept and taken back when
        // its connection ends, so the accept waits while maxConnections are open.
        Channel<Boolean> open = limits.maxConnections() == Integer.MAX_VALUE ? null : Channel.bounded(limits.maxConnections());
        Nursery.open(nursery -> {
            int n = 0;
            while (true) {
                if (open != null) {
                    open.send(Boolean.TRUE);
                }
                ByteStream accepted;
                try {
                    accepted = listener.accept();
                } catch (ClosedResourceException closed) {
                    return;
                }
                n++;
                String name = "conn-" + n;
                IdleLimitedStream limited = limits.idleTimeout() == null ? null : new IdleLimitedStream(accepted, limits.idleTimeout());
                ByteStream stream = limited == null ? accepted : limited;
                nursery.start(name, () -> {
                    try (stream) {
                        handler.handle(stream);
                    } catch (Cancelled c) {
                        throw c;
                    } catch (Exception | AssertionError e) {
                        if (limited != null && limited.idled()) {
                            return;   // the idle timeout ended it: a limit met, not a failure
                        }
                        if (onFailure == OnHandlerFailure.PROPAGATE) {
                            throw e;
                        }
                        // Noted in the simulator's trace; logged by the real runtime, which keeps none.
                        Kernel.current("Network.serve").kernel().handlerFailed(name + " of " + listener.address(), e);
                    } finally {
                        if (open != null) {
                            open.tryReceive();   // not a checkpoint: the slot comes back even when cancelled
                        }
                    }
                });
            }
        });
    }
}

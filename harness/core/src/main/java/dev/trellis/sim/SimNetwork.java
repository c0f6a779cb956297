package dev.trellis.sim;

import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.ClosedResourceException;
import dev.trellis.runtime.ConnectException;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Trellis;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.ParkingLot;
import dev.trellis.streams.MemoryStreams;
import dev.trellis.streams.StreamOptions;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The simulator's network: hosts with addresses, listeners on ports, and per-address rules for
 * connecting (a delay, a refusal), for the streams of each link (latency, chunking, a reset) and
 * for partitions in a window of virtual time. Every connection is an in-memory stream pair.
 * Maps are keyed by strings in sorted order, so nothing depends on identity.
 *
 * {@snippet :
 * SimNetwork net = SimNetwork.current();
 * net.addHost("example.com", "2001:db8::1", "192.0.2.1");    // Happy Eyeballs: two addresses
 * net.connectRule("2001:db8::1", Duration.ofSeconds(5), false);  // the first one hangs 5 s
 * net.connect(Address.of("example.com", 80));                    // tries only the first: 5 s
 * net.connectHangs("192.0.2.1");                                 // this one never answers
 * }
 */
public final class SimNetwork implements Network {
    private final Kernel kernel;
    private final TreeMap<String, List<String>> hosts = new TreeMap<>();
    private final TreeMap<String, SimListener> listeners = new TreeMap<>();
    private final TreeMap<String, Duration> connectDelay = new TreeMap<>();
    private final TreeMap<String, Boolean> refuse = new TreeMap<>();
    private final TreeSet<String> hanging = new TreeSet<>();
    private final TreeMap<String, StreamOptions> links = new TreeMap<>();
    private final TreeMap<String, long[]> partitions = new TreeMap<>();
    private StreamOptions defaults;
    private int nextPort = 40_000;
    private int connections;

    SimNetwork(Kernel kernel, StreamOptions defaults) {
        this.kernel = kernel;
        this.defaults = defaults;
        hosts.put("localhost", List.of("127.0.0.1"));
    }

    /** The simulator's network, from inside a simulated task. */
    public static SimNetwork current() {
        Network n = Network.current();
        if (n instanceof SimNetwork s) {
            return s;
        }
        throw new IllegalStateException("SimNetwork.current() needs the simulator; this task runs on " + n.getClass().getSimpleName());
    }

    /** Declares a host name and the addresses it resolves to, in order. */
    public SimNetwork addHost(String name, String... addresses) {
        if (addresses.length == 0) {
            throw new IllegalArgumentException("host '" + name + "' needs at least one address");
        }
        hosts.put(name, List.of(addresses));
        return this;
    }

    /** Connecting to {@code ip} takes {@code delay} of virtual time, then succeeds or is refused. */
    public SimNetwork connectRule(String ip, Duration delay, boolean refused) {
        connectDelay.put(ip, delay);
        refuse.put(ip, refused);
        return this;
    }

    /**
     * Connecting to {@code ip} never completes: the connect waits until it is cancelled, as a SYN
     * into a black hole does (Happy Eyeballs' reason to exist). A deadline or a winning sibling
     * ends it; with neither, the simulator reports the wait as a deadlock naming this rule.
     */
    public SimNetwork connectHangs(String ip) {
        hanging.add(ip);
        return this;
    }

    /** Streams to and from {@code ip} behave as {@code options} say (latency, chunks, reset). */
    public SimNetwork link(String ip, StreamOptions options) {
        links.put(ip, options);
        return this;
    }

    /** Nothing crosses the link to {@code ip} between {@code from} and {@code until} (virtual time). */
    public SimNetwork partition(String ip, Duration from, Duration until) {
        partitions.put(ip, new long[] {from.toNanos(), until.toNanos()});
        return this;
    }

    /** The stream options of links without a rule of their own. */
    public SimNetwork defaultStreams(StreamOptions options) {
        this.defaults = options;
        return this;
    }

    @Override
    public List<String> resolve(String host) {
        List<String> ips = hosts.get(host);
        if (ips != null) {
            return ips;
        }
        if (looksLikeIp(host)) {
            return List.of(host);
        }
        throw new ConnectException("unknown host '" + host + "': declare it with SimNetwork.addHost");
    }

    @Override
    public Listener listen(Address address) {
        String ip = resolve(address.host()).get(0);
        int port = address.port() == 0 ? nextPort++ : address.port();
        String key = ip + ":" + port;
        if (listeners.containsKey(key)) {
            throw new IllegalStateException("address already in use: " + key);
        }
        SimListener l = new SimListener(new Address(ip, port));
        listeners.put(key, l);
        kernel.note("listen " + key);
        return l;
    }

    @Override
    public ByteStream connect(Address address) {
        kernel.checkpointIfCancelled();
        // One address, the first, as on real TCP: trying the others is Happy Eyeballs' job.
        return connectTo(resolve(address.host()).get(0), address.port(), null);
    }

    /**
     * One connection whose streams behave as {@code options} say, whatever the link's rule: one
     * peer among many whose connection resets, or stalls, or is chopped finer than the others'.
     */
    public ByteStream connect(Address address, StreamOptions options) {
        kernel.checkpointIfCancelled();
        return connectTo(resolve(address.host()).get(0), address.port(), options);
    }

    private ByteStream connectTo(String ip, int port, StreamOptions own) {
        if (hanging.contains(ip)) {
            // A fresh lot nobody can unpark: only cancellation ends this wait.
            new ParkingLot().park("connect to " + ip + ":" + port + " hangs (SimNetwork.connectHangs)");
            throw new IllegalStateException("a hanging connect to " + ip + " was woken without being cancelled");
        }
        Duration delay = connectDelay.getOrDefault(ip, Duration.ZERO);
        if (!delay.isZero()) {
            Trellis.sleep(delay);
        }
        String key = ip + ":" + port;
        long[] window = partitions.get(ip);
        long now = kernel.nanoTime();
        if (window != null && now >= window[0] && now < window[1]) {
            throw new ConnectException("network unreachable: " + key + " is partitioned until " + Duration.ofNanos(window[1]));
        }
        if (refuse.getOrDefault(ip, false)) {
            throw new ConnectException("connection refused: " + key);
        }
        SimListener l = listeners.get(key);
        if (l == null || l.closed) {
            throw new ConnectException("connection refused: nothing listens on " + key);
        }
        StreamOptions opts = own != null ? own : links.getOrDefault(ip, defaults);
        MemoryStreams.Partition partition = window == null ? null
                : at -> at >= window[0] && at < window[1] ? window[1] : at;
        ByteStream[] pair = MemoryStreams.pair(opts, opts, partition);
        connections++;
        kernel.note("connect " + key + " #" + connections);
        l.arrive(pair[1]);
        kernel.yieldNow();
        return pair[0];
    }

    private static boolean looksLikeIp(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    private final class SimListener implements Listener {
        private final Address address;
        private final ArrayDeque<ByteStream> backlog = new ArrayDeque<>();
        private final ParkingLot waiting = new ParkingLot();
        private boolean closed;

        SimListener(Address address) {
            this.address = address;
        }

        /**
         * One connection wakes one acceptor. The lot has already let go of acceptors woken
         * before and of cancelled ones, so the one woken here is still waiting and will look at
         * the backlog (where an acceptor that did not wait may have been quicker).
         */
        void arrive(ByteStream server) {
            backlog.addLast(server);
            waiting.unpark(1);
        }

        @Override
        public ByteStream accept() {
            kernel.checkpointIfCancelled();
            while (backlog.isEmpty()) {
                if (closed) {
                    throw new ClosedResourceException("listener on " + address + " is closed");
                }
                // A loop because an acceptor woken by an arrival can find that an acceptor that
                // did not wait took it first; it then waits again, at the back.
                waiting.park("accept on " + address);
            }
            if (closed) {
                throw new ClosedResourceException("listener on " + address + " is closed");
            }
            ByteStream s = backlog.pollFirst();
            kernel.yieldNow();
            return s;
        }

        @Override
        public Address address() {
            return address;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            listeners.remove(address.host() + ":" + address.port());
            for (ByteStream s : backlog) {
                s.close();
            }
            backlog.clear();
            waiting.unparkAll();
        }
    }
}

package dev.trellis.apps;

import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.sim.SimNetwork;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Happy Eyeballs against an echo server. Under the simulator the host has three scripted
 * addresses: the first hangs, the second refuses after 100 ms, the third accepts after 50 ms; so
 * attempt 1 starts at 250 ms (the delay), fails at 350 ms, attempt 2 starts at once and connects
 * at 400 ms, and attempt 0 is cancelled then. For real, it connects to {@code localhost} on
 * loopback, trying whatever addresses the system resolver gives. The only place an application
 * names the simulator: real networks cannot be scripted to hang.
 */
final class HappyEyeballsDemo {
    private HappyEyeballsDemo() {}

    static void run(Consumer<String> out) throws Exception {
        Network net = Network.current();
        String host;
        String serverIp;
        if (net instanceof SimNetwork sim) {
            host = "example.test";
            serverIp = "192.0.2.2";
            sim.addHost(host, "2001:db8::1", "192.0.2.1", serverIp)
                    .connectHangs("2001:db8::1")
                    .connectRule("192.0.2.1", Duration.ofMillis(100), true)
                    .connectRule(serverIp, Duration.ofMillis(50), false);
            out.accept("2001:db8::1 hangs, 192.0.2.1 refuses after 100 ms, 192.0.2.2 accepts after 50 ms");
        } else {
            host = "localhost";
            serverIp = "127.0.0.1";
        }
        out.accept(host + " resolves to " + net.resolve(host));
        Nursery.open(nursery -> {
            Address at = nursery.startAndWait("server", status -> {
                try (Listener listener = net.listen(Address.of(serverIp, 0))) {
                    status.started(listener.address());
                    net.serve(listener, new EchoHandler());
                }
            });
            out.accept("server: listening on " + at.host() + ":" + at.port());
            try (ByteStream s = HappyEyeballs.connect(host, at.port())) {
                out.accept("client: connected to " + host + ":" + at.port() + " (250 ms between attempts)");
                byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
                s.sendAll(hello);
                out.accept("client: got back " + new String(EchoDemo.receiveExactly(s, hello.length), StandardCharsets.UTF_8));
            }
            nursery.cancelScope().cancel();
        });
        out.accept("done");
    }
}

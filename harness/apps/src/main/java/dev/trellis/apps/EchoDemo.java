package dev.trellis.apps;

import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The echo server and a client of it in one program: the server starts with
 * {@link Nursery#startAndWait}, so the client connects only once it listens; the client sends two
 * lines, prints what comes back, and the nursery is cancelled to stop the server. Runs on either
 * engine: real TCP on loopback, or the simulator's network.
 */
final class EchoDemo {
    private EchoDemo() {}

    static void run(Consumer<String> out) throws Exception {
        Network net = Network.current();
        Nursery.open(nursery -> {
            Address address = nursery.startAndWait("server", status -> {
                try (Listener listener = net.listen(Address.of("127.0.0.1", 0))) {
                    status.started(listener.address());
                    net.serve(listener, new EchoHandler());
                }
            });
            out.accept("server: listening on " + address.host() + ":" + address.port());
            try (ByteStream client = net.connect(address)) {
                for (String line : new String[] {"hello", "world"}) {
                    byte[] sent = line.getBytes(StandardCharsets.UTF_8);
                    client.sendAll(sent);
                    out.accept("client: sent " + line);
                    out.accept("client: got back " + new String(receiveExactly(client, sent.length), StandardCharsets.UTF_8));
                }
            }
            nursery.cancelScope().cancel();
        });
        out.accept("done");
    }

    static byte[] receiveExactly(ByteStream stream, int n) {
        byte[] buf = new byte[n];
        int got = 0;
        while (got < n) {
            int r = stream.receiveSome(buf, got, n - got);
            if (r < 0) {
                throw new IllegalStateException("the server closed the connection after " + got + " of " + n + " bytes");
            }
            got += r;
        }
        return buf;
    }
}

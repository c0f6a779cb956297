package dev.trellis.cli;

import dev.trellis.apps.EchoHandler;
import dev.trellis.real.RealRuntime;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.testkit.StreamConformance;

/** Real TCP on loopback: an echo server and many clients doing round trips, on the real runtime. */
final class LoopbackEcho {
    private LoopbackEcho() {}

    /** Runs {@code connections} clients × {@code roundTrips} 16-byte round trips; returns the wall time in ns. */
    static long run(int connections, int roundTrips) throws Exception {
        return RealRuntime.run(() -> {
            Network net = Network.current();
            Listener listener = net.listen(Address.of("127.0.0.1", 0));
            long[] elapsed = new long[1];
            Nursery.open(n -> {
                n.start("server", () -> net.serve(listener, new EchoHandler()));
                n.start("clients", () -> {
                    long start = System.nanoTime();
                    Nursery.open(cs -> {
                        for (int c = 0; c < connections; c++) {
                            cs.start("client-" + c, () -> {
                                try (ByteStream s = net.connect(listener.address())) {
                                    byte[] msg = new byte[16];
                                    byte[] reply = new byte[16];
                                    for (int i = 0; i < roundTrips; i++) {
                                        msg[0] = (byte) i;
                                        s.sendAll(msg);
                                        StreamConformance.receiveExactly(s, reply, msg.length);
                                        if (reply[0] != msg[0]) {
                                            throw new IllegalStateException("echo changed the bytes");
                                        }
                                    }
                                }
                            });
                        }
                    });
                    elapsed[0] = System.nanoTime() - start;
                    listener.close();
                    n.cancelScope().cancel();
                });
            });
            return elapsed[0];
        });
    }
}

package com.example;

import dev.trellis.junit.RealRuntimeTest;
import dev.trellis.junit.SimulationTest;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Handler;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

class EchoTest {
    @SimulationTest(seeds = 200)
    @RealRuntimeTest
    void echoAnswersTheWholeLine(Network net) throws Exception {
        roundTrip(net, new Echo());
    }

    @SimulationTest(seeds = 200)
    void firstChunkEchoAnswersTheWholeLine(Network net) throws Exception {
        roundTrip(net, new FirstChunkEcho());
    }

    static void roundTrip(Network net, Handler handler) throws Exception {
        Nursery.open(n -> {
            Address at = n.startAndWait("server", status -> {
                try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                    status.started(l.address());
                    net.serve(l, handler);
                }
            });
            try (ByteStream s = net.connect(at)) {
                byte[] line = "a line longer than one chunk\n".getBytes(StandardCharsets.UTF_8);
                s.sendAll(line);
                s.sendEof();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] buf = new byte[64];
                int k;
                while ((k = s.receiveSome(buf, 0, buf.length)) > 0) {
                    got.write(buf, 0, k);
                }
                if (!Arrays.equals(got.toByteArray(), line)) {
                    throw new AssertionError("sent [" + new String(line, StandardCharsets.UTF_8).strip() + "], got back ["
                            + got.toString(StandardCharsets.UTF_8) + "]");
                }
            }
            n.cancelScope().cancel();
        });
    }
}

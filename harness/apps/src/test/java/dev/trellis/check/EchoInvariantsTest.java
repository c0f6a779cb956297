package dev.trellis.check;

import dev.trellis.apps.EchoHandler;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.Body;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Handler;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.SimNetwork;
import dev.trellis.sim.Simulation;
import dev.trellis.streams.StreamOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The echo rules pass the echo server on every seed over adversarial streams, and catch an echo
 * that loses a byte and one that never closes.
 */
class EchoInvariantsTest {
    @Test
    void theEchoServerKeepsBothRules() {
        Simulation.explore(world(EchoHandler::new), 0, 2_000, SimConfig.defaults()).orThrow();
    }

    @Test
    void anEchoThatLosesAByteIsCaught() {
        Handler lossy = stream -> {
            byte[] buf = new byte[64];
            int n;
            boolean dropped = false;
            while ((n = stream.receiveSome(buf, 0, buf.length)) > 0) {
                int skip = !dropped && n > 1 ? 1 : 0;   // the first byte of the first chunk of 2+ bytes is lost
                dropped |= skip == 1;
                stream.sendAll(buf, skip, n - skip);
            }
        };
        HistoryViolation v = caught(lossy);
        assertThat(v.invariant()).isEqualTo("echo-bytes");
        assertThat(v.getMessage()).contains("got back").contains("they differ from byte");
    }

    @Test
    void anEchoThatNeverClosesIsCaught() {
        Handler sticky = stream -> {
            byte[] buf = new byte[64];
            int n;
            while ((n = stream.receiveSome(buf, 0, buf.length)) > 0) {
                stream.sendAll(buf, 0, n);
            }
            Trellis.sleep(java.time.Duration.ofHours(1));   // holds the connection open after end-of-stream
        };
        HistoryViolation v = caught(sticky);
        assertThat(v.invariant()).isEqualTo("echo-clean-close");
        assertThat(v.getMessage()).contains("never got end-of-stream back");
    }

    private static HistoryViolation caught(Handler handler) {
        Simulation.Exploration e = Simulation.explore(world(() -> handler), 0, 500, SimConfig.defaults());
        assertThat(e.ok()).isFalse();
        assertThat(e.last().bodyFailure()).isInstanceOf(HistoryViolation.class);
        return (HistoryViolation) e.last().bodyFailure();
    }

    /**
     * Three clients send drawn-size messages, end their streams and read to the end, giving up
     * after 5 s; the server stops at 10 s.
     */
    private static Body world(java.util.function.Supplier<Handler> server) {
        return () -> {
            SimNetwork.current().defaultStreams(StreamOptions.adversarial());
            Network net = Network.current();
            List<ConnectionLog> logs = new ArrayList<>();
            Nursery.open(world -> {
                Address address = world.startAndWait("server", status -> {
                    try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                        status.started(l.address());
                        dev.trellis.runtime.CancelScope.moveOnAfter(java.time.Duration.ofSeconds(10),
                                () -> net.serve(l, server.get(), Network.OnHandlerFailure.CLOSE_CONNECTION));
                    }
                });
                for (int c = 0; c < 3; c++) {
                    ConnectionLog log = new ConnectionLog("client-" + c);
                    logs.add(log);
                    // Clients give up after 5 s, before the server stops at 10 s and would close for them.
                    world.start(log.label(), () -> dev.trellis.runtime.CancelScope.moveOnAfter(java.time.Duration.ofSeconds(5), () -> {
                        try (ByteStream s = log.record(net.connect(address))) {
                            Nursery.open(n -> {
                                n.start("reads", () -> {
                                    byte[] buf = new byte[100];
                                    while (s.receiveSome(buf, 0, buf.length) > 0) {
                                        // the log keeps it
                                    }
                                });
                                for (int m = 0; m < 3; m++) {
                                    byte[] data = new byte[1 + (int) Trellis.random(300)];
                                    java.util.Arrays.fill(data, (byte) ('a' + m));
                                    s.sendAll(data);
                                }
                                s.sendEof();
                            });
                        }
                    }));
                }
            });
            HistoryInvariant.verify(logs, EchoInvariants.all());
        };
    }
}

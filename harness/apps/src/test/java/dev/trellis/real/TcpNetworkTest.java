package dev.trellis.real;

import dev.trellis.apps.EchoHandler;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.ConnectException;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.testkit.StreamConformance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class TcpNetworkTest {
    /**
     * A socket made ready during a poll wakes its task from the poll's own callback, on the loop's
     * thread: that must not wake the selector again, or every readiness costs a second, empty
     * select. 500 echo round trips used to ask for about 1,000 wakeups.
     */
    @Test
    void readinessDoesNotWakeTheSelectorFromItsOwnThread() throws Exception {
        long[] wakeups = {-1};
        RealRuntime.run(() -> {
            RealKernel kernel = (RealKernel) Kernel.current("test").kernel();
            Network net = Network.current();
            try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                Nursery.open(n -> {
                    n.start("echo", () -> net.serve(l, new EchoHandler()));
                    try (ByteStream client = net.connect(l.address())) {
                        long before = kernel.selectorWakeups();
                        for (int i = 0; i < 500; i++) {
                            client.sendAll(new byte[] {(byte) i});
                            StreamConformance.receiveExactly(client, 1);
                        }
                        wakeups[0] = kernel.selectorWakeups() - before;
                    }
                    n.cancelScope().cancel();
                });
            }
            return null;
        });
        assertThat(wakeups[0]).as("selector wakeups during 500 echo round trips").isBetween(0L, 25L);
    }

    @Test
    void echoServerOnAnEphemeralPortAnswersManyClients() throws Exception {
        RealRuntime.run(() -> {
            Network net = Network.current();
            Listener l = net.listen(Address.of("127.0.0.1", 0));
            assertThat(l.address().port()).isPositive();
            Nursery.open(n -> {
                n.start("server", () -> net.serve(l, new EchoHandler()));
                n.start("clients", () -> {
                    Nursery.open(cs -> {
                        for (int c = 0; c < 20; c++) {
                            int id = c;
                            cs.start("client", () -> {
                                try (ByteStream s = net.connect(l.address())) {
                                    byte[] msg = StreamConformance.pattern(10_000, id);
                                    s.sendAll(msg);
                                    assertThat(StreamConformance.receiveExactly(s, msg.length)).isEqualTo(msg);
                                }
                            });
                        }
                    });
                    n.cancelScope().cancel();
                });
            });
            return null;
        });
    }

    @Test
    void cancellingABlockedAcceptOrReceiveGivesCancelledNotASocketError() throws Exception {
        RealRuntime.run(() -> {
            Network net = Network.current();
            try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                CancelScope a = CancelScope.moveOnAfter(Duration.ofMillis(100), l::accept);
                assertThat(a.cancelledCaught()).isTrue();
            }
            try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                ByteStream client = net.connect(l.address());
                ByteStream server = l.accept();
                CancelScope r = CancelScope.moveOnAfter(Duration.ofMillis(100), () -> server.receiveSome(16));
                assertThat(r.cancelledCaught()).isTrue();
                client.close();
                server.close();
            }
            return null;
        });
    }

    @Test
    void aResetByThePeerIsABrokenStreamOnReceiveAndOnSend() throws Exception {
        try (java.net.ServerSocket raw = new java.net.ServerSocket(0)) {
            // A plain peer outside Trellis: reads 100 bytes, then resets (SO_LINGER 0 sends RST).
            Thread peer = new Thread(() -> {
                try (java.net.Socket s = raw.accept()) {
                    s.getInputStream().readNBytes(100);
                    s.setSoLinger(true, 0);
                } catch (java.io.IOException ignored) {
                    // the test's assertions say what matters
                }
            });
            peer.start();
            RealRuntime.run(() -> {
                ByteStream s = Network.current().connect(Address.of("127.0.0.1", raw.getLocalPort()));
                s.sendAll(new byte[100]);
                assertThatThrownBy(() -> s.receiveSome(16)).isInstanceOf(dev.trellis.runtime.BrokenStreamException.class);
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 1_000; i++) {
                        s.sendAll(new byte[1_024]);
                    }
                }).isInstanceOf(dev.trellis.runtime.BrokenStreamException.class);
                s.close();
                return null;
            });
            peer.join(10_000);
        }
    }

    @Test
    void refusedConnectionIsAConnectException() throws Exception {
        int freePort;
        try (var s = new java.net.ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        RealRuntime.run(() -> {
            assertThatThrownBy(() -> Network.current().connect(Address.of("127.0.0.1", freePort)))
                    .isInstanceOf(ConnectException.class).hasMessageContaining("127.0.0.1:" + freePort);
            return null;
        });
    }
}

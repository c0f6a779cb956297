package dev.trellis.real;

import dev.trellis.runtime.Address;
import dev.trellis.runtime.Body;
import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.ConnectException;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.sim.SimNetwork;
import dev.trellis.sim.Sims;
import dev.trellis.streams.StreamOptions;
import dev.trellis.testkit.StreamConformance;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The same programs on real loopback TCP and on the simulator's network, expecting trio's
 * behaviour from both: a cancelled wait ends the wait, not the socket; a send cancelled part way
 * breaks later sends; connect tries one address, the first.
 */
@Timeout(60)
class NetworkOnBothEnginesTest {
    /** Where a program runs: once on real TCP, or under the simulator over many seeds. */
    enum Engine {
        TCP {
            @Override
            void run(Body body) throws Exception {
                RealRuntime.run(() -> {
                    body.run();
                    return null;
                });
            }

            @Override
            Network smallBufferNetwork() {
                // 4 KiB socket buffers: a connection nobody reads fills after a few KiB, not 4 MiB.
                return ((RealKernel) Kernel.current("test").kernel()).network(TcpNetwork.SYSTEM_RESOLVER, SMALL_BUFFER);
            }
        },
        SIM {
            @Override
            void run(Body body) {
                Sims.everySeed(20, "random", body);
            }

            @Override
            Network smallBufferNetwork() {
                return SimNetwork.current().defaultStreams(StreamOptions.adversarial().withCapacity(SMALL_BUFFER));
            }
        };

        abstract void run(Body body) throws Exception;

        /** This engine's network, with connections that hold only a few KiB while nobody reads. */
        abstract Network smallBufferNetwork();
    }

    private static final int SMALL_BUFFER = 4096;
    /** Far more than a small-buffer connection holds when nobody reads, on either engine. */
    private static final int MORE_THAN_A_CONNECTION_HOLDS = 64 << 10;
    private static final Duration TIMEOUT = Duration.ofMillis(100);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A connected pair over {@code net}: client end first. */
    private static ByteStream[] connectedPair(Network net, Listener l) {
        ByteStream client = net.connect(l.address());
        return new ByteStream[] {client, l.accept()};
    }

    @Nested
    class CancelledReceive {
        @ParameterizedTest
        @EnumSource(Engine.class)
        void leavesTheStreamUsableSoARetryGetsTheBytesSentLater(Engine engine) throws Exception {
            engine.run(() -> {
                Network net = Network.current();
                try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                    ByteStream[] p = connectedPair(net, l);
                    CancelScope timedOut = CancelScope.moveOnAfter(TIMEOUT, () -> p[1].receiveSome(16));
                    assertThat(timedOut.cancelledCaught()).as("a receive with nothing sent waits for its deadline").isTrue();
                    p[0].sendAll(bytes("late"));
                    assertThat(StreamConformance.receiveExactly(p[1], 4)).isEqualTo(bytes("late"));
                    p[0].close();
                    p[1].close();
                }
            });
        }
    }

    @Nested
    class CancelledAccept {
        @ParameterizedTest
        @EnumSource(Engine.class)
        void leavesTheListenerListeningSoALaterAcceptGetsAConnection(Engine engine) throws Exception {
            engine.run(() -> {
                Network net = Network.current();
                try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                    CancelScope timedOut = CancelScope.moveOnAfter(TIMEOUT, l::accept);
                    assertThat(timedOut.cancelledCaught()).as("an accept with nobody connecting waits for its deadline").isTrue();
                    ByteStream[] p = connectedPair(net, l);
                    p[0].sendAll(bytes("hi"));
                    assertThat(StreamConformance.receiveExactly(p[1], 2)).isEqualTo(bytes("hi"));
                    p[0].close();
                    p[1].close();
                }
            });
        }
    }

    @Nested
    class CancelledSend {
        /**
         * How long one send must have waited before it is taken to be parked for room: a send's
         * checkpoint yields to one other task only, for microseconds. (With 4 KiB buffers and
         * one-byte segments, loopback TCP trickles a dozen bytes on every delayed ack, about
         * every 20 ms, so a longer threshold could take many seconds to see.)
         */
        private static final Duration STALLED = Duration.ofMillis(10);

        /**
         * One-byte sends until one has waited {@link #STALLED} for room, then that one is
         * cancelled: a one-byte send cannot be cut short, so it sent nothing, and the stream must
         * carry on as if it had never been called. If its byte leaked, "after" would arrive shifted.
         */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void thatSentNothingLeavesTheStreamUsable(Engine engine) throws Exception {
            engine.run(() -> {
                Network net = engine.smallBufferNetwork();
                try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                    ByteStream[] p = connectedPair(net, l);
                    int[] sent = {0};
                    Duration[] inSendSince = {null};
                    CancelScope[] senderScope = {null};
                    boolean[] senderCancelled = {false};
                    CancelScope.failAfter(Duration.ofSeconds(30), () -> Nursery.open(n -> {
                        n.start("one-byte-sender", () -> senderCancelled[0] = CancelScope.open(scope -> {
                            senderScope[0] = scope;
                            byte[] one = new byte[1];
                            while (true) {
                                one[0] = (byte) sent[0];
                                inSendSince[0] = Trellis.now();
                                p[0].sendAll(one);
                                inSendSince[0] = null;
                                sent[0]++;
                            }
                        }).cancelledCaught());
                        n.start("watcher", () -> {
                            while (inSendSince[0] == null || Trellis.now().minus(inSendSince[0]).compareTo(STALLED) < 0) {
                                Trellis.sleep(Duration.ofMillis(2));
                            }
                            senderScope[0].cancel();
                        });
                    }));
                    assertThat(senderCancelled[0]).isTrue();
                    byte[] got = StreamConformance.receiveExactly(p[1], sent[0]);
                    for (int i = 0; i < sent[0]; i++) {
                        assertThat(got[i]).as("byte %d of %d", i, sent[0]).isEqualTo((byte) i);
                    }
                    p[0].sendAll(bytes("after"));
                    assertThat(StreamConformance.receiveExactly(p[1], 5))
                            .as("the bytes after the drained ones are the next send's: the cancelled send added none")
                            .isEqualTo(bytes("after"));
                    p[0].close();
                    p[1].close();
                }
            });
        }

        @ParameterizedTest
        @EnumSource(Engine.class)
        void cancelledAfterPartOfItsDataWentOutBreaksLaterSends(Engine engine) throws Exception {
            engine.run(() -> {
                Network net = engine.smallBufferNetwork();
                try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                    ByteStream[] p = connectedPair(net, l);
                    CancelScope cut = CancelScope.moveOnAfter(TIMEOUT, () -> p[0].sendAll(new byte[MORE_THAN_A_CONNECTION_HOLDS]));
                    assertThat(cut.cancelledCaught()).as("nobody reads, so the send waits for its deadline").isTrue();
                    assertThatThrownBy(() -> p[0].sendAll(bytes("more")))
                            .isInstanceOf(BrokenStreamException.class).hasMessageContaining("cancelled");
                    assertThat(p[1].receiveSome(16)).as("what went out before the cancel still arrives").isNotEmpty();
                    p[0].close();
                    p[1].close();
                }
            });
        }
    }

    @Nested
    class Connect {
        /**
         * trio's connect checks for cancellation before it connects and yields, ignoring
         * cancellation, after: a cancel made while it yields does not lose the connection it
         * made; the next checkpoint raises it.
         */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aCancelMadeWhileASuccessfulConnectYieldsKeepsTheConnection(Engine engine) throws Exception {
            engine.run(() -> {
                Network net = Network.current();
                try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                    ByteStream[] got = new ByteStream[1];
                    CancelScope outer = CancelScope.open(scope -> Nursery.open(n -> {
                        n.start("canceller", () -> scope.cancel());
                        got[0] = net.connect(l.address());
                        Trellis.checkpoint();
                    }));
                    assertThat(outer.cancelledCaught()).isTrue();
                    assertThat(got[0]).as("the connect returned its stream before the cancel was raised").isNotNull();
                    got[0].close();
                }
            });
        }

        /** Its twin: a cancel made before connect starts is raised at once, and nothing connects. */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void aConnectInACancelledScopeRaisesBeforeConnecting(Engine engine) throws Exception {
            engine.run(() -> {
                Network net = Network.current();
                try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                    ByteStream[] got = new ByteStream[1];
                    CancelScope outer = CancelScope.open(scope -> {
                        scope.cancel();
                        got[0] = net.connect(l.address());
                    });
                    assertThat(outer.cancelledCaught()).isTrue();
                    assertThat(got[0]).isNull();
                }
            });
        }
        /** On TCP a stand-in resolver supplies the host; on the simulator, addHost. */
        static void usesOnlyTheFirstAddress(Network net) {
            assertThat(net.resolve("two.test")).containsExactly("127.0.0.2", "127.0.0.1");
            try (Listener second = net.listen(Address.of("127.0.0.1", 0))) {
                assertThatThrownBy(() -> net.connect(Address.of("two.test", second.address().port())))
                        .as("only the first address is tried, and nothing listens there")
                        .isInstanceOf(ConnectException.class).hasMessageContaining("127.0.0.2");
            }
            try (Listener first = net.listen(Address.of("127.0.0.2", 0))) {
                ByteStream[] p = {net.connect(Address.of("two.test", first.address().port())), first.accept()};
                p[0].sendAll(bytes("ok"));
                assertThat(StreamConformance.receiveExactly(p[1], 2)).isEqualTo(bytes("ok"));
                p[0].close();
                p[1].close();
            }
        }

        /**
         * Needs a second loopback address: Linux routes all of 127/8 to lo; macOS has only 127.0.0.1
         * unless one is added ({@code ifconfig lo0 alias 127.0.0.2}), and there the test is skipped.
         */
        @Test
        void toAHostWithSeveralAddressesUsesOnlyTheFirstOnTcp() throws Exception {
            try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
                probe.getLocalPort();
            } catch (java.io.IOException e) {
                Assumptions.abort("this machine cannot listen on 127.0.0.2: " + e.getMessage());
            }
            TcpNetwork.Resolver resolver = host -> {
                if (host.equals("two.test")) {
                    return List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.1"));
                }
                return TcpNetwork.SYSTEM_RESOLVER.resolve(host);
            };
            RealRuntime.run(() -> {
                usesOnlyTheFirstAddress(((RealKernel) Kernel.current("test").kernel()).network(resolver, 0));
                return null;
            });
        }

        @Test
        void toAHostWithSeveralAddressesUsesOnlyTheFirstOnTheSimulator() {
            Sims.everySeed(20, "random", () -> {
                SimNetwork net = SimNetwork.current();
                net.addHost("two.test", "127.0.0.2", "127.0.0.1");
                usesOnlyTheFirstAddress(net);
            });
        }

        /** Whatever "localhost" resolves to here, listen and connect both take its first address. */
        @ParameterizedTest
        @EnumSource(Engine.class)
        void toLocalhostReachesAListenerOnLocalhost(Engine engine) throws Exception {
            engine.run(() -> {
                Network net = Network.current();
                try (Listener l = net.listen(Address.of("localhost", 0))) {
                    ByteStream[] p = connectedPair(net, l);
                    p[0].sendAll(bytes("hi"));
                    assertThat(StreamConformance.receiveExactly(p[1], 2)).isEqualTo(bytes("hi"));
                    p[0].close();
                    p[1].close();
                }
            });
        }

        @ParameterizedTest
        @EnumSource(Engine.class)
        void toALiteralAddressResolvesToThatAddressAlone(Engine engine) throws Exception {
            engine.run(() -> assertThat(Network.current().resolve("127.0.0.1")).containsExactly("127.0.0.1"));
        }

        @Test
        void anUnknownHostIsAConnectException() throws Exception {
            TcpNetwork.Resolver none = host -> {
                throw new UnknownHostException(host);
            };
            RealRuntime.run(() -> {
                Network net = ((RealKernel) Kernel.current("test").kernel()).network(none, 0);
                assertThatThrownBy(() -> net.connect(Address.of("nowhere.test", 80)))
                        .isInstanceOf(ConnectException.class).hasMessageContaining("nowhere.test");
                return null;
            });
        }
    }
}

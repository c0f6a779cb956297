package dev.trellis.sim;

import dev.trellis.apps.EchoHandler;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.ClosedResourceException;
import dev.trellis.runtime.ConnectException;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.streams.StreamOptions;
import dev.trellis.testkit.StreamConformance;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimNetworkTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Serves echo, runs {@code clients} against it, then stops the server. */
    static void withEchoServer(Address at, ClientBody clients) throws Exception {
        Network net = Network.current();
        Listener listener = net.listen(at);
        Nursery.open(n -> {
            n.start("server", () -> net.serve(listener, new EchoHandler()));
            n.start("clients", () -> {
                clients.run(listener.address());
                n.cancelScope().cancel();
            });
        });
    }

    interface ClientBody {
        void run(Address server) throws Exception;
    }

    @Nested
    class Echo {
        @Test
        void everyByteComesBackUnderEveryScheduleAndChunking() {
            Sims.everySeed(200, "random", () -> withEchoServer(Address.of("127.0.0.1", 7), server -> {
                Nursery.open(n -> {
                    for (int c = 0; c < 3; c++) {
                        int id = c;
                        n.start("client-" + c, () -> {
                            try (ByteStream s = Network.current().connect(server)) {
                                byte[] msg = StreamConformance.pattern(500, id);
                                Nursery.open(io -> {
                                    io.start("send", () -> { s.sendAll(msg); s.sendEof(); });
                                    io.start("receive", () -> assertThat(StreamConformance.receiveAll(s)).isEqualTo(msg));
                                });
                            }
                        });
                    }
                });
            }));
        }

        @Test
        void aClientThatSendsEverythingBeforeReadingDeadlocksWithSmallBuffersAndTrellisSaysWhere() {
            Result r = Simulation.result(() -> {
                SimNetwork.current().defaultStreams(StreamOptions.plain().withCapacity(16));
                withEchoServer(Address.of("127.0.0.1", 7), server -> {
                    try (ByteStream s = Network.current().connect(server)) {
                        s.sendAll(new byte[100]);   // the echo fills our receive buffer meanwhile
                        StreamConformance.receiveExactly(s, 100);
                    }
                });
            }, 1);
            assertThat(r.failure()).isInstanceOf(SimulationFailure.Deadlock.class);
            assertThat(r.failure().getMessage())
                    .contains("'clients': waits on send on a full stream")
                    .contains("'conn-1': waits on send on a full stream");
        }

        @Test
        void portZeroPicksAFreePort() {
            Sims.run(1, () -> {
                Network net = Network.current();
                try (Listener a = net.listen(Address.of("127.0.0.1", 0)); Listener b = net.listen(Address.of("127.0.0.1", 0))) {
                    assertThat(a.address().port()).isPositive().isNotEqualTo(b.address().port());
                    assertThatThrownBy(() -> net.listen(a.address())).hasMessageContaining("already in use");
                }
            });
        }
    }

    @Nested
    class Connecting {
        @Test
        void nothingListeningIsRefused() {
            Sims.run(1, () -> assertThatThrownBy(() -> Network.current().connect(Address.of("127.0.0.1", 9)))
                    .isInstanceOf(ConnectException.class).hasMessageContaining("connection refused"));
        }

        @Test
        void unknownHostSaysHowToDeclareIt() {
            Sims.run(1, () -> assertThatThrownBy(() -> Network.current().resolve("nowhere.example"))
                    .isInstanceOf(ConnectException.class).hasMessageContaining("SimNetwork.addHost"));
        }

        @Test
        void aHostWithSeveralAddressesHasPerAddressDelaysAndRefusals() {
            Sims.run(1, () -> {
                SimNetwork net = SimNetwork.current();
                net.addHost("example.com", "2001:db8::1", "192.0.2.1", "192.0.2.2");
                net.connectRule("2001:db8::1", Duration.ofSeconds(3), true);
                net.connectRule("192.0.2.1", Duration.ofMillis(300), false);
                try (Listener l = net.listen(Address.of("192.0.2.1", 80))) {
                    assertThat(net.resolve("example.com")).containsExactly("2001:db8::1", "192.0.2.1", "192.0.2.2");
                    assertThatThrownBy(() -> net.connect(Address.of("2001:db8::1", 80))).hasMessageContaining("refused");
                    assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(3));
                    try (ByteStream s = net.connect(Address.of("192.0.2.1", 80))) {
                        assertThat(Trellis.now()).isEqualTo(Duration.ofMillis(3_300));
                        l.accept().close();
                    }
                }
            });
        }

        @Test
        void aHostNameConnectsToItsFirstAddressOnlyEvenWhenThatOneIsRefused() {
            Sims.run(1, () -> {
                SimNetwork net = SimNetwork.current();
                net.addHost("example.com", "2001:db8::1", "192.0.2.1");
                net.connectRule("2001:db8::1", Duration.ofSeconds(3), true);
                try (Listener l = net.listen(Address.of("192.0.2.1", 80))) {
                    // Falling back to 192.0.2.1 is Happy Eyeballs' job, not connect's.
                    assertThatThrownBy(() -> net.connect(Address.of("example.com", 80)))
                            .isInstanceOf(ConnectException.class).hasMessageContaining("2001:db8::1");
                    assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(3));
                }
            });
        }

        @Test
        void aSlowConnectIsCancellable() {
            Sims.run(1, () -> {
                SimNetwork net = SimNetwork.current();
                net.connectRule("10.0.0.1", Duration.ofHours(1), false);
                CancelScope s = CancelScope.moveOnAfter(Duration.ofSeconds(2), () -> net.connect(Address.of("10.0.0.1", 1)));
                assertThat(s.cancelledCaught()).isTrue();
                assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(2));
            });
        }

        @Test
        void aHangingConnectEndsOnlyByCancellationAndAloneIsADeadlockNamingTheRule() {
            Sims.run(1, () -> {
                SimNetwork net = SimNetwork.current();
                net.connectHangs("10.0.0.9");
                CancelScope s = CancelScope.moveOnAfter(Duration.ofMinutes(3), () -> net.connect(Address.of("10.0.0.9", 1)));
                assertThat(s.cancelledCaught()).isTrue();
                assertThat(Trellis.now()).isEqualTo(Duration.ofMinutes(3));
            });
            Result r = Simulation.result(() -> {
                SimNetwork.current().connectHangs("10.0.0.9");
                Network.current().connect(Address.of("10.0.0.9", 1));
            }, 1);
            assertThat(r.failure()).isNotNull();
            assertThat(r.failure().getMessage()).contains("10.0.0.9:1 hangs (SimNetwork.connectHangs)");
        }

        @Test
        void aPartitionRefusesNewConnectionsAndHoldsBytesUntilItEnds() {
            Sims.run(1, () -> {
                SimNetwork net = SimNetwork.current();
                net.partition("10.0.0.2", Duration.ofSeconds(1), Duration.ofSeconds(5));
                try (Listener l = net.listen(Address.of("10.0.0.2", 80))) {
                    ByteStream client = net.connect(l.address());
                    ByteStream server = l.accept();
                    Trellis.sleep(Duration.ofSeconds(2));
                    assertThatThrownBy(() -> net.connect(l.address())).hasMessageContaining("partitioned");
                    client.sendAll(bytes("hi"));
                    StreamConformance.receiveExactly(server, 2);
                    assertThat(Trellis.now()).isEqualTo(Duration.ofSeconds(5));
                    client.close();
                    server.close();
                }
            });
        }

        @Test
        void closingAListenerWakesItsAcceptWithClosedResource() {
            Sims.run(1, () -> {
                Listener l = Network.current().listen(Address.of("127.0.0.1", 0));
                Nursery.open(n -> {
                    n.start("acceptor", () -> assertThatThrownBy(l::accept).isInstanceOf(ClosedResourceException.class));
                    n.start("closer", () -> { Trellis.sleep(Duration.ofSeconds(1)); l.close(); });
                });
            });
        }
    }

    /**
     * Several tasks accepting on one listener: each connection wakes one acceptor, whatever
     * happened to the acceptors woken before it.
     */
    @Nested
    class Accepting {
        @Test
        void connectionsArrivingBeforeTheFirstWokenAcceptorRunsEachWakeOne() {
            Sims.everySeed(100, "random", () -> {
                SimNetwork net = SimNetwork.current();
                Listener l = net.listen(Address.of("127.0.0.1", 0));
                List<ByteStream> accepted = new ArrayList<>();
                Nursery.open(n -> {
                    for (int i = 0; i < 2; i++) {
                        n.start("acceptor-" + i, () -> accepted.add(l.accept()));
                    }
                    n.start("connector", () -> {
                        Trellis.sleep(Duration.ofSeconds(1));
                        // The second arrives while the acceptor the first woke may not have run yet.
                        ByteStream a = net.connect(l.address());
                        ByteStream b = net.connect(l.address());
                        a.close();
                        b.close();
                    });
                });
                assertThat(accepted).hasSize(2);
                accepted.forEach(ByteStream::close);
                l.close();
            });
        }

        @Test
        void anAcceptorCancelledJustBeforeAConnectionArrivesLeavesItToTheNext() {
            Sims.everySeed(100, "random", () -> {
                SimNetwork net = SimNetwork.current();
                Listener l = net.listen(Address.of("127.0.0.1", 0));
                List<Integer> arrived = new ArrayList<>();
                CancelScope[] scopes = new CancelScope[2];
                ByteStream[] accepted = new ByteStream[2];
                Nursery.open(n -> {
                    for (int i = 0; i < 2; i++) {
                        int me = i;
                        n.start("acceptor-" + i, () -> CancelScope.open(scope -> {
                            scopes[me] = scope;
                            arrived.add(me);
                            accepted[me] = l.accept();
                        }));
                    }
                    n.start("connector", () -> {
                        Trellis.sleep(Duration.ofSeconds(1));
                        scopes[arrived.get(0)].cancel();
                        // No checkpoint since the cancel: the cancelled acceptor has not run yet.
                        net.connect(l.address()).close();
                    });
                });
                assertThat(scopes[arrived.get(0)].cancelledCaught()).isTrue();
                assertThat(accepted[arrived.get(1)]).as("the connection went to the acceptor still waiting").isNotNull();
                accepted[arrived.get(1)].close();
                l.close();
            });
        }
    }

    @Nested
    class HandlerFailures {
        static void serveWithOneBadConnection(Network.OnHandlerFailure policy, List<String> log) throws Exception {
            Network net = Network.current();
            Listener l = net.listen(Address.of("127.0.0.1", 0));
            Nursery.open(n -> {
                n.start("server", () -> net.serve(l, stream -> {
                    byte[] b = StreamConformance.receiveExactly(stream, 1);
                    if (b[0] == 'x') {
                        throw new IllegalStateException("bad client");
                    }
                    stream.sendAll(b);
                }, policy));
                n.start("clients", () -> {
                    try (ByteStream bad = net.connect(l.address())) {
                        bad.sendAll(bytes("x"));
                        Trellis.sleep(Duration.ofSeconds(1));
                    }
                    try (ByteStream good = net.connect(l.address())) {
                        good.sendAll(bytes("y"));
                        log.add(new String(StreamConformance.receiveExactly(good, 1), StandardCharsets.UTF_8));
                    }
                    n.cancelScope().cancel();
                });
            });
        }

        @Test
        void byDefaultAHandlerFailureTakesTheServerDownAsInTrio() {
            Sims.everySeed(50, "random", () -> {
                List<String> log = new ArrayList<>();
                assertThatThrownBy(() -> serveWithOneBadConnection(Network.OnHandlerFailure.PROPAGATE, log))
                        .isInstanceOf(IllegalStateException.class).hasMessage("bad client");
                assertThat(log).isEmpty();
            });
        }

        @Test
        void optionallyOnlyTheFailingConnectionCloses() {
            Sims.everySeed(50, "random", () -> {
                List<String> log = new ArrayList<>();
                serveWithOneBadConnection(Network.OnHandlerFailure.CLOSE_CONNECTION, log);
                assertThat(log).containsExactly("y");
            });
        }
    }
}

package dev.trellis.real;

import dev.trellis.apps.Chat;
import dev.trellis.apps.EchoHandler;
import dev.trellis.real.NetworkOnBothEnginesTest.Engine;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Event;
import dev.trellis.runtime.Handler;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Network.Limits;
import dev.trellis.runtime.Network.OnHandlerFailure;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static dev.trellis.testkit.StreamConformance.receiveAll;
import static dev.trellis.testkit.StreamConformance.receiveExactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Network.Limits} and the chat's login deadline, on loopback TCP and under the simulator:
 * the limits a server that runs for weeks on a reachable port holds its peers to.
 */
@Timeout(60)
class ServeLimitsTest {
    private static final Duration IDLE = Duration.ofMillis(150);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Serves {@code handler} on {@code net} in the background while {@code clients} runs, then stops it. */
    private static void withServer(Network net, Handler handler, OnHandlerFailure onFailure, Limits limits,
                                   ClientsBody clients) throws Exception {
        try (Listener listener = net.listen(Address.of("127.0.0.1", 0))) {
            Nursery.open(server -> {
                server.start("server", () -> net.serve(listener, handler, onFailure, limits));
                clients.run(listener.address());
                server.cancelScope().cancel();
            });
        }
    }

    interface ClientsBody {
        void run(Address address) throws Exception;
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anEchoPeerThatNeverReadsLosesItsConnectionAfterTheIdleTimeoutAndTheServerGoesOn(Engine engine) throws Exception {
        engine.run(() -> {
            Network net = engine.smallBufferNetwork();
            Event ended = new Event();
            Duration[] endedAt = new Duration[1];
            Handler echo = stream -> {
                try {
                    new EchoHandler().handle(stream);
                } finally {
                    endedAt[0] = Trellis.now();
                    ended.set();
                }
            };
            // PROPAGATE: were the idle timeout a handler failure, it would stop the server and fail this test.
            withServer(net, echo, OnHandlerFailure.PROPAGATE, Limits.NONE.withIdleTimeout(IDLE), address -> {
                Duration start = Trellis.now();
                try (ByteStream flooder = net.connect(address)) {
                    Nursery.open(n -> {
                        n.start("flood", () -> {
                            try {
                                flooder.sendAll(new byte[256 << 10]);   // echoed back to a peer that never reads
                            } catch (BrokenStreamException expected) {
                                // the server gave up on us
                            }
                        });
                        ended.await();
                        n.cancelScope().cancel();
                    });
                }
                assertThat(endedAt[0].minus(start)).as("the handler ended by its idle timeout").isGreaterThanOrEqualTo(IDLE);
                try (ByteStream next = net.connect(address)) {
                    next.sendAll(bytes("still here"));
                    assertThat(receiveExactly(next, 10)).as("the server serves the next peer").isEqualTo(bytes("still here"));
                }
            });
        });
    }

    /**
     * A handler with a writer task and a reader: the writer's send times out and closes the stream
     * under the reader, whose receive then fails. That is still the idle timeout, not a failure
     * that stops a PROPAGATE server.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void anIdleTimeoutInOneTaskOfAHandlerIsNoFailureForItsOtherTasks(Engine engine) throws Exception {
        engine.run(() -> {
            Network net = engine.smallBufferNetwork();
            Event ended = new Event();
            Handler duplex = stream -> {
                try {
                    Nursery.open(n -> {
                        n.start("writer", () -> {
                            try {
                                while (true) {
                                    stream.sendAll(new byte[64 << 10]);
                                }
                            } catch (BrokenStreamException peerGone) {
                                // the writer's own way of ending: quietly
                            }
                        });
                        while (stream.receiveSome(16).length > 0) {
                            // the peer's trickle
                        }
                    });
                } finally {
                    ended.set();
                }
            };
            withServer(net, duplex, OnHandlerFailure.PROPAGATE, Limits.NONE.withIdleTimeout(IDLE), address -> {
                try (ByteStream trickler = net.connect(address)) {
                    Nursery.open(n -> {
                        n.start("trickle", () -> {
                            try {
                                while (true) {
                                    trickler.sendAll(bytes("."));   // never idle, never reads
                                    Trellis.sleep(IDLE.dividedBy(4));
                                }
                            } catch (BrokenStreamException gone) {
                                // the server closed us
                            }
                        });
                        ended.await();
                        n.cancelScope().cancel();
                    });
                }
                Trellis.sleep(IDLE);   // were the handler's end a failure, it would stop the server by now
            });
        });
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aPeerThatGoesQuietIsClosedAfterTheIdleTimeout(Engine engine) throws Exception {
        engine.run(() -> {
            Network net = Network.current();
            withServer(net, new EchoHandler(), OnHandlerFailure.PROPAGATE, Limits.NONE.withIdleTimeout(IDLE), address -> {
                try (ByteStream quiet = net.connect(address)) {
                    quiet.sendAll(bytes("hi"));
                    assertThat(receiveExactly(quiet, 2)).isEqualTo(bytes("hi"));
                    Duration lastWord = Trellis.now();
                    byte[] rest;
                    try {
                        rest = receiveAll(quiet);
                    } catch (BrokenStreamException reset) {
                        rest = new byte[0];   // a close with unread data is a reset on TCP
                    }
                    assertThat(rest).isEmpty();
                    assertThat(Trellis.now().minus(lastWord)).as("closed by the idle timeout, not before").isGreaterThanOrEqualTo(IDLE);
                }
            });
        });
    }

    /** A peer that gets one byte, holds its connection for a while and closes it; counts the handlers open at once. */
    private static int mostOpenAtOnce(Limits limits, int peers) throws Exception {
        Network net = Network.current();
        int[] open = {0};
        int[] most = {0};
        int[] served = {0};
        Handler holding = stream -> {
            open[0]++;
            most[0] = Math.max(most[0], open[0]);
            try {
                stream.sendAll(bytes("!"));
                receiveAll(stream);
            } finally {
                open[0]--;
            }
        };
        withServer(net, holding, OnHandlerFailure.PROPAGATE, limits, address -> Nursery.open(clients -> {
            for (int i = 0; i < peers; i++) {
                clients.start("peer-" + i, () -> {
                    try (ByteStream peer = net.connect(address)) {
                        receiveExactly(peer, 1);
                        served[0]++;
                        Trellis.sleep(Duration.ofMillis(200));
                    }
                });
            }
        }));
        assertThat(served[0]).as("every peer is served in the end").isEqualTo(peers);
        return most[0];
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void atTheConnectionCapTheServerWaitsForAConnectionToCloseBeforeAcceptingAnother(Engine engine) throws Exception {
        engine.run(() -> {
            assertThat(mostOpenAtOnce(Limits.NONE.withMaxConnections(2), 4)).isEqualTo(2);
            assertThat(mostOpenAtOnce(Limits.NONE, 4)).as("the control: no cap, all at once").isEqualTo(4);
        });
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theChatSaysGoodbyeToAPeerThatDoesNotLogInInTimeAndKeepsOneThatDid(Engine engine) throws Exception {
        Duration deadline = Duration.ofMillis(200);
        byte[] prompt = bytes("<meta>: Please enter username: ");
        engine.run(() -> {
            Network net = Network.current();
            Chat chat = new Chat(Chat.DEFAULT_MAX_LINE, Chat.DEFAULT_OUTBOX, deadline);
            withServer(net, chat, OnHandlerFailure.CLOSE_CONNECTION, Limits.NONE, address -> {
                try (ByteStream ann = net.connect(address); ByteStream lurker = net.connect(address)) {
                    Duration connected = Trellis.now();
                    assertThat(receiveExactly(ann, prompt.length)).isEqualTo(prompt);
                    ann.sendAll(bytes("ann\n"));
                    assertThat(receiveExactly(ann, 21)).isEqualTo(bytes("<meta>: Welcome ann.\n"));

                    assertThat(new String(receiveAll(lurker), StandardCharsets.UTF_8))
                            .isEqualTo("<meta>: Please enter username: <meta>: You did not log in in time; goodbye.\n");
                    assertThat(Trellis.now().minus(connected)).isGreaterThanOrEqualTo(deadline);

                    Trellis.sleep(deadline);
                    try (ByteStream bob = net.connect(address)) {
                        receiveExactly(bob, prompt.length);
                        bob.sendAll(bytes("bob\n"));
                        assertThat(receiveExactly(ann, 20)).as("ann, logged in, outlived the deadline")
                                .isEqualTo(bytes("<meta>: bob joined.\n"));
                    }
                }
            });
        });
    }

    @Test
    void limitsRefuseNonsense() {
        assertThatThrownBy(() -> Limits.NONE.withMaxConnections(0)).hasMessageContaining("maxConnections must be at least 1");
        assertThatThrownBy(() -> Limits.NONE.withIdleTimeout(Duration.ZERO)).hasMessageContaining("idleTimeout must be positive");
        assertThatThrownBy(() -> new Chat(10, 10, Duration.ofSeconds(-1))).hasMessageContaining("loginDeadline must be positive");
    }
}

package dev.trellis.real;

import dev.trellis.apps.Chat;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.spi.Kernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Chat} on the real runtime over loopback, against peers that misbehave: invalid UTF-8, a
 * 1 MiB line, control characters, 500 connections at once, clients that never read. In each, two
 * well-behaved users, alice and bob, are served throughout and get exactly the lines they were
 * sent, in order. The server is served with {@code PROPAGATE}, so any handler failure fails the
 * test. No timing is asserted; every wait is bounded generously.
 */
@Timeout(120)
class ChatAbuseOverTcpTest {
    private static final Duration PATIENT = Duration.ofSeconds(30);
    private static final String PROMPT = "<meta>: Please enter username: ";
    private static final String INVALID = "<meta>: Names are 1 to 32 printable characters, not starting with < and without >. Please enter another: ";
    private static final String FFFD = "\uFFFD";

    /** What a test does to the chat between alice and bob logging in and their last exchange. */
    @FunctionalInterface
    private interface Abuse {
        void run(Network net, Address at, Client alice, Client bob) throws Exception;
    }

    @Test
    void invalidUtf8IsRefusedInANameAndReplacedInAMessage() throws Exception {
        withChat(0, (net, at, alice, bob) -> {
            try (Client mallory = new Client("mallory", net.connect(at))) {
                mallory.expect(PROMPT);
                mallory.sendBytes(new byte[] {'m', (byte) 0xC3, '\n'});   // a truncated two-byte sequence
                mallory.expect(INVALID);
                mallory.send("mallory");
                mallory.expect("<meta>: Welcome mallory.\n");
                alice.expect("<meta>: mallory joined.\n");
                bob.expect("<meta>: mallory joined.\n");
                mallory.sendBytes(new byte[] {'a', (byte) 0xFF, 'b', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'});
                for (Client c : List.of(alice, bob)) {
                    c.expect("<mallory> : a" + FFFD + "b" + FFFD + "\n");   // Java decodes an encoded surrogate as one malformed sequence
                }
            }
            alice.expect("<meta>: mallory left\n");
            bob.expect("<meta>: mallory left\n");
        });
    }

    @Test
    void aMebibyteLineIsDroppedWithANoticeBeforeAndAfterLogin() throws Exception {
        byte[] huge = new byte[(1 << 20) + 1];
        Arrays.fill(huge, (byte) 'x');
        huge[huge.length - 1] = '\n';
        withChat(0, (net, at, alice, bob) -> {
            try (Client mallory = new Client("mallory", net.connect(at))) {
                mallory.expect(PROMPT);
                mallory.sendBytes(huge);
                mallory.expect("<meta>: Line too long. Please enter another: ");
                mallory.send("mallory");
                mallory.expect("<meta>: Welcome mallory.\n");
                alice.expect("<meta>: mallory joined.\n");
                bob.expect("<meta>: mallory joined.\n");
                mallory.sendBytes(huge);
                mallory.send("short");
                mallory.expect("<meta>: Line too long (max 1024 bytes); dropped.\n");
                alice.expect("<mallory> : short\n");
                bob.expect("<mallory> : short\n");
            }
            alice.expect("<meta>: mallory left\n");
            bob.expect("<meta>: mallory left\n");
        });
    }

    @Test
    void controlCharactersAreRefusedInANameAndReplacedInAMessage() throws Exception {
        withChat(0, (net, at, alice, bob) -> {
            try (Client mallory = new Client("mallory", net.connect(at))) {
                mallory.expect(PROMPT);
                mallory.send("\u001b[2Jevil");
                mallory.expect(INVALID);
                mallory.send("mallory");
                mallory.expect("<meta>: Welcome mallory.\n");
                alice.expect("<meta>: mallory joined.\n");
                bob.expect("<meta>: mallory joined.\n");
                mallory.send("\u0000\u0007\t\u001b[31mred\u007f\u0085\rend\r");
                for (Client c : List.of(alice, bob)) {
                    c.expect("<mallory> : " + FFFD.repeat(4) + "[31mred" + FFFD.repeat(3) + "end\n");
                }
            }
            alice.expect("<meta>: mallory left\n");
            bob.expect("<meta>: mallory left\n");
        });
    }

    @Test
    void fiveHundredConnectionsLogInAndAMessageReachesAWatcher() throws Exception {
        int n = 500;
        withChat(0, (net, at, alice, bob) -> {
            List<Client> crowd = new ArrayList<>();
            try {
                Nursery.open(logins -> {
                    for (int i = 0; i < n; i++) {
                        Client c = new Client("u" + i, net.connect(at));
                        crowd.add(c);
                        logins.start("login-" + i, () -> {
                            c.expect(PROMPT);
                            c.send(c.name);
                            c.expect("<meta>: Welcome " + c.name + ".\n");
                        });
                    }
                });
                Set<String> joined = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    joined.add("<meta>: u" + i + " joined.\n");
                }
                assertThat(alice.lines(n)).as("alice hears every join once").containsExactlyInAnyOrderElementsOf(joined);
                assertThat(bob.lines(n)).as("bob hears every join once").containsExactlyInAnyOrderElementsOf(joined);
                alice.send("hello, crowd");
                bob.expect("<alice> : hello, crowd\n");
                Client watcher = crowd.get(0);
                for (String line = watcher.line(); !line.equals("<alice> : hello, crowd\n"); line = watcher.line()) {
                    assertThat(line).as("what the first of the crowd hears before alice's line").endsWith(" joined.\n");
                }
            } finally {
                crowd.forEach(Client::close);
            }
            Set<String> left = new HashSet<>();
            for (int i = 0; i < n; i++) {
                left.add("<meta>: u" + i + " left\n");
            }
            // A peer that closes with unread lines resets its connection; in the storm of 500 leaves
            // its outbox may fill before its writer meets the reset, and the room calls it too slow.
            for (Client c : List.of(alice, bob)) {
                assertThat(c.lines(n)).as(c.name + " hears every leave once")
                        .map(line -> line.replace(" left (too slow)\n", " left\n"))
                        .containsExactlyInAnyOrderElementsOf(left);
            }
        });
    }

    @Test
    void clientsThatNeverReadAreDroppedWhileTheOthersGetEveryLine() throws Exception {
        int lines = 400;
        String text = "p".repeat(1000);
        withChat(4096, (net, at, alice, bob) -> {
            try (Client lurker = new Client("lurker", net.connect(at));
                 Client mallory = new Client("mallory", net.connect(at))) {
                // The lurker never even logs in; mallory logs in and then never reads.
                mallory.expect(PROMPT);
                mallory.send("mallory");
                mallory.expect("<meta>: Welcome mallory.\n");
                alice.expect("<meta>: mallory joined.\n");
                bob.expect("<meta>: mallory joined.\n");
                Nursery.open(both -> {
                    both.start("bob-reads", () -> {
                        List<String> got = bob.lines(lines + 1);
                        assertThat(got).containsOnlyOnce("<meta>: mallory left (too slow)\n");
                        List<String> said = new ArrayList<>(got);
                        said.remove("<meta>: mallory left (too slow)\n");
                        List<String> want = new ArrayList<>();
                        for (int i = 0; i < lines; i++) {
                            want.add("<alice> : " + i + text + "\n");
                        }
                        assertThat(said).as("bob gets every line of alice's, in order").isEqualTo(want);
                    });
                    for (int i = 0; i < lines; i++) {
                        alice.send(i + text);
                    }
                });
                alice.expect("<meta>: mallory left (too slow)\n");
                assertThat(mallory.drain()).as("mallory's connection was closed").isTrue();
            }
        });
    }

    /**
     * Serves a {@link Chat} on loopback (sockets of {@code buffer} bytes, 0 for the system's),
     * logs alice and bob in, runs {@code abuse}, then checks both are still served.
     */
    private static void withChat(int buffer, Abuse abuse) throws Exception {
        RealRuntime.run(() -> {
            Network net = buffer == 0 ? Network.current()
                    : ((RealKernel) Kernel.current("test").kernel()).network(TcpNetwork.SYSTEM_RESOLVER, buffer);
            Nursery.open(nursery -> {
                Address at = nursery.startAndWait("server", status -> {
                    try (Listener listener = net.listen(Address.of("127.0.0.1", 0))) {
                        status.started(listener.address());
                        net.serve(listener, new Chat(), Network.OnHandlerFailure.PROPAGATE);
                    }
                });
                CancelScope.failAfter(PATIENT, () -> {
                    try (Client alice = Client.login(net, at, "alice"); Client bob = Client.login(net, at, "bob")) {
                        alice.expect("<meta>: bob joined.\n");
                        abuse.run(net, at, alice, bob);
                        alice.send("still here");
                        bob.expect("<alice> : still here\n");
                        bob.send("me too");
                        alice.expect("<bob> : me too\n");
                    }
                });
                nursery.cancelScope().cancel();
            });
            return null;
        });
    }

    /** A scripted client: a connection, and the bytes received but not yet expected. */
    private static final class Client implements AutoCloseable {
        final String name;
        final ByteStream stream;
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        final byte[] buf = new byte[8192];

        Client(String name, ByteStream stream) {
            this.name = name;
            this.stream = stream;
        }

        static Client login(Network net, Address at, String name) {
            Client c = new Client(name, net.connect(at));
            c.expect(PROMPT);
            c.send(name);
            c.expect("<meta>: Welcome " + name + ".\n");
            return c;
        }

        void send(String line) {
            sendBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        void sendBytes(byte[] data) {
            stream.sendAll(data);
        }

        /** Receives until {@code text} has arrived; fails if anything else came first. */
        void expect(String text) {
            if (text.endsWith("\n")) {
                assertThat(line()).as(name + " expected").isEqualTo(text);
                return;
            }
            byte[] want = text.getBytes(StandardCharsets.UTF_8);
            fill(want.length);
            byte[] got = take(want.length);
            assertThat(new String(got, StandardCharsets.UTF_8)).as(name + " expected").isEqualTo(text);
        }

        /** The next line, with its {@code \n}. */
        String line() {
            while (true) {
                byte[] have = pending.toByteArray();
                for (int i = 0; i < have.length; i++) {
                    if (have[i] == '\n') {
                        return new String(take(i + 1), StandardCharsets.UTF_8);
                    }
                }
                fill(have.length + 1);
            }
        }

        List<String> lines(int n) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(line());
            }
            return out;
        }

        /** Reads to the end of the stream; true if the server closed it (cleanly or by a reset). */
        boolean drain() {
            try {
                while (stream.receiveSome(buf, 0, buf.length) > 0) {
                    // discard
                }
            } catch (BrokenStreamException reset) {
                // a close with unread data is a reset: closed all the same
            }
            return true;
        }

        private void fill(int size) {
            while (pending.size() < size) {
                int n = stream.receiveSome(buf, 0, buf.length);
                assertThat(n).as(name + ": the server closed after [" + pending.toString(StandardCharsets.UTF_8) + "]")
                        .isPositive();
                pending.write(buf, 0, n);
            }
        }

        private byte[] take(int n) {
            byte[] all = pending.toByteArray();
            pending.reset();
            pending.write(all, n, all.length - n);
            return Arrays.copyOf(all, n);
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}

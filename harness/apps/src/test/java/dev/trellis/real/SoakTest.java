package dev.trellis.real;

import dev.trellis.apps.Chat;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.ClosedResourceException;
import dev.trellis.runtime.Handler;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Network.Limits;
import dev.trellis.runtime.Network.OnHandlerFailure;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.sim.Durations;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat served on loopback by the real runtime while rounds of clients churn: they connect,
 * log in, talk reading under deadlines, reset with unread data, vanish before logging in or
 * halfway through a name. Between rounds, once the server holds no connection, it samples heap
 * after GC, live tasks, held timers, open descriptors and threads; from the first tenth of the
 * run to its end none may grow. {@code -Dtrellis.soak=10m} runs it for longer (CI: 12 s).
 */
class SoakTest {
    private static final int CLIENTS_PER_ROUND = 24;

    record Sample(int round, long heapBytes, int tasks, int timers, long fds, int threads) {
        @Override
        public String toString() {
            return "round %d: heap %.1f MiB, %d tasks, %d timers, %d fds, %d threads"
                    .formatted(round, heapBytes / 1048576.0, tasks, timers, fds, threads);
        }
    }

    @Test
    void theChatServesChurningClientsWithoutGrowing() throws Exception {
        Duration length = Durations.parse(System.getProperty("trellis.soak", "12s"));
        // Only two samples are kept: a list of every round's would itself grow the heap it measures.
        Sample[] tenthAndLast = new Sample[2];
        int[] rounds = {0};
        long[] connections = {0};
        RealRuntime.run(() -> {
            RealKernel kernel = (RealKernel) Kernel.current("soak").kernel();
            Network net = Network.current();
            int[] open = {0};
            Chat chat = new Chat(256, 16, Duration.ofSeconds(2));
            Handler counted = stream -> {
                open[0]++;
                connections[0]++;
                try {
                    chat.handle(stream);
                } finally {
                    open[0]--;
                }
            };
            try (Listener listener = net.listen(Address.of("127.0.0.1", 0))) {
                Nursery.open(server -> {
                    server.start("server", () -> net.serve(listener, counted, OnHandlerFailure.CLOSE_CONNECTION,
                            Limits.NONE.withMaxConnections(256).withIdleTimeout(Duration.ofSeconds(5))));
                    Duration start = Trellis.now();
                    Duration end = start.plus(length);
                    long lastLine = System.nanoTime();
                    for (int round = 0; round < 10 || Trellis.now().compareTo(end) < 0; round++) {
                        churn(net, listener.address(), round);
                        CancelScope settled = CancelScope.moveOnAfter(Duration.ofSeconds(10), () -> {
                            while (open[0] > 0) {
                                Trellis.sleep(Duration.ofMillis(2));
                            }
                        });
                        assertThat(settled.cancelledCaught()).as("connections still open 10 s after round %d: %d", round, open[0]).isFalse();
                        Sample now = sample(round, kernel);
                        tenthAndLast[1] = now;
                        rounds[0] = round + 1;
                        if (tenthAndLast[0] == null && round >= 1 && Trellis.now().minus(start).compareTo(length.dividedBy(10)) >= 0) {
                            tenthAndLast[0] = now;
                        }
                        if (System.nanoTime() - lastLine > 3_000_000_000L) {   // a line every few seconds in CI
                            System.out.println("soak: " + now + ", " + connections[0] + " connections so far");
                            lastLine = System.nanoTime();
                        }
                    }
                    server.cancelScope().cancel();
                });
            }
            return null;
        });
        Sample last = tenthAndLast[1];
        Sample tenth = tenthAndLast[0] != null ? tenthAndLast[0] : last;
        System.out.println("soak over " + length + ": " + rounds[0] + " rounds, " + connections[0]
                + " connections; first tenth " + tenth + "; end " + last);
        assertThat(last.tasks()).as("live tasks at the end vs the first tenth").isLessThanOrEqualTo(tenth.tasks());
        assertThat(last.timers()).as("held timers").isLessThanOrEqualTo(tenth.timers() + 64);
        assertThat(last.fds()).as("open file descriptors").isLessThanOrEqualTo(tenth.fds() + 8);
        assertThat(last.threads()).as("threads").isLessThanOrEqualTo(tenth.threads() + 4);
        assertThat(last.heapBytes()).as("heap after GC").isLessThanOrEqualTo(tenth.heapBytes() + (16L << 20));
    }

    /** One round: every kind of client at once, each in its own task. */
    private static void churn(Network net, Address address, int round) throws Exception {
        Nursery.open(clients -> {
            for (int i = 0; i < CLIENTS_PER_ROUND; i++) {
                String name = "u" + round + "_" + i;
                int kind = i % 4;
                clients.start(name, () -> {
                    try (ByteStream s = net.connect(address)) {
                        switch (kind) {
                            case 0 -> talk(s, name);
                            case 1 -> { }   // vanishes before logging in
                            case 2 -> {      // logs in, talks and resets with what it was sent unread
                                s.sendAll(bytes(name + "\nhello from " + name + "\n"));
                                Trellis.sleep(Duration.ofMillis(5));
                            }
                            default -> s.sendAll(bytes(name.substring(0, 2)));   // half a name, then gone
                        }
                    } catch (BrokenStreamException | ClosedResourceException e) {
                        // the server may close first (a reset peer's neighbour, a slow reader): churn goes on
                    }
                });
            }
        });
    }

    /** Logs in, says three lines and reads what comes, each read under a deadline. */
    private static void talk(ByteStream s, String name) throws Exception {
        s.sendAll(bytes(name + "\n"));
        for (int i = 0; i < 3; i++) {
            s.sendAll(bytes("line " + i + " from " + name + "\n"));
            CancelScope.moveOnAfter(Duration.ofMillis(20), () -> s.receiveSome(4096));
        }
        s.sendEof();
        CancelScope.moveOnAfter(Duration.ofMillis(200), () -> {
            while (s.receiveSome(4096).length > 0) {
                // drain until the server closes
            }
        });
    }

    private static Sample sample(int round, RealKernel kernel) throws IOException {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return new Sample(round, rt.totalMemory() - rt.freeMemory(), kernel.liveTasks(), kernel.heldTimers(),
                openDescriptors(), Thread.getAllStackTraces().size());
    }

    /** Open file descriptors of this JVM where /proc says (Linux); 0 elsewhere, where they are not compared. */
    private static long openDescriptors() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return 0;
        }
        try (var list = Files.list(fds)) {
            return list.count();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

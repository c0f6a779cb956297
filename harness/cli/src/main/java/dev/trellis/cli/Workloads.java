package dev.trellis.cli;

import dev.trellis.apps.Chat;
import dev.trellis.apps.EchoHandler;
import dev.trellis.check.ChatHistory;
import dev.trellis.check.ChatInvariants;
import dev.trellis.check.HistoryInvariant;
import dev.trellis.runtime.Network;
import dev.trellis.testkit.ChatWorkload;
import dev.trellis.runtime.Body;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.Channel;
import dev.trellis.runtime.Event;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.streams.MemoryStreams;
import dev.trellis.streams.StreamOptions;
import dev.trellis.testkit.StreamConformance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The programs {@code trellis bench} measures, each a fresh execution per seed. */
final class Workloads {
    record Workload(String name, String description, Body body) {}

    private Workloads() {}

    static List<Workload> all() {
        return List.of(
                new Workload("pingpong-10", "two tasks, ten messages each way over an unbuffered Channel", Workloads::pingPong),
                new Workload("fanout-1000", "1,000 children sleep a random virtual time, the last sets an Event",
                        () -> fanOut(1_000)),
                new Workload("fanout-10000", "10,000 children sleep a random virtual time, the last sets an Event",
                        () -> fanOut(10_000)),
                new Workload("echo-10", "a client sends ten messages over a memory stream pair to an echo handler and "
                        + "checks each reply", () -> echo(StreamOptions.plain())),
                new Workload("echo-10-adv", "echo-10 over an adversarial pair: 4 KiB buffers, receives of random size",
                        () -> echo(StreamOptions.adversarial())),
                new Workload("chat-3x5", "the robust chat over SimNetwork: 3 users log in and send 5 lines each at "
                        + "drawn times, every chat invariant checked on the history", Workloads::chat),
                new Workload("deadlines-1000", "1,000 clients, each under its own 10 s idle deadline; one in four "
                        + "hears a message first and moves its deadline on; every deadline fires in the end",
                        () -> deadlines(1_000)),
                new Workload("sleepers-1000", "deadlines-1000 without its cancel scopes: each client sleeps "
                        + "through its idle time instead, the control for what the scopes cost", () -> sleepers(1_000)),
                new Workload("deadlines-10000", "deadlines-1000 with 10,000 clients: the cost per decision must not "
                        + "grow with the number of scopes", () -> deadlines(10_000)));
    }

    /** How long a client of {@link #deadlines} may stay silent before its idle deadline fires. */
    static final Duration IDLE = Duration.ofSeconds(10);

    /**
     * A chat server's idle timeouts: {@code clients} tasks connect at random times in the first
     * second, each under a cancel scope of its own whose deadline is {@link #IDLE} away. One in
     * four hears a message before the deadline, which moves the deadline {@code IDLE} on (trio's
     * {@code scope.deadline = current_time() + idle}); then each waits on its own connection, which
     * stays silent, until its deadline cancels the wait. The run ends when every client has.
     */
    static void deadlines(int clients) throws Exception {
        Nursery.open(n -> {
            for (int i = 0; i < clients; i++) {
                n.start("client", () -> {
                    Trellis.sleep(Duration.ofMillis(Trellis.random(1_000)));
                    Event silent = new Event();
                    CancelScope idle = CancelScope.open(scope -> {
                        scope.setDeadline(Trellis.now().plus(IDLE));
                        if (Trellis.random(4) == 0) {
                            Trellis.sleep(Duration.ofMillis(Trellis.random(IDLE.toMillis())));
                            scope.setDeadline(Trellis.now().plus(IDLE));
                        }
                        silent.await();
                    });
                    if (!idle.cancelledCaught()) {
                        throw new AssertionError("a silent client outlived its idle deadline");
                    }
                });
            }
        });
    }

    /**
     * {@link #deadlines} with no cancel scope: the same tasks, the same draws, the same timers,
     * but each client sleeps out its idle time instead of being cancelled at its deadline. What
     * {@code deadlines-1000} costs beyond this is what the cancel scopes cost.
     */
    static void sleepers(int clients) throws Exception {
        Nursery.open(n -> {
            for (int i = 0; i < clients; i++) {
                n.start("client", () -> {
                    Trellis.sleep(Duration.ofMillis(Trellis.random(1_000)));
                    Event silent = new Event();
                    if (Trellis.random(4) == 0) {
                        Trellis.sleep(Duration.ofMillis(Trellis.random(IDLE.toMillis())));
                    }
                    Trellis.sleep(IDLE);
                    if (silent.isSet()) {
                        throw new AssertionError("nobody sets a client's event");
                    }
                });
            }
        });
    }

    static void echo(StreamOptions options) throws Exception {
        ByteStream[] pair = MemoryStreams.pair(options);
        Nursery.open(n -> {
            n.start("echo", () -> {
                try (ByteStream s = pair[1]) {
                    new EchoHandler().handle(s);
                }
            });
            n.start("client", () -> {
                try (ByteStream s = pair[0]) {
                    byte[] reply = new byte[32];
                    for (int i = 0; i < 10; i++) {
                        byte[] msg = ("message " + i).getBytes(StandardCharsets.US_ASCII);
                        s.sendAll(msg);
                        StreamConformance.receiveExactly(s, reply, msg.length);
                        if (!Arrays.equals(msg, 0, msg.length, reply, 0, msg.length)) {
                            throw new AssertionError("echo changed the bytes");
                        }
                    }
                }
            });
        });
    }

    /** The chat-3x5 users: each logs in at a drawn time in the first 30 ms, then speaks every 40 ms. */
    static void chat() throws Exception {
        ChatWorkload w = new ChatWorkload(Duration.ofSeconds(1));
        for (String name : List.of("alice", "bob", "carol")) {
            ChatWorkload.Send[] sends = new ChatWorkload.Send[5];
            for (int i = 0; i < 5; i++) {
                sends[i] = ChatWorkload.line(100 + 40 * i + 10 * (int) Trellis.random(3), name + " says " + i);
            }
            w.user(name, 10 * (int) Trellis.random(3), sends);
        }
        HistoryInvariant.verify(w.run(Chat::new, Network.OnHandlerFailure.CLOSE_CONNECTION), CHAT_RULES);
    }

    private static final List<HistoryInvariant<ChatHistory>> CHAT_RULES =
            ChatInvariants.all(ChatInvariants.Limits.simulated());

    static void pingPong() throws Exception {
        Channel<Integer> ping = Channel.unbuffered();
        Channel<Integer> pong = Channel.unbuffered();
        Nursery.open(n -> {
            n.start("pinger", () -> {
                for (int i = 0; i < 10; i++) {
                    ping.send(i);
                    if (pong.receive() != i) {
                        throw new AssertionError("pong out of order");
                    }
                }
            });
            n.start("ponger", () -> {
                for (int i = 0; i < 10; i++) {
                    pong.send(ping.receive());
                }
            });
        });
    }

    static void fanOut(int children) throws Exception {
        Event allDone = new Event();
        int[] remaining = {children};
        Nursery.open(n -> {
            for (int i = 0; i < children; i++) {
                n.start("child", () -> {
                    Trellis.sleep(Duration.ofMillis(Trellis.random(1_000)));
                    if (--remaining[0] == 0) {
                        allDone.set();
                    }
                });
            }
            allDone.await();
        });
    }
}

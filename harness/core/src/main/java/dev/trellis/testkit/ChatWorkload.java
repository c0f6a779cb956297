package dev.trellis.testkit;

import dev.trellis.check.ChatHistory;
import dev.trellis.check.ConnectionLog;
import dev.trellis.check.HistoryInvariant;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.Body;
import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.ConnectException;
import dev.trellis.runtime.Handler;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.SimNetwork;
import dev.trellis.streams.StreamOptions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Scripted chat users against a chat server, recorded into a {@link ChatHistory}: each user
 * connects when its first send is due, sends each piece at its virtual (or real) time, and, while a
 * task of its own reads everything it is sent. Users acting at the same time race, and under the
 * simulator the seed decides how; the simulator runs everything ready before its clock moves, so
 * users at different times never do. The same workload runs on the real runtime over loopback TCP.
 *
 * {@snippet :
 * ChatWorkload w = new ChatWorkload(Duration.ofSeconds(1))
 *         .user("alice", 0, ChatWorkload.line(100, "hi"))
 *         .user("bob", 10);
 * Simulation.explore(w.body(Chat::new, Network.OnHandlerFailure.CLOSE_CONNECTION,
 *         ChatInvariants.all(ChatInvariants.Limits.simulated())), 0, 10_000, SimConfig.defaults()).orThrow();
 * }
 */
public final class ChatWorkload {
    /** What a user does at a time: send {@code data}, or end its stream ({@link #eof}) or close it ({@link #close}). */
    public record Send(Duration at, byte[] data, Kind kind) {
        public enum Kind { DATA, EOF, CLOSE }
    }

    /**
     * One user: a label for reports, its sends (the first is its login), when it starts reading
     * ({@code null}: never; zero: at once), and stream options of its own connection (simulator
     * only; null for the network's).
     */
    public record User(String label, List<Send> sends, Duration readsFrom, StreamOptions link) {
        public User {
            sends = List.copyOf(sends);
            if (sends.isEmpty()) {
                throw new IllegalArgumentException(label + ": a user needs at least one send, its login");
            }
        }

        public boolean reads() {
            return readsFrom != null;
        }
    }

    private final Duration end;
    private final List<User> users = new ArrayList<>();
    private StreamOptions streams;
    private volatile ChatHistory last;

    /** A workload whose server stops at {@code end}, and its users a moment later. */
    public ChatWorkload(Duration end) {
        this.end = end;
    }

    /** The simulated network's stream options for this workload (ignored on real TCP). */
    public ChatWorkload streams(StreamOptions options) {
        this.streams = options;
        return this;
    }

    /** A user who logs in with {@code name} at {@code loginMs}, then sends {@code more}, and reads throughout. */
    public ChatWorkload user(String name, int loginMs, Send... more) {
        return add(new User(name, concat(line(loginMs, name), more), Duration.ZERO, null));
    }

    /** A user who logs in and never reads a byte. */
    public ChatWorkload silentUser(String name, int loginMs, Send... more) {
        return add(new User(name, concat(line(loginMs, name), more), null, null));
    }

    /** A user who logs in and reads nothing before {@code readsFromMs}. */
    public ChatWorkload pausedUser(String name, int loginMs, int readsFromMs, Send... more) {
        return add(new User(name, concat(line(loginMs, name), more), Duration.ofMillis(readsFromMs), null));
    }

    /** A user whose sends are all given, login included (raw bytes, a taken name), under {@code label}. */
    public ChatWorkload rawUser(String label, Send... sends) {
        return add(new User(label, List.of(sends), Duration.ZERO, null));
    }

    /** Any user. */
    public ChatWorkload add(User user) {
        if (users.stream().anyMatch(u -> u.label().equals(user.label()))) {
            throw new IllegalArgumentException("two users labelled '" + user.label() + "'");
        }
        users.add(user);
        return this;
    }

    public List<User> users() {
        return List.copyOf(users);
    }

    public Duration end() {
        return end;
    }

    /** {@code text} and a newline, at {@code ms}. */
    public static Send line(int ms, String text) {
        return bytes(ms, (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static Send bytes(int ms, byte[] data) {
        return new Send(Duration.ofMillis(ms), data.clone(), Send.Kind.DATA);
    }

    /** End-of-stream (a half-close: the user still reads). */
    public static Send eof(int ms) {
        return new Send(Duration.ofMillis(ms), null, Send.Kind.EOF);
    }

    /** Closes the connection outright, perhaps in the middle of a line. */
    public static Send close(int ms) {
        return new Send(Duration.ofMillis(ms), null, Send.Kind.CLOSE);
    }

    /** The history of the last run that got to its end. */
    public ChatHistory lastHistory() {
        return last;
    }

    /**
     * The workload as a body: serves {@code server} on the current network with {@code onFailure},
     * runs the users, stops the server at {@link #end()} and the users just after, then checks
     * {@code rules} on the history (a broken rule throws {@link dev.trellis.check.HistoryViolation}).
     */
    public Body body(Supplier<? extends Handler> server, Network.OnHandlerFailure onFailure,
                     List<? extends HistoryInvariant<? super ChatHistory>> rules) {
        return () -> HistoryInvariant.verify(run(server, onFailure), rules);
    }

    /** Runs the workload once in the current run and returns its history. */
    public ChatHistory run(Supplier<? extends Handler> server, Network.OnHandlerFailure onFailure) throws Exception {
        Network net = Network.current();
        if (streams != null && net instanceof SimNetwork sim) {
            sim.defaultStreams(streams);
        }
        Duration start = Trellis.now();
        List<ChatHistory.Client> clients = new ArrayList<>();
        Nursery.open(world -> {
            // The server stops first, at its own deadline, and the users a moment later: were the users
            // cancelled first, their closing streams would break handlers still sending to them.
            Address address = world.startAndWait("server", status -> {
                try (Listener listener = net.listen(Address.of("127.0.0.1", 0))) {
                    status.started(listener.address());
                    CancelScope.moveOnAt(start.plus(end), () -> net.serve(listener, server.get(), onFailure));
                }
            });
            for (User u : users) {
                ConnectionLog log = new ConnectionLog(u.label());
                clients.add(new ChatHistory.Client(log, u.reads() ? start.plus(u.readsFrom()).toNanos() : -1));
                world.start(u.label(), () -> play(net, address, u, log, start));
            }
            sleepUntil(start.plus(end).plusMillis(1));
            world.cancelScope().cancel();
        });
        ChatHistory history = new ChatHistory(clients, start.plus(end).toNanos());
        last = history;
        return history;
    }

    /** One user's life. A user whose connection breaks stops quietly: the rules judge what it saw. */
    private void play(Network net, Address address, User u, ConnectionLog log, Duration start) throws Exception {
        sleepUntil(start.plus(u.sends().get(0).at()));
        ByteStream raw;
        try {
            raw = u.link() == null ? net.connect(address) : simulated(net, u).connect(address, u.link());
        } catch (ConnectException refused) {
            log.broke(refused);
            return;
        }
        try (ByteStream stream = log.record(raw)) {
            Nursery.open(user -> {
                if (u.reads()) {
                    user.start(u.label() + "-reads", () -> read(stream, start.plus(u.readsFrom())));
                }
                try {
                    for (Send s : u.sends()) {
                        sleepUntil(start.plus(s.at()));
                        switch (s.kind()) {
                            case DATA -> stream.sendAll(s.data());
                            case EOF -> stream.sendEof();
                            case CLOSE -> {
                                user.cancelScope().cancel();
                                return;
                            }
                        }
                    }
                    if (!u.reads()) {
                        Trellis.sleep(end.multipliedBy(2));   // connected and deaf until the world stops it
                    }
                } catch (BrokenStreamException broken) {
                    // the connection broke (the log noted it): this user says no more
                }
            });
        }
    }

    private static void read(ByteStream stream, Duration from) {
        sleepUntil(from);
        byte[] buf = new byte[4096];
        try {
            while (stream.receiveSome(buf, 0, buf.length) > 0) {
                // the log keeps what arrived
            }
        } catch (BrokenStreamException broken) {
            // the connection broke (the log noted it): this user hears no more
        }
    }

    private static SimNetwork simulated(Network net, User u) {
        if (net instanceof SimNetwork sim) {
            return sim;
        }
        throw new IllegalStateException(u.label() + " has stream options of its own, which only the simulator's "
                + "network can give; over real TCP script a close(ms) instead");
    }

    private static void sleepUntil(Duration at) {
        Duration wait = at.minus(Trellis.now());
        if (wait.isPositive()) {
            Trellis.sleep(wait);
        }
    }

    private static List<Send> concat(Send first, Send... more) {
        List<Send> out = new ArrayList<>();
        out.add(first);
        out.addAll(Arrays.asList(more));
        return out;
    }
}

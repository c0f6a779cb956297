package dev.trellis.apps;

import dev.trellis.runtime.Address;
import dev.trellis.runtime.Body;
import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.SimNetwork;
import dev.trellis.streams.StreamOptions;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A seed-chat workload for the simulator: a {@link SeedChat} served with
 * {@code OnHandlerFailure.PROPAGATE} (trio's {@code serve_tcp}), scripted users who connect and
 * send at fixed virtual times while a reader per user records every byte it receives, and a
 * check run on those recordings once the world is stopped. Users acting at the same virtual time
 * race, and the seed decides how; users at different times never do, because the simulator runs
 * everything ready before the clock moves.
 *
 * <p>A history check is a plain function here; the reusable invariants of {@code dev.trellis.check}
 * will replace it.
 */
final class SeedChatWorld {
    /** What a user sends at a virtual time: bytes, or end-of-stream when {@code data} is null. */
    record Send(Duration at, byte[] data) {}

    /** One user: a label for reports, the name it logs in with, what it sends, and whether it reads. */
    record User(String label, String name, List<Send> sends, boolean reads) {
        /** The chat lines this user sent after logging in, without their newline. */
        List<String> messages() {
            List<String> out = new ArrayList<>();
            for (Send s : sends.subList(1, sends.size())) {
                if (s.data() != null) {
                    String text = new String(s.data(), StandardCharsets.UTF_8);
                    for (String line : text.split("\n")) {
                        out.add(line);
                    }
                }
            }
            return out;
        }
    }

    /** Reads what every user received and throws {@link ChatBug} if the history breaks its rule. */
    @FunctionalInterface
    interface Check {
        void check(List<User> users, Map<String, byte[]> received);
    }

    /** A broken rule of a chat history: the body's failure, so the exploration stops and reports it. */
    static final class ChatBug extends AssertionError {
        final String rule;

        ChatBug(String rule, String message) {
            super(rule + ": " + message);
            this.rule = rule;
        }
    }

    private final StreamOptions streams;
    private final Duration end;
    private final List<User> users = new ArrayList<>();
    private volatile Map<String, byte[]> lastReceived = Map.of();

    SeedChatWorld(StreamOptions streams, Duration end) {
        this.streams = streams;
        this.end = end;
    }

    /** A user who logs in with {@code name} at {@code loginMs} and then sends {@code more}. */
    SeedChatWorld user(String name, int loginMs, Send... more) {
        List<Send> sends = new ArrayList<>();
        sends.add(line(loginMs, name));
        sends.addAll(Arrays.asList(more));
        users.add(new User(name, name, sends, true));
        return this;
    }

    /** A user who logs in with {@code name} at {@code loginMs} and never reads a byte. */
    SeedChatWorld silentUser(String name, int loginMs) {
        users.add(new User(name, name, List.of(line(loginMs, name)), false));
        return this;
    }

    /** A user whose login bytes are raw (say not UTF-8, or a name someone else has), under its own label. */
    SeedChatWorld rawUser(String label, int loginMs, byte[] login, Send... more) {
        List<Send> sends = new ArrayList<>();
        sends.add(new Send(Duration.ofMillis(loginMs), login));
        sends.addAll(Arrays.asList(more));
        users.add(new User(label, label, sends, true));
        return this;
    }

    static Send line(int ms, String text) {
        return new Send(Duration.ofMillis(ms), (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static Send eof(int ms) {
        return new Send(Duration.ofMillis(ms), null);
    }

    List<User> users() {
        return users;
    }

    /** What each user received in the last execution that got to its end, by label. */
    Map<String, byte[]> lastReceived() {
        return lastReceived;
    }

    /** The workload as a body: runs the world, stops the server at {@code end} and the users just after, then runs {@code check}. */
    Body body(Check check) {
        return () -> {
            SimNetwork.current().defaultStreams(streams);
            Map<String, ByteArrayOutputStream> received = new LinkedHashMap<>();
            Network net = Network.current();
            Nursery.open(world -> {
                // The server stops first, at its own deadline, and the users a moment later: were the
                // users cancelled first, their closing streams would break a handler still sending to
                // them, and the world's own shutdown would look like the broken-peer bug.
                Address address = world.startAndWait("server", status -> {
                    try (Listener listener = net.listen(Address.of("127.0.0.1", 0))) {
                        status.started(listener.address());
                        CancelScope.moveOnAt(end, () -> net.serve(listener, new SeedChat(), Network.OnHandlerFailure.PROPAGATE));
                    }
                });
                for (User u : users) {
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    received.put(u.label(), got);
                    world.start(u.label(), () -> play(net, address, u, got));
                }
                sleepUntil(end.plusMillis(1));
                world.cancelScope().cancel();
            });
            Map<String, byte[]> bytes = new LinkedHashMap<>();
            received.forEach((label, got) -> bytes.put(label, got.toByteArray()));
            lastReceived = bytes;
            check.check(users, bytes);
        };
    }

    /**
     * One user's life. A user whose connection breaks stops quietly: the workloads judge the
     * server, so only a failure of the server may end the world early.
     */
    private void play(Network net, Address address, User u, ByteArrayOutputStream got) throws Exception {
        sleepUntil(u.sends().get(0).at());
        try (ByteStream stream = net.connect(address)) {
            Nursery.open(user -> {
                if (u.reads()) {
                    user.start(u.label() + "-reads", () -> {
                        byte[] buf = new byte[4096];
                        int n;
                        try {
                            while ((n = stream.receiveSome(buf, 0, buf.length)) > 0) {
                                got.write(buf, 0, n);
                            }
                        } catch (BrokenStreamException broken) {
                            // the connection broke: this user hears no more
                        }
                    });
                }
                try {
                    for (Send s : u.sends()) {
                        sleepUntil(s.at());
                        if (s.data() == null) {
                            stream.sendEof();
                        } else {
                            stream.sendAll(s.data());
                        }
                    }
                    if (!u.reads()) {
                        sleepUntil(end.multipliedBy(2));   // connected and silent until the world stops it
                    }
                } catch (BrokenStreamException broken) {
                    // the connection broke: this user says no more
                }
            });
        }
    }

    private static void sleepUntil(Duration at) {
        Duration wait = at.minus(Trellis.now());
        if (wait.isPositive()) {
            Trellis.sleep(wait);
        }
    }

    /** A check that accepts every history: for workloads whose failure is a crash. */
    static void anything(List<User> users, Map<String, byte[]> received) {}

    /**
     * Every line a user receives after the prompt is a whole line someone sent or a notice about
     * a whole name someone sent: a chunk taken for a line shows as a split, merged or renamed line.
     */
    static void chunksAreLines(List<User> users, Map<String, byte[]> received) {
        for (User r : users) {
            String got = new String(received.get(r.label()), StandardCharsets.UTF_8);
            String prompt = new String(SeedChat.PROMPT, StandardCharsets.US_ASCII);
            if (!got.startsWith(prompt)) {
                throw new ChatBug("chunk-as-line", r.label() + " did not get the prompt first: [" + got + "]");
            }
            List<String> allowed = new ArrayList<>();
            allowed.add("<meta>: Welcome " + r.name() + ".");
            for (User s : users) {
                allowed.add("<meta>: " + s.name() + " joined.");
                allowed.add("<meta>: " + s.name() + " left");
                if (s != r) {
                    for (String m : s.messages()) {
                        allowed.add("<" + s.name() + "> : " + m);
                    }
                }
            }
            String rest = got.substring(prompt.length());
            for (String line : rest.split("\n", -1)) {
                if (!line.isEmpty() && !allowed.contains(line)) {
                    throw new ChatBug("chunk-as-line", r.label() + " received the line [" + line
                            + "], which is no whole line or name anyone sent; all it received: [" + rest + "]");
                }
            }
        }
    }

    /** Any two users see the chat lines they both received in one order. */
    static void oneBroadcastOrder(List<User> users, Map<String, byte[]> received) {
        Map<String, List<String>> chat = new LinkedHashMap<>();
        for (User u : users) {
            List<String> lines = new ArrayList<>();
            for (String line : new String(received.get(u.label()), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("<") && !line.startsWith("<meta>")) {
                    lines.add(line);
                }
            }
            chat.put(u.label(), lines);
        }
        for (User a : users) {
            for (User b : users) {
                if (a.label().compareTo(b.label()) >= 0) {
                    continue;
                }
                List<String> inA = new ArrayList<>(chat.get(a.label()));
                List<String> inB = new ArrayList<>(chat.get(b.label()));
                inA.retainAll(chat.get(b.label()));
                inB.retainAll(chat.get(a.label()));
                if (!inA.equals(inB)) {
                    throw new ChatBug("broadcast-order", a.label() + " saw " + inA + " but " + b.label() + " saw " + inB);
                }
            }
        }
    }

    /**
     * Every user who reads receives every line every other user sent (all of them stay joined to
     * the end): a user who stops reading must not hold the others' messages back.
     */
    static void allDelivered(List<User> users, Map<String, byte[]> received) {
        for (User r : users) {
            if (!r.reads()) {
                continue;
            }
            List<String> lines = List.of(new String(received.get(r.label()), StandardCharsets.UTF_8).split("\n"));
            for (User s : users) {
                for (String m : s == r ? List.<String>of() : s.messages()) {
                    if (!lines.contains("<" + s.name() + "> : " + m)) {
                        throw new ChatBug("stalled", r.label() + " never received [" + m + "] from " + s.label()
                                + "; all it received: " + lines);
                    }
                }
            }
        }
    }

    /**
     * Every name the server welcomes or announces is 1 to 32 printable characters and does not
     * start with {@code <}, so no user is nameless and none can pass for {@code <meta>}.
     */
    static void saneNames(List<User> users, Map<String, byte[]> received) {
        for (User r : users) {
            for (String line : new String(received.get(r.label()), StandardCharsets.UTF_8).split("\n")) {
                String name = null;
                int at = line.indexOf("<meta>: Welcome ");
                if (at >= 0 && line.endsWith(".")) {
                    name = line.substring(at + "<meta>: Welcome ".length(), line.length() - 1);
                } else if (line.startsWith("<meta>: ") && line.endsWith(" joined.")) {
                    name = line.substring("<meta>: ".length(), line.length() - " joined.".length());
                }
                if (name != null && (name.isEmpty() || name.length() > 32 || name.startsWith("<")
                        || !name.chars().allMatch(c -> c >= 0x20 && c != 0x7f))) {
                    throw new ChatBug("sane-names", r.label() + " was told of a user named [" + name + "] in [" + line + "]");
                }
            }
        }
    }
}

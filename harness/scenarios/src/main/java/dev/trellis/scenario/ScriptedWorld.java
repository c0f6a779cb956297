package dev.trellis.scenario;

import dev.trellis.sim.Durations;
import dev.trellis.check.ChatHistory;
import dev.trellis.check.ConnectionLog;
import dev.trellis.check.HistoryViolation;
import dev.trellis.check.Violation;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.ClosedResourceException;
import dev.trellis.runtime.ConnectException;
import dev.trellis.runtime.Event;
import dev.trellis.runtime.Handler;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.SimNetwork;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One execution of a server scenario: a server on the simulated network and the scripted clients,
 * each connection recorded in a {@link ConnectionLog}. With {@code runFor} the server stops at
 * that time and the clients a moment later (so a closing client never breaks a handler still
 * sending to it); without it, the server stops once every client has finished its script, so
 * a client and server that wait on each other for ever show as a deadlock, not as a timeout.
 *
 * <p>A new world per execution: it holds the execution's logs, which the report shows.
 */
final class ScriptedWorld {
    static final String SERVER_IP = "127.0.0.1";

    private final Supplier<Handler> handler;
    private final Network.OnHandlerFailure onFailure;
    private final List<Script> scripts;
    private final Duration runFor;
    private final List<ConnectionLog> logs = new ArrayList<>();
    private final List<ChatHistory.Client> chatClients = new ArrayList<>();
    private long endedAt = -1;

    ScriptedWorld(Supplier<Handler> handler, Network.OnHandlerFailure onFailure, List<Script> scripts, Duration runFor) {
        this.handler = handler;
        this.onFailure = onFailure;
        this.scripts = scripts;
        this.runFor = runFor;
    }

    /** Every connection's log, in the order the connections were made (or tried). */
    List<ConnectionLog> logs() {
        return List.copyOf(logs);
    }

    /** What a chat server's rules judge; valid once {@link #run} returned. */
    ChatHistory chatHistory() {
        return new ChatHistory(chatClients, endedAt);
    }

    /** Serves and plays every script; returns when the world has stopped. */
    void run(ScenarioPlan.NetworkSetup setup) throws Exception {
        Network net = Network.current();
        SimNetwork sim = net instanceof SimNetwork s ? s : null;
        if (sim != null) {
            setup.apply(sim, SERVER_IP);
        }
        Duration start = Trellis.now();
        Nursery.open(world -> {
            Address address = world.startAndWait("server", status -> {
                try (Listener listener = net.listen(Address.of(SERVER_IP, 0))) {
                    status.started(listener.address());
                    if (runFor != null) {
                        CancelScope.moveOnAt(start.plus(runFor), () -> net.serve(listener, handler.get(), onFailure));
                    } else {
                        net.serve(listener, handler.get(), onFailure);
                    }
                }
            });
            if (runFor != null) {
                for (Script s : scripts) {
                    world.start(s.label(), () -> play(net, sim, address, s, start));
                }
                sleepUntil(start.plus(runFor).plusMillis(1));
            } else {
                Nursery.open(clients -> {
                    for (Script s : scripts) {
                        clients.start(s.label(), () -> play(net, sim, address, s, start));
                    }
                });
            }
            world.cancelScope().cancel();
        });
        endedAt = runFor != null ? start.plus(runFor).toNanos() : Trellis.now().toNanos();
    }

    /** One client's life: connect, play the script, perhaps reconnect and go on. */
    private void play(Network net, SimNetwork sim, Address address, Script s, Duration start) throws Exception {
        sleepUntil(start.plus(s.connectAt()));
        int next = 0;
        for (int connection = 1; ; connection++) {
            ConnectionLog log = new ConnectionLog(connection == 1 ? s.label() : s.label() + "#" + connection);
            logs.add(log);
            chatClients.add(new ChatHistory.Client(log, s.reads() ? start.plus(s.readFrom()).toNanos() : -1));
            ByteStream raw;
            try {
                raw = s.streams() != null && sim != null ? sim.connect(address, s.streams()) : net.connect(address);
            } catch (ConnectException refused) {
                log.broke(refused);
                return;
            }
            Connection c = new Connection(s, log, start);
            try (ByteStream stream = log.record(raw)) {
                c.stream = stream;
                next = c.play(next);
            } catch (BrokenStreamException | ClosedResourceException broken) {
                log.broke(broken);   // the rules judge what it saw; this client says no more
                return;
            }
            if (next < 0) {
                return;
            }
        }
    }

    /** One connection of a client: its reader, and the script's steps up to a close or reconnect. */
    private final class Connection {
        private final Script script;
        private final ConnectionLog log;
        private final Duration start;
        private ByteStream stream;
        private boolean paused;
        private boolean ended;
        private boolean halfClosed;
        private Event resumed = new Event();
        private Event arrived = new Event();
        private CancelScope receiving;
        private int matched;   // received lines before this index are spent by earlier expects

        Connection(Script script, ConnectionLog log, Duration start) {
            this.script = script;
            this.log = log;
            this.start = start;
            this.paused = !script.reads();
        }

        /** Plays from action {@code from}; returns where a reconnect goes on, or -1 when the client is done. */
        int play(int from) throws Exception {
            int[] next = {-1};
            Nursery.open(conn -> {
                if (script.reads()) {
                    conn.start(script.label() + "-reads", this::read);
                }
                List<Script.Action> actions = script.actions();
                for (int i = from; i < actions.size(); i++) {
                    Script.Action a = actions.get(i);
                    if (a.at() != null) {
                        sleepUntil(start.plus(a.at()));
                    }
                    switch (a.kind()) {
                        case SEND -> stream.sendAll(a.data());
                        case HALF_CLOSE -> {
                            stream.sendEof();
                            halfClosed = true;
                        }
                        case CLOSE -> {
                            conn.cancelScope().cancel();
                            return;
                        }
                        case RECONNECT -> {
                            next[0] = i + 1;
                            conn.cancelScope().cancel();
                            return;
                        }
                        case PAUSE -> pause();
                        case RESUME -> resume();
                        case EXPECT -> expect(a);
                    }
                }
                if (runFor != null) {
                    // Connected (and reading, if it reads) until the world stops it.
                    Trellis.sleep(runFor.multipliedBy(2).plusSeconds(1));
                } else if (halfClosed && script.reads()) {
                    awaitEnd();   // the peer's end-of-stream, then close: TCP's orderly shutdown
                }
                conn.cancelScope().cancel();
            });
            return next[0];
        }

        private void read() throws Exception {
            sleepUntil(start.plus(script.readFrom()));   // a pause step before this still holds
            byte[] buf = new byte[4096];
            try {
                while (true) {
                    while (paused) {
                        resumed.await();
                    }
                    int[] n = {0};
                    CancelScope scope = CancelScope.open(sc -> {
                        receiving = sc;
                        n[0] = stream.receiveSome(buf, 0, buf.length);
                    });
                    receiving = null;
                    if (scope.cancelledCaught()) {
                        continue;   // paused in mid-receive: nothing was taken
                    }
                    if (n[0] < 0) {
                        break;
                    }
                    signal();
                }
            } catch (BrokenStreamException broken) {
                // the log noted it
            }
            ended = true;
            signal();
        }

        private void signal() {
            Event e = arrived;
            arrived = new Event();
            e.set();
        }

        private void pause() {
            if (!paused) {
                paused = true;
                resumed = new Event();
                if (receiving != null) {
                    receiving.cancel();
                }
            }
        }

        private void resume() {
            if (paused) {
                paused = false;
                resumed.set();
            }
        }

        private void awaitEnd() {
            while (!ended) {
                arrived.await();
            }
        }

        private void expect(Script.Action a) throws Exception {
            Duration asked = Trellis.now();
            Duration deadline = asked.plus(a.within());
            boolean[] found = {false};
            CancelScope.moveOnAt(deadline, () -> {
                while (true) {
                    Event e = arrived;
                    if (found[0] = spend(a)) {
                        return;
                    }
                    if (ended) {
                        return;
                    }
                    e.await();
                }
            });
            if (!found[0]) {
                List<ConnectionLog.Line> lines = log.receivedLines();
                StringBuilder got = new StringBuilder();
                for (int i = Math.max(0, lines.size() - 5); i < lines.size(); i++) {
                    got.append("\n    ").append(Durations.format(Duration.ofNanos(lines.get(i).at()))).append("  ")
                            .append(lines.get(i).text()).append(i < matched ? "   (matched an earlier expect)" : "");
                }
                String why = ended ? "its connection ended at " + Durations.format(Trellis.now()) + " first"
                        : "nothing matching came by " + Durations.format(deadline);
                throw new HistoryViolation(new Violation("expect", log.label() + " expected " + a.describeExpect()
                        + " within " + Durations.format(a.within()) + " of " + Durations.format(asked) + " (script step "
                        + a.number() + "), but " + why + "; the last lines it received"
                        + (got.isEmpty() ? ": none" : ":" + got), -1));
            }
        }

        /** Whether a line not spent yet matches; spends it and the ones before it. */
        private boolean spend(Script.Action a) {
            List<ConnectionLog.Line> lines = log.receivedLines();
            for (int i = matched; i < lines.size(); i++) {
                if (a.matches(lines.get(i).text())) {
                    matched = i + 1;
                    return true;
                }
            }
            return false;
        }
    }

    static void sleepUntil(Duration at) {
        Duration wait = at.minus(Trellis.now());
        if (wait.isPositive()) {
            Trellis.sleep(wait);
        }
    }
}

package dev.trellis.cli;

import dev.trellis.runtime.Body;
import dev.trellis.runtime.Channel;
import dev.trellis.runtime.ClosedResourceException;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimulationFailure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Small buggy programs of known bug depth, written against {@code dev.trellis.runtime} only, for
 * measuring how fast each strategy finds a bug ({@code trellis bench --strategies}) and for
 * testing that they do.
 *
 * <p>The depth d of a bug is PCT's (Burckhardt et al., ASPLOS 2010): the number of ordering
 * constraints between steps of different tasks that make it happen. In these programs no task
 * blocks before the bug, so d − 1 is also the fewest preemptions (a task set aside at a
 * checkpoint where it could have gone on) in any failing schedule: an order violation (B uses
 * what A has not set yet) has depth 1 and needs none; an atomicity violation (B runs between two
 * steps of A) has depth 2 and needs one. PCT with parameter d places d − 1 priority change
 * points, so it finds a depth-d bug with probability at least 1/(k·n^(d−1)) per execution, for k
 * tasks and n choices, and with fewer change points never; a search of every schedule with at
 * most P preemptions finds it once P ≥ d − 1. A program's {@code tasks} counts every task, the
 * body's own included; the bench prints k and n as PCT measured them (tasks that competed at a
 * choice, choices offered), since they depend on the schedule. Each program's comment argues its
 * depth; {@code StrategyCorpusTest} checks that PCT with one change point fewer never finds it.
 * (Counting is easy to get wrong: "three increments leave a counter at 1" looks like depth 3 but
 * needs one preemption, since a stale write can undo two updates at once.)
 *
 * <p>Every program creates its state inside the body, so seeds do not share it.
 */
public final class StrategyCorpus {
    /**
     * One program of the corpus.
     *
     * @param name        short, for tables
     * @param description what the program does and what goes wrong
     * @param depth       the bug's depth d (0 for a correct program)
     * @param tasks       k, the tasks of one execution, the body's own included
     * @param body        the program
     * @param bug         whether a result shows this program's bug, not some other failure
     */
    public record Program(String name, String description, int depth, int tasks, Body body,
                          Predicate<Result> bug) {
        /** Whether {@code r} failed with this program's bug (a different failure does not count). */
        public boolean shows(Result r) {
            return bug.test(r);
        }
    }

    /** Requests the server of {@code missed-shutdown} serves before it says farewell. */
    static final int SERVER_STEPS = 8;
    /** Steps each booking of {@code split-bookings} takes before its first seat. */
    static final int LOOKUP_STEPS = 2;
    /** Steps each noise task of {@code split-bookings} takes. */
    static final int NOISE_STEPS = 6;

    private StrategyCorpus() {}

    /** Every buggy program, in a fixed order. */
    public static List<Program> bugs() {
        return List.of(
                new Program("order-violation", "a worker reads the config before the loader has published it",
                        1, 3, StrategyCorpus::orderViolation, threw(IllegalStateException.class, "order-violation")),
                new Program("missed-shutdown", "a client registers for the server's farewell after the server has "
                        + "sent it, and waits forever", 1, 3, StrategyCorpus::missedShutdown,
                        StrategyCorpus::deadlocked),
                new Program("lost-update", "two tasks increment a counter, reading and writing it across a checkpoint",
                        2, 3, StrategyCorpus::lostUpdate, threw(IllegalStateException.class, "lost-update")),
                new Program("check-then-act", "a producer checks that the queue is open, formats, then sends; a "
                        + "shutdown closes the queue in between", 2, 3, StrategyCorpus::checkThenAct,
                        threw(ClosedResourceException.class, null)),
                new Program("broadcast-join", "a broadcast iterates the live member list while a client joins",
                        2, 3, StrategyCorpus::broadcastJoin, threw(ConcurrentModificationException.class, null)),
                new Program("channel-deadlock", "two tasks take two Channel-based locks in opposite orders",
                        2, 3, StrategyCorpus::channelDeadlock, StrategyCorpus::deadlocked),
                new Program("split-bookings", "two bookings take two seats each, one at a time, beside two noise "
                        + "tasks; both pairs come out split", 3, 5, StrategyCorpus::splitBookings,
                        threw(IllegalStateException.class, "split-bookings")),
                new Program("lock-deadlock", "two tasks take two ReentrantLocks in opposite orders",
                        2, 3, StrategyCorpus::lockDeadlock, StrategyCorpus::deadlocked));
    }

    /**
     * {@code lost-update} made correct: each increment holds a lock (a Channel of capacity one)
     * across its checkpoint. No strategy may flag it; any failure is a false alarm.
     */
    public static Program lockedCounter() {
        return new Program("locked-counter", "lost-update with each increment under a Channel-based lock (correct)",
                0, 3, StrategyCorpus::lockedCounterBody, r -> !r.ok());
    }

    /**
     * Depth 1. The worker's read of the config must come before the loader's write; that one
     * constraint is enough. Three loading steps against two working steps.
     */
    static void orderViolation() throws Exception {
        String[] config = {null};
        Nursery.open(n -> {
            n.start("loader", () -> {
                for (int i = 0; i < 3; i++) {
                    Trellis.checkpoint();   // reads a file, in pieces
                }
                config[0] = "port=8080";
            });
            n.start("worker", () -> {
                for (int i = 0; i < 2; i++) {
                    Trellis.checkpoint();   // opens its connections
                }
                if (config[0] == null) {
                    throw new IllegalStateException("order-violation: the worker read the config before it was loaded");
                }
            });
        });
    }

    /**
     * Depth 1: the server's farewell before the client's registration, one constraint. But the
     * server must first get through all its work ({@value #SERVER_STEPS} steps) while the client
     * takes two, so a random walk, which picks the client half the time, rarely gets there
     * (9 in 1,000 executions, measured over 2,000 seeds); PCT needs only the server's priority above the client's.
     * The client, registered too late, waits for a farewell that never comes: a deadlock.
     */
    static void missedShutdown() throws Exception {
        List<Channel<String>> listeners = new ArrayList<>();
        Nursery.open(n -> {
            n.start("server", () -> {
                for (int i = 0; i < SERVER_STEPS; i++) {
                    Trellis.checkpoint();   // serves a request
                }
                for (Channel<String> inbox : listeners) {
                    inbox.send("shutting down");
                }
            });
            n.start("client", () -> {
                Trellis.checkpoint();   // connects
                Channel<String> inbox = Channel.bounded(1);
                listeners.add(inbox);
                inbox.receive();
            });
        });
    }

    /**
     * Depth 2: a's read before b's write, and b's read before a's write (an atomicity violation).
     * With either constraint alone the task that reads second also writes second and sees the
     * first's update.
     */
    static void lostUpdate() throws Exception {
        int[] counter = {0};
        Nursery.open(n -> {
            for (String name : List.of("inc-a", "inc-b")) {
                n.start(name, () -> increment(counter));
            }
        });
        if (counter[0] != 2) {
            throw new IllegalStateException("lost-update: two increments left the counter at " + counter[0]);
        }
    }

    private static void increment(int[] counter) {
        int seen = counter[0];
        Trellis.checkpoint();   // logs the change before making it
        counter[0] = seen + 1;
    }

    /**
     * Depth 2: the producer's check before the close, and the close before the producer's send.
     * The send's buffer has room, so nothing blocks between check and send: only a preemption
     * there exposes the bug.
     */
    static void checkThenAct() throws Exception {
        Channel<String> queue = Channel.bounded(4);
        Nursery.open(n -> {
            n.start("producer", () -> {
                if (!queue.isClosed()) {
                    Trellis.checkpoint();   // formats the message
                    queue.send("report");   // ClosedResourceException if the queue closed meanwhile
                }
            });
            n.start("shutdown", queue::close);
        });
    }

    /**
     * Depth 2: the broadcast's first step of iteration before the join, and the join before its
     * last. Each member's inbox is buffered, so sending never blocks, but every send is a
     * checkpoint, and {@code ArrayList}'s iterator throws once the list has changed under it.
     */
    static void broadcastJoin() throws Exception {
        List<Channel<String>> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(Channel.bounded(4));
        }
        Nursery.open(n -> {
            n.start("broadcaster", () -> {
                for (Channel<String> inbox : members) {
                    inbox.send("hello, everyone");
                }
            });
            n.start("joiner", () -> members.add(Channel.bounded(4)));
        });
    }

    /**
     * Depth 2: each task takes its first lock before the other takes its second. A lock is a
     * Channel of capacity one: sending the token takes it, receiving it back releases it.
     */
    static void channelDeadlock() throws Exception {
        Channel<Boolean> accounts = Channel.bounded(1);
        Channel<Boolean> audit = Channel.bounded(1);
        Nursery.open(n -> {
            n.start("transfer", () -> bothLocks(accounts, audit));
            n.start("report", () -> bothLocks(audit, accounts));
        });
    }

    private static void bothLocks(Channel<Boolean> first, Channel<Boolean> second) {
        first.send(true);
        Trellis.checkpoint();   // work under the first lock
        second.send(true);
        second.receive();
        first.receive();
    }

    /**
     * Depth 3: each booking takes two seats one at a time, showing the customer the first before
     * taking the second, and expects them adjacent. Both pairs come out split only if the takes
     * alternate, a1 &lt; b1 &lt; a2 &lt; b2 (or the same with a and b swapped): three constraints,
     * and each booking must be preempted between its takes, two preemptions (PCT: two change
     * points; with one, whichever booking is demoted first finds the other's pair whole when it
     * resumes). One split pair is the depth-2 bug; this program fails only on the depth-3 one.
     * Each booking first looks up the show ({@value #LOOKUP_STEPS} steps) and two noise tasks step
     * through work of their own ({@value #NOISE_STEPS} steps), which raises k and n.
     */
    static void splitBookings() throws Exception {
        int[] nextSeat = {0};
        int[][] pairs = new int[2][];
        Nursery.open(n -> {
            for (int b = 0; b < 2; b++) {
                int booking = b;
                n.start("booking-" + b, () -> {
                    for (int i = 0; i < LOOKUP_STEPS; i++) {
                        Trellis.checkpoint();   // looks up the show
                    }
                    int first = nextSeat[0]++;
                    Trellis.checkpoint();   // shows the customer the first seat
                    int second = nextSeat[0]++;
                    pairs[booking] = new int[] {first, second};
                });
            }
            for (String name : List.of("noise-a", "noise-b")) {
                n.start(name, () -> {
                    for (int i = 0; i < NOISE_STEPS; i++) {
                        Trellis.checkpoint();   // work that touches nothing shared
                    }
                });
            }
        });
        if (pairs[0][1] != pairs[0][0] + 1 && pairs[1][1] != pairs[1][0] + 1) {
            throw new IllegalStateException("split-bookings: both bookings got split pairs, " + Arrays.toString(pairs[0])
                    + " and " + Arrays.toString(pairs[1]));
        }
    }

    /**
     * Depth 2, as {@link #channelDeadlock}, on {@link ReentrantLock}s. Slow today: the simulator
     * takes about two seconds of wall time to report a deadlock on a j.u.c. lock.
     */
    static void lockDeadlock() throws Exception {
        ReentrantLock accounts = new ReentrantLock();
        ReentrantLock audit = new ReentrantLock();
        Nursery.open(n -> {
            n.start("transfer", () -> bothLocks(accounts, audit));
            n.start("report", () -> bothLocks(audit, accounts));
        });
    }

    private static void bothLocks(ReentrantLock first, ReentrantLock second) {
        first.lock();
        try {
            Trellis.checkpoint();   // work under the first lock
            second.lock();
            second.unlock();
        } finally {
            first.unlock();
        }
    }

    private static void lockedCounterBody() throws Exception {
        int[] counter = {0};
        Channel<Boolean> lock = Channel.bounded(1);
        Nursery.open(n -> {
            for (String name : List.of("inc-a", "inc-b")) {
                n.start(name, () -> {
                    lock.send(true);
                    increment(counter);
                    lock.receive();
                });
            }
        });
        if (counter[0] != 2) {
            throw new IllegalStateException("locked-counter: two increments left the counter at " + counter[0]);
        }
    }

    private static boolean deadlocked(Result r) {
        return r.failure() instanceof SimulationFailure.Deadlock;
    }

    /** The body threw {@code type} (with a message starting with {@code prefix}, unless null) and the harness saw nothing else wrong. */
    private static Predicate<Result> threw(Class<? extends Throwable> type, String prefix) {
        return r -> r.failure() == null && type.isInstance(r.bodyFailure())
                && (prefix == null || String.valueOf(r.bodyFailure().getMessage()).startsWith(prefix));
    }
}

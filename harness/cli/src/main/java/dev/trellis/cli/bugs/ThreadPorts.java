package dev.trellis.cli.bugs;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import static dev.trellis.cli.bugs.StressRun.race;

/**
 * StrategyCorpus's programs and the broken data structures as a stress test writes them: one
 * platform thread per task, released together, {@link Thread#yield()} where the Trellis program
 * has a checkpoint, and an oracle after the threads end. A deadlock shows only as threads still
 * running after {@link StressRun#HANG_MILLIS}. State that Trellis keeps safe by running one task
 * at a time between checkpoints is made atomic here (an AtomicInteger, a synchronized list), so
 * that only the program's own bug is left.
 */
final class ThreadPorts {
    private ThreadPorts() {}

    /** StrategyCorpus's programs by name. */
    static final Map<String, StressRun.Trial> CORPUS = Map.of(
            "order-violation", ThreadPorts::orderViolation,
            "missed-shutdown", ThreadPorts::missedShutdown,
            "lost-update", ThreadPorts::lostUpdate,
            "check-then-act", ThreadPorts::checkThenAct,
            "broadcast-join", ThreadPorts::broadcastJoin,
            "channel-deadlock", ThreadPorts::channelDeadlock,
            "split-bookings", ThreadPorts::splitBookings,
            "lock-deadlock", ThreadPorts::lockDeadlock);

    static boolean orderViolation() throws Exception {
        String[] config = {null};
        return race(() -> {
            yields(3);
            config[0] = "port=8080";
        }, () -> {
            yields(2);
            if (config[0] == null) {
                throw new IllegalStateException("order-violation");
            }
        }).threw(IllegalStateException.class);
    }

    static boolean missedShutdown() throws Exception {
        List<BlockingQueue<String>> listeners = new CopyOnWriteArrayList<>();
        return race(() -> {
            yields(8);
            for (BlockingQueue<String> inbox : listeners) {
                inbox.put("shutting down");
            }
        }, () -> {
            Thread.yield();
            BlockingQueue<String> inbox = new ArrayBlockingQueue<>(1);
            listeners.add(inbox);
            inbox.take();
        }).hung();
    }

    static boolean lostUpdate() throws Exception {
        PortedObjects.Counter counter = new PortedObjects.Counter();
        race(counter::increment, counter::increment);
        return counter.get() != 2;
    }

    /** A queue that refuses a send once closed, as a Trellis channel does. */
    private static final class Queue {
        private volatile boolean closed;

        void send(String value) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
        }
    }

    static boolean checkThenAct() throws Exception {
        Queue queue = new Queue();
        return race(() -> {
            if (!queue.closed) {
                Thread.yield();
                queue.send("report");
            }
        }, () -> queue.closed = true).threw(IllegalStateException.class);
    }

    static boolean broadcastJoin() throws Exception {
        PortedObjects.ChatRoom room = new PortedObjects.ChatRoom();
        room.join();   // three members, as the Trellis program starts with
        return race(room::broadcast, room::join).threw(ConcurrentModificationException.class);
    }

    static boolean channelDeadlock() throws Exception {
        BlockingQueue<Boolean> accounts = new ArrayBlockingQueue<>(1);
        BlockingQueue<Boolean> audit = new ArrayBlockingQueue<>(1);
        return race(() -> bothLocks(accounts, audit), () -> bothLocks(audit, accounts)).hung();
    }

    private static void bothLocks(BlockingQueue<Boolean> first, BlockingQueue<Boolean> second) throws InterruptedException {
        first.put(true);
        Thread.yield();
        second.put(true);
        second.take();
        first.take();
    }

    static boolean splitBookings() throws Exception {
        AtomicInteger nextSeat = new AtomicInteger();
        int[][] pairs = new int[2][];
        List<StressRun.ThrowingRunnable> tasks = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            int booking = b;
            tasks.add(() -> {
                yields(2);
                int first = nextSeat.getAndIncrement();
                Thread.yield();
                pairs[booking] = new int[] {first, nextSeat.getAndIncrement()};
            });
        }
        for (int i = 0; i < 2; i++) {
            tasks.add(() -> yields(6));
        }
        race(tasks.toArray(StressRun.ThrowingRunnable[]::new));
        return pairs[0] != null && pairs[1] != null && pairs[0][1] != pairs[0][0] + 1 && pairs[1][1] != pairs[1][0] + 1;
    }

    static boolean lockDeadlock() throws Exception {
        ReentrantLock accounts = new ReentrantLock();
        ReentrantLock audit = new ReentrantLock();
        return race(() -> bothLocks(accounts, audit), () -> bothLocks(audit, accounts)).hung();
    }

    private static void bothLocks(ReentrantLock first, ReentrantLock second) throws InterruptedException {
        first.lockInterruptibly();   // interruptible, so that the detector can free a deadlocked run
        try {
            Thread.yield();
            second.lockInterruptibly();
            second.unlock();
        } finally {
            first.unlock();
        }
    }

    /** RacyChannel's calls, as the Trellis check draws them: trySend(1..3), tryReceive, size. */
    private static final List<StressMixes.Op> CHANNEL_OPS = List.of(
            StressMixes.op(LincheckTargets.ChannelTest.class, "trySend", r -> new Object[] {r.nextInt(1, 4)}),
            StressMixes.op(LincheckTargets.ChannelTest.class, "tryReceive", r -> new Object[0]),
            StressMixes.op(LincheckTargets.ChannelTest.class, "size", r -> new Object[0]));

    /** RacyRegistry's calls, as the Trellis check draws them: join and leave of ann or bob, names. */
    private static final List<StressMixes.Op> REGISTRY_OPS = List.of(
            StressMixes.op(LincheckTargets.RegistryTest.class, "join", r -> new Object[] {r.nextBoolean() ? "ann" : "bob"}),
            StressMixes.op(LincheckTargets.RegistryTest.class, "leave", r -> new Object[] {r.nextBoolean() ? "ann" : "bob"}),
            StressMixes.op(LincheckTargets.RegistryTest.class, "names", r -> new Object[0]));

    /** The ported RacyChannel, three threads of three random calls, judged by the verifier. */
    static boolean racyChannel() throws Exception {
        return StressMixes.run(LincheckTargets.ChannelTest::new, LincheckTargets.ChannelSpec.class, CHANNEL_OPS);
    }

    /** The ported RacyRegistry, three threads of three random calls, judged by the verifier. */
    static boolean racyRegistry() throws Exception {
        return StressMixes.run(LincheckTargets.RegistryTest::new, dev.trellis.lincheck.Specs.Names.class, REGISTRY_OPS);
    }

    private static void yields(int times) {
        for (int i = 0; i < times; i++) {
            Thread.yield();
        }
    }
}

package dev.trellis.sim;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Notices a task that keeps the carrier too long without a checkpoint. It runs outside the
 * engine and reads only wall time, which decides when to give up, never what runs. Each driver
 * thread registers one slot, once; an execution only sets the slot's fields, so watching costs
 * nothing per step beyond the execution's release store of its step stamp.
 */
final class Watchdog {
    /** What one driver thread is running now. */
    static final class Slot {
        /** The driver thread it belongs to: a slot whose thread has ended is dropped. */
        final Thread owner = Thread.currentThread();
        volatile Execution execution;
        volatile Consumer<Result> onRunaway;
        private long lastStamp = -1;
        private long since;
    }

    private static final CopyOnWriteArrayList<Slot> SLOTS = new CopyOnWriteArrayList<>();
    private static final ThreadLocal<Slot> MINE = ThreadLocal.withInitial(Watchdog::register);
    private static Thread thread;

    private Watchdog() {}

    /** How many driver threads have a slot: for tests of what the watchdog keeps. */
    static int slots() {
        return SLOTS.size();
    }

    /** The calling driver thread's slot. */
    static Slot slot() {
        return MINE.get();
    }

    private static synchronized Slot register() {
        if (thread == null) {
            thread = new Thread(Watchdog::loop, "trellis-watchdog");
            thread.setDaemon(true);
            thread.start();
        }
        Slot s = new Slot();
        SLOTS.add(s);
        return s;
    }

    private static void loop() {
        while (true) {
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
            // Wall time decides only whether a step has run too long (the runaway limit is wall
            // time by definition); the failed result is built from the trace as it stood when
            // that step began, so what it says does not depend on when the watchdog looked.
            long now = System.nanoTime();
            for (Slot slot : SLOTS) {
                check(slot, now);
            }
            // Driver threads come and go (idle ones expire; a runaway's is replaced): their
            // slots must too, or a simulator that runs for days keeps one per thread it ever had.
            SLOTS.removeIf(slot -> !slot.owner.isAlive());
        }
    }

    private static void check(Slot slot, long now) {
        Execution ex = slot.execution;
        if (ex == null || ex.failure() != null) {
            slot.lastStamp = -1;
            return;
        }
        long stamp = ex.stamp();
        if ((stamp & 1) == 0 || stamp != slot.lastStamp) {
            slot.lastStamp = stamp;
            slot.since = now;
            return;
        }
        long ran = now - slot.since;
        if (ran > ex.config.runawayLimit().toNanos()) {
            Result r = ex.runaway(stamp, ran / 1_000_000);
            Consumer<Result> c = slot.onRunaway;
            if (r != null && c != null) {
                c.accept(r);
            }
        }
    }
}

package dev.trellis.sim;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Notices a task that keeps the carrier too long without a checkpoint. It runs outside the
 * engine and reads only wall time, which decides when to give up, never what runs.
 */
final class Watchdog {
    private record Watched(Execution ex, Consumer<SimulationFailure> onRunaway, long[] lastStamp, long[] since) {}

    private static final ConcurrentHashMap<Long, Watched> WATCHED = new ConcurrentHashMap<>();
    private static volatile Thread thread;
    private static long nextKey;

    private Watchdog() {}

    static synchronized long watch(Execution ex, Consumer<SimulationFailure> onRunaway) {
        if (thread == null) {
            Thread t = new Thread(Watchdog::loop, "trellis-watchdog");
            t.setDaemon(true);
            t.start();
            thread = t;
        }
        long key = nextKey++;
        WATCHED.put(key, new Watched(ex, onRunaway, new long[] {-1}, new long[] {0}));
        return key;
    }

    static void unwatch(long key) {
        WATCHED.remove(key);
    }

    private static void loop() {
        while (true) {
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Watched w : WATCHED.values()) {
                Execution ex = w.ex();
                if (!ex.inStep || ex.failure() != null) {
                    w.lastStamp()[0] = -1;
                    continue;
                }
                long stamp = ex.stepStamp;
                if (stamp != w.lastStamp()[0]) {
                    w.lastStamp()[0] = stamp;
                    w.since()[0] = now;
                    continue;
                }
                long ran = now - w.since()[0];
                if (ran > ex.config.runawayLimit().toNanos()) {
                    var task = ex.runningTask();
                    if (task == null) {
                        continue;
                    }
                    SimulationFailure f = Failures.runaway(ex, task, task.thread().getStackTrace(), ran / 1_000_000);
                    ex.runaway(f);
                    w.onRunaway().accept(f);
                }
            }
        }
    }
}

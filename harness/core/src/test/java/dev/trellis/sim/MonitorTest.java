package dev.trellis.sim;

import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import org.junit.jupiter.api.Test;

import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Code shared with ordinary Java may use java.util.concurrent locks: under the simulator their
 * waits are scheduling points and runs stay deterministic. A monitor held across a checkpoint is
 * handed over by a JDK thread at a moment nobody controls, so it fails the run, deterministically.
 */
class MonitorTest {
    private static final Object LOCK = new Object();

    static void contendOnMonitorAcrossCheckpoints() throws Exception {
        int[] shared = {0};
        Nursery.open(n -> {
            for (int t = 0; t < 3; t++) {
                n.start("worker-" + t, () -> {
                    for (int i = 0; i < 5; i++) {
                        synchronized (LOCK) {
                            shared[0]++;
                        }
                        Trellis.checkpoint();
                    }
                });
            }
        });
        assertThat(shared[0]).isEqualTo(15);
    }

    static void contendOnReentrantLockAcrossCheckpoints() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        int[] shared = {0};
        Nursery.open(n -> {
            for (int t = 0; t < 3; t++) {
                n.start("worker-" + t, () -> {
                    for (int i = 0; i < 5; i++) {
                        lock.lock();
                        try {
                            int v = shared[0];
                            Trellis.checkpoint();   // holding the lock across a checkpoint: others park on it
                            shared[0] = v + 1;
                        } finally {
                            lock.unlock();
                        }
                    }
                });
            }
        });
        assertThat(shared[0]).isEqualTo(15);
    }

    static void holdMonitorAcrossCheckpoint() throws Exception {
        Object lock = new Object();
        int[] shared = {0};
        Nursery.open(n -> {
            for (int t = 0; t < 3; t++) {
                n.start("worker-" + t, () -> {
                    for (int i = 0; i < 3; i++) {
                        synchronized (lock) {
                            int v = shared[0];
                            Trellis.checkpoint();   // others block entering the monitor
                            shared[0] = v + 1;
                        }
                    }
                });
            }
        });
        assertThat(shared[0]).isEqualTo(9);
    }

    @Test
    void monitorHeldAcrossACheckpointFailsTheRunTheSameWayEveryTime() {
        int contended = 0;
        for (long seed = 0; seed < 50; seed++) {
            Result a = Simulation.result(MonitorTest::holdMonitorAcrossCheckpoint, seed);
            Result b = Simulation.result(MonitorTest::holdMonitorAcrossCheckpoint, seed);
            assertThat(b.traceHash()).isEqualTo(a.traceHash());
            assertThat(b.ok()).isEqualTo(a.ok());
            if (!a.ok()) {
                contended++;
                assertThat(a.failure()).isInstanceOf(SimulationFailure.UncontrolledBlocking.class);
                assertThat(a.failure().getMessage())
                        .contains("a synchronized block another task holds across a checkpoint")
                        .contains("MonitorTest");
            }
        }
        assertThat(contended).isPositive();
    }

    @Test
    void objectWaitIsNamedWithAdvice() {
        Result r = Simulation.result(() -> {
            Object lock = new Object();
            synchronized (lock) {
                lock.wait();
            }
        }, 1);
        assertThat(r.failure()).isInstanceOf(SimulationFailure.UncontrolledBlocking.class);
        assertThat(r.failure().getMessage()).contains("Object.wait").contains("Use an Event");
    }

    @Test
    void reentrantLockWaitsAreSchedulingPointsAndReplayExactly() {
        for (long seed = 0; seed < 100; seed++) {
            Result a = Simulation.result(MonitorTest::contendOnReentrantLockAcrossCheckpoints, seed).orThrow();
            Result b = Simulation.result(MonitorTest::contendOnReentrantLockAcrossCheckpoints, seed).orThrow();
            assertThat(b.traceHash()).isEqualTo(a.traceHash());
        }
    }

    @Test
    void uncontendedSynchronizedBlocksAreDeterministic() {
        for (long seed = 0; seed < 100; seed++) {
            Result a = Simulation.result(MonitorTest::contendOnMonitorAcrossCheckpoints, seed).orThrow();
            Result b = Simulation.result(MonitorTest::contendOnMonitorAcrossCheckpoints, seed).orThrow();
            assertThat(b.traceHash()).isEqualTo(a.traceHash());
        }
    }
}

package dev.trellis.cli.bugs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What most teams do about a race: run the code on real threads, over and over, and hope. One
 * {@link Trial} is one run of a subject's port; {@link #loop} repeats it for a wall-time budget
 * and counts. Nothing here is replayable: the schedule was the operating system's.
 */
final class StressRun {
    private StressRun() {}

    /** One run of a ported subject; true when the bug showed. An exception is a fault of the port, counted apart. */
    @FunctionalInterface
    interface Trial {
        boolean failed() throws Exception;
    }

    /**
     * What a loop gave.
     *
     * @param msToFirst wall time from the loop's start to the end of the first failing run, or
     *                  null when none failed
     * @param firstAt   which run (1-based) failed first, or 0
     */
    record Outcome(long runs, long failures, Double msToFirst, long firstAt, double seconds, long errors,
                   String firstError) {}

    /** Runs {@code trial} until {@code seconds} of wall time have passed (always at least once). */
    static Outcome loop(Trial trial, double seconds, Progress progress, String label) {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long runs = 0;
        long failures = 0;
        long errors = 0;
        long firstAt = 0;
        Double msToFirst = null;
        String firstError = null;
        long now;
        do {
            boolean failed;
            try {
                failed = trial.failed();
            } catch (Exception | Error e) {
                errors++;
                if (firstError == null) {
                    firstError = String.valueOf(e);
                }
                failed = false;
            }
            runs++;
            now = System.nanoTime();
            if (failed && failures++ == 0) {
                firstAt = runs;
                msToFirst = (now - start) / 1e6;
            }
            progress.show(label, runs + " runs, " + failures + " failed");
        } while (now < deadline);
        return new Outcome(runs, failures, msToFirst, firstAt, (now - start) / 1e9, errors, firstError);
    }

    /** How long a run of platform threads may take before it counts as hung: the stress test's deadlock detector. */
    static final long HANG_MILLIS = 100;

    /** How a race of threads ended: whether one of them was still running at the deadline, and the first throw. */
    record Race(boolean hung, Throwable thrown) {
        boolean threw(Class<? extends Throwable> type) {
            return type.isInstance(thrown);
        }
    }

    /**
     * Starts one platform thread per body, releases them together (a latch, as a stress test
     * does, so they overlap), and waits {@link #HANG_MILLIS} for all of them. Threads still running
     * then are interrupted (every port waits interruptibly) and counted as hung.
     */
    static Race race(ThrowingRunnable... bodies) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (ThrowingRunnable body : bodies) {
            Thread t = Thread.ofPlatform().daemon().start(() -> {
                try {
                    go.await();
                    body.run();
                } catch (InterruptedException stopped) {
                    // the detector gave up on this run
                } catch (Throwable e) {
                    thrown.compareAndSet(null, e);
                }
            });
            threads.add(t);
        }
        go.countDown();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HANG_MILLIS);
        boolean hung = false;
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(java.time.Duration.ofNanos(left))) {
                hung = true;
            }
        }
        if (hung) {
            threads.forEach(Thread::interrupt);
            for (Thread t : threads) {
                t.join(1_000);
            }
        }
        return new Race(hung, thrown.get());
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}

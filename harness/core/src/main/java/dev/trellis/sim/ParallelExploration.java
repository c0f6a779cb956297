package dev.trellis.sim;

import dev.trellis.runtime.Body;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link Simulation#explore(Body, long, long, SimConfig, int)}: blocks of seeds on several threads,
 * put back together in seed order as one exploration.
 */
final class ParallelExploration {
    static final int BLOCK = 16;

    private ParallelExploration() {}

    /** What one block of seeds did. */
    private record Block(long executions, long steps, Result last, Optional<Confidence> confidence) {}

    static Simulation.Exploration run(Body body, long first, long count, SimConfig config, int jobs) {
        AtomicLong next = new AtomicLong();
        AtomicLong lowestFailure = new AtomicLong(Long.MAX_VALUE);
        ConcurrentSkipListMap<Long, Block> blocks = new ConcurrentSkipListMap<>();
        AtomicReference<Throwable> trouble = new AtomicReference<>();
        Runnable work = () -> {
            while (trouble.get() == null) {
                long from = first + next.getAndIncrement() * BLOCK;
                if (from >= first + count || from > lowestFailure.get()) {
                    return;
                }
                long n = Math.min(BLOCK, first + count - from);
                Simulation.Exploration e = Simulation.explore(body, from, n, config, r -> {
                    if (!r.ok()) {
                        lowestFailure.accumulateAndGet(r.seed(), Math::min);
                        return false;
                    }
                    return r.seed() < lowestFailure.get();
                });
                blocks.put(from, new Block(e.executions(), e.totalSteps(), e.last(), e.confidence()));
            }
        };
        List<Thread> threads = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            threads.add(Thread.ofPlatform().name("trellis-explore-" + j).start(() -> {
                try {
                    work.run();
                } catch (Throwable t) {
                    trouble.compareAndSet(null, t);
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while exploring", e);
            }
        }
        if (trouble.get() instanceof RuntimeException re) {
            throw re;
        }
        if (trouble.get() instanceof Error err) {
            throw err;
        }
        // In seed order, up to the first block that failed: what one thread would have run.
        long executions = 0;
        long steps = 0;
        Result last = null;
        long choices = 0;
        int tasks = 0;
        int depth = 0;
        TreeMap<Long, Long> ranges = new TreeMap<>();
        for (Block b : blocks.values()) {
            executions += b.executions();
            steps += b.steps();
            last = b.last();
            if (b.confidence().isPresent()) {
                Confidence c = b.confidence().get();
                depth = c.depth();
                choices = Math.max(choices, c.choices());
                tasks = Math.max(tasks, c.tasks());
                ranges.merge(Long.parseLong(config.strategy().substring(config.strategy().lastIndexOf(':') + 1)),
                        b.executions(), Long::sum);
            }
            if (last != null && !last.ok()) {
                break;
            }
        }
        Optional<Confidence> confidence = depth == 0 ? Optional.empty() : Optional.of(Confidence.of(depth, choices, tasks, ranges));
        return new Simulation.Exploration(executions, steps, last, false, confidence);
    }
}

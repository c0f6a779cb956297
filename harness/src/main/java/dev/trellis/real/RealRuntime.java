package dev.trellis.real;

import dev.trellis.runtime.spi.Kernel;

import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The real runtime: tasks are virtual threads whose continuations all run on one platform
 * carrier thread, in the order they become ready, so code between two checkpoints never
 * interleaves with another task (trio's guarantee). Time is the system clock; I/O is real.
 *
 * {@snippet :
 * String reply = RealRuntime.run(() -> {
 *     Nursery.open(n -> n.start("worker", () -> Trellis.sleep(Duration.ofMillis(10))));
 *     return "done";
 * });
 * }
 */
public final class RealRuntime extends Kernel {
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final long origin = System.nanoTime();
    private final SplittableRandom random = new SplittableRandom();

    private RealRuntime() {}

    /** Runs {@code body} as the main task and returns what it returns, or throws what it throws. */
    public static <T> T run(Callable<T> body) throws Exception {
        if (Kernel.currentOrNull() != null) {
            throw new IllegalStateException("RealRuntime.run cannot be called from inside a Trellis task; "
                    + "start a child with Nursery.start instead");
        }
        RealRuntime rt = new RealRuntime();
        Object[] result = new Object[1];
        var root = rt.spawn("main", null, -1, null, () -> result[0] = body.call());
        Thread carrier = new Thread(rt::loop, "trellis-carrier");
        carrier.start();
        carrier.join();
        Throwable failure = root.failure();
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    @Override
    protected void submit(Runnable continuation) {
        queue.add(continuation);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime() - origin;
    }

    @Override
    protected boolean othersWaiting() {
        return !queue.isEmpty() || timers.nextDeadline() <= nanoTime();
    }

    private TcpNetwork network;

    @Override
    public dev.trellis.runtime.Network network() {
        if (network == null) {
            network = new TcpNetwork(this);
        }
        return network;
    }

    @Override
    public long draw(long bound) {
        return random.nextLong(bound);
    }

    private void loop() {
        try {
            while (live > 0) {
                fireDueTimers(nanoTime());
                Runnable next = queue.poll();
                if (next == null) {
                    long deadline = timers.nextDeadline();
                    long wait = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - nanoTime();
                    if (wait <= 0) {
                        continue;
                    }
                    next = queue.poll(Math.min(wait, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        continue;
                    }
                }
                next.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

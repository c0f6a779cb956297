package dev.trellis.real;

import java.util.concurrent.Callable;

/**
 * The real runtime: tasks are virtual threads whose continuations all run on one platform
 * carrier thread, in the order they become ready, so code between two checkpoints never
 * interleaves with another task (trio's guarantee). Time is the system clock; I/O is real TCP.
 * The loop runs tasks in batches, as trio's does, with one poll of the sockets between batches.
 *
 * {@snippet :
 * String reply = RealRuntime.run(() -> {
 *     Nursery.open(n -> n.start("worker", () -> Trellis.sleep(Duration.ofMillis(10))));
 *     return "done";
 * });
 * }
 */
public final class RealRuntime {
    private RealRuntime() {}

    /**
     * Runs {@code body} as the main task and returns what it returns, or throws what it throws.
     * Returns when every task has ended and every socket is closed.
     */
    public static <T> T run(Callable<T> body) throws Exception {
        return RealKernel.run(body);
    }
}

package dev.trellis.runtime;

/**
 * The code of a nursery, a cancel scope or a task that says when it is ready, given what it runs
 * in: one shape for all three, as trio's {@code async with open_nursery() as n:},
 * {@code with CancelScope() as s:} and {@code task_status} are one idea.
 *
 * {@snippet :
 * Nursery.open(n -> n.start("child", () -> work()));
 * CancelScope.moveOnAfter(Duration.ofSeconds(5), scope -> { ...; if (done) scope.cancel(); });
 * n.startAndWait("server", status -> { ...; status.started(address); ... });
 * }
 *
 * @param <T> what the block runs in: the {@link Nursery}, the {@link CancelScope}, or the
 *            {@link Nursery.TaskStatus}
 */
@FunctionalInterface
public interface Block<T> {
    void run(T in) throws Exception;
}

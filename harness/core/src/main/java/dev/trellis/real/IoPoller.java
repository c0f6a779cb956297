package dev.trellis.real;

import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.Task;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * Socket readiness for the real runtime: one {@link Selector}, polled by the carrier's loop
 * between batches of tasks (trio's epoll I/O manager). A task whose operation would block calls
 * {@link #await}: it registers interest, parks cancellably, and deregisters when it resumes,
 * however it resumes. Cancelling it therefore ends only the wait, never the socket.
 *
 * <p>Tasks and the loop take turns on the carrier thread, so nothing here is locked; only
 * {@link #wakeup} may be called from another thread.
 */
final class IoPoller implements AutoCloseable {
    private static final int READS = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
    private static final int WRITES = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;

    private final Kernel kernel;
    private final Selector selector;
    /** How many times {@link #wakeup} was called: a test sees that readiness does not wake the selector. */
    private final java.util.concurrent.atomic.LongAdder wakeups = new java.util.concurrent.atomic.LongAdder();
    private int waiting;

    /** The tasks waiting on one channel: to read or accept, and to write or finish connecting. */
    private static final class Waiters {
        final List<Task> readers = new ArrayList<>(1);
        final List<Task> writers = new ArrayList<>(1);
    }

    IoPoller(Kernel kernel) {
        this.kernel = kernel;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the real runtime", e);
        }
    }

    /**
     * Parks the current task until {@code channel} may be ready for {@code op} (one of the
     * {@link SelectionKey} OP_ constants), or until the task is cancelled, which throws
     * {@code Cancelled}. Returns early, without parking, when the channel is already closed: the
     * caller's retry then reports that. Readiness is a hint; callers retry and may wait again.
     */
    void await(SelectableChannel channel, int op, String reason) {
        Task me = Kernel.current("socket wait");
        SelectionKey key = channel.keyFor(selector);
        try {
            if (key == null) {
                key = channel.register(selector, op, new Waiters());
            } else {
                key.interestOps(key.interestOps() | op);
            }
        } catch (ClosedChannelException | CancelledKeyException closed) {
            return;
        }
        Waiters w = (Waiters) key.attachment();
        List<Task> list = (op & READS) != 0 ? w.readers : w.writers;
        list.add(me);
        waiting++;
        try {
            kernel.park(reason, true);
        } finally {
            waiting--;
            list.remove(me);
            if (list.isEmpty()) {
                dropInterest(key, op);
            }
        }
    }

    /** Wakes every task waiting on {@code channel}: it is being closed, and they must see that. */
    void wakeWaiters(SelectableChannel channel) {
        SelectionKey key = channel.keyFor(selector);
        if (key != null) {
            Waiters w = (Waiters) key.attachment();
            wakeAll(w.readers);
            wakeAll(w.writers);
        }
    }

    /** Whether any task is parked on a socket. */
    boolean hasWaiters() {
        return waiting > 0;
    }

    /**
     * Wakes the tasks whose channels are ready, waiting up to {@code timeoutNanos} for one to be
     * (0: do not wait; {@code Long.MAX_VALUE}: until a channel is ready or {@link #wakeup}).
     */
    void poll(long timeoutNanos) {
        try {
            if (timeoutNanos <= 0) {
                if (!selector.keys().isEmpty()) {   // no channel was ever registered: nothing to ask
                    selector.selectNow(this::ready);
                }
            } else if (timeoutNanos == Long.MAX_VALUE) {
                selector.select(this::ready, 0);
            } else {
                // The selector counts in milliseconds: round up, so a timer is never fired early
                // by a wait that returned before it was due (the loop would just spin).
                selector.select(this::ready, Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the real runtime's selector failed", e);
        }
    }

    /** How many tasks wait on a channel now. */
    int waiting() {
        return waiting;
    }

    /** How many wakeups were asked for so far. */
    long wakeups() {
        return wakeups.sum();
    }

    /** Ends a {@link #poll} in progress (or the next one) early. Any thread may call. */
    void wakeup() {
        wakeups.increment();
        selector.wakeup();
    }

    private void ready(SelectionKey key) {
        Waiters w = (Waiters) key.attachment();
        int ready = key.readyOps();
        int served = 0;
        if ((ready & READS) != 0) {
            wakeAll(w.readers);
            served |= READS;
        }
        if ((ready & WRITES) != 0) {
            wakeAll(w.writers);
            served |= WRITES;
        }
        // The woken tasks retry and register again if they still would block; until then the
        // key must not keep reporting readiness nobody waits for.
        dropInterest(key, served);
    }

    private void wakeAll(List<Task> tasks) {
        for (int i = 0; i < tasks.size(); i++) {
            kernel.wake(tasks.get(i));
        }
    }

    private static void dropInterest(SelectionKey key, int ops) {
        try {
            key.interestOps(key.interestOps() & ~ops);
        } catch (CancelledKeyException closed) {
            // the channel was closed meanwhile; its key goes with it
        }
    }

    /** Closes the selector; channels closed while registered are released now. */
    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // the runtime is ending; nothing waits on the selector any more
        }
    }
}

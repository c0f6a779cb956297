package dev.trellis.runtime;

import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.Task;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A queue between tasks with backpressure (trio's memory channel). {@link #send} waits while the
 * buffer is full; with capacity zero it waits until a receiver takes the value. Every send and
 * receive is a checkpoint. Values are delivered once, in order; a value handed to a receiver is
 * never lost to a cancellation that comes after the hand-off.
 *
 * {@snippet :
 * Channel<String> ch = Channel.bounded(1);
 * Nursery.open(n -> {
 *     n.start("producer", () -> { ch.send("a"); ch.send("b"); ch.close(); });
 *     n.start("consumer", () -> { for (String s : ch) System.out.println(s); });
 * });
 * }
 *
 * @param <T> what travels
 */
public final class Channel<T> implements Iterable<T> {
    private static final class Waiter<T> {
        final Task task;
        T value;
        boolean done;

        Waiter(Task task, T value) {
            this.task = task;
            this.value = value;
        }
    }

    private final int capacity;
    private final ArrayDeque<T> buffer = new ArrayDeque<>();
    private final ArrayDeque<Waiter<T>> senders = new ArrayDeque<>();
    private final ArrayDeque<Waiter<T>> receivers = new ArrayDeque<>();
    private boolean closed;

    private Channel(int capacity) {
        this.capacity = capacity;
    }

    /** A channel buffering up to {@code capacity} values; 0 gives an unbuffered channel. */
    public static <T> Channel<T> bounded(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("channel capacity must be zero or positive, was [" + capacity + "]");
        }
        return new Channel<>(capacity);
    }

    /** A channel whose send completes only when a receiver takes the value. */
    public static <T> Channel<T> unbuffered() {
        return new Channel<>(0);
    }

    /**
     * Sends {@code value}, waiting while the buffer is full. A checkpoint.
     *
     * @throws ClosedResourceException if the channel was closed for sending
     */
    public void send(T value) {
        Task me = Kernel.current("Channel.send");
        Kernel kernel = me.kernel();
        kernel.checkpointIfCancelled();
        if (closed) {
            throw new ClosedResourceException("send on a closed channel");
        }
        Waiter<T> receiver = pollParked(receivers);
        if (receiver != null) {
            receiver.value = value;
            receiver.done = true;
            kernel.wake(receiver.task);
            kernel.yieldNow();
            return;
        }
        if (buffer.size() < capacity) {
            buffer.addLast(value);
            kernel.yieldNow();
            return;
        }
        Waiter<T> w = new Waiter<>(me, value);
        senders.addLast(w);
        try {
            kernel.park("send on a full channel", true);
        } finally {
            if (!w.done) {
                senders.remove(w);
            }
        }
        if (!w.done) {
            throw new ClosedResourceException("channel closed while a send was waiting");
        }
    }

    /**
     * Receives the next value, waiting while there is none. A checkpoint.
     *
     * @throws EndOfChannel once the channel is closed and every value has been received
     */
    public T receive() {
        Task me = Kernel.current("Channel.receive");
        Kernel kernel = me.kernel();
        kernel.checkpointIfCancelled();
        if (!buffer.isEmpty()) {
            T value = buffer.pollFirst();
            Waiter<T> sender = pollParked(senders);
            if (sender != null) {
                buffer.addLast(sender.value);
                sender.done = true;
                kernel.wake(sender.task);
            }
            kernel.yieldNow();
            return value;
        }
        Waiter<T> sender = pollParked(senders);
        if (sender != null) {
            sender.done = true;
            kernel.wake(sender.task);
            kernel.yieldNow();
            return sender.value;
        }
        if (closed) {
            throw new EndOfChannel("channel closed and drained");
        }
        Waiter<T> w = new Waiter<>(me, null);
        receivers.addLast(w);
        try {
            kernel.park("receive on an empty channel", true);
        } finally {
            if (!w.done) {
                receivers.remove(w);
            }
        }
        if (!w.done) {
            throw new EndOfChannel("channel closed and drained");
        }
        return w.value;
    }

    /**
     * Closes the channel for sending. Values already buffered can still be received; then
     * receivers see {@link EndOfChannel}. Waiting senders get {@link ClosedResourceException}.
     * Idempotent, not a checkpoint.
     */
    public void close() {
        Kernel kernel = Kernel.current("Channel.close").kernel();
        if (closed) {
            return;
        }
        closed = true;
        for (Waiter<T> w : receivers) {
            kernel.wake(w.task);
        }
        for (Waiter<T> w : senders) {
            kernel.wake(w.task);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Values buffered now. */
    public int size() {
        return buffer.size();
    }

    /** Receives until the channel is closed and drained. */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private T next;
            private boolean ready;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (ready) {
                    return true;
                }
                if (ended) {
                    return false;
                }
                try {
                    next = receive();
                    ready = true;
                } catch (EndOfChannel e) {
                    ended = true;
                }
                return ready;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("channel closed and drained");
                }
                ready = false;
                T value = next;
                next = null;
                return value;
            }
        };
    }

    /** The first waiter whose task is still parked; others were woken by a cancellation and leave. */
    private static <T> Waiter<T> pollParked(ArrayDeque<Waiter<T>> queue) {
        for (Iterator<Waiter<T>> it = queue.iterator(); it.hasNext(); ) {
            Waiter<T> w = it.next();
            if (w.task.isParked()) {
                it.remove();
                return w;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "Channel[capacity " + capacity + ", " + buffer.size() + " buffered" + (closed ? ", closed" : "") + "]";
    }
}

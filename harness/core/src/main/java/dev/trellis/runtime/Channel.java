package dev.trellis.runtime;

import dev.trellis.runtime.spi.Binding;
import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.ParkingLot;
import dev.trellis.runtime.spi.Task;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A queue between tasks with backpressure (trio's memory channel). {@link #send} waits while the
 * buffer is full; with capacity zero it waits until a receiver takes the value. Every send and
 * receive is a checkpoint; {@link #trySend} and {@link #tryReceive} never wait and are never
 * checkpoints. Values are delivered once, in order; a value handed to a receiver is never lost to
 * a cancellation that comes after the hand-off. Values are never null.
 *
 * <p>A channel belongs to the execution (the simulated run of one seed, or one
 * {@code RealRuntime.run}) whose task uses it first; a task of any other execution that uses it
 * gets an {@link IllegalStateException}. Create it inside the body or task that uses it, not in a
 * static field.
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
    /** Handed to waiting senders and receivers by {@link #close}; a sender whose value was taken is handed null. */
    private static final Object CLOSED = new Object();
    /** What {@link #poll} returns when a receive would have to wait. */
    private static final Object NOTHING = new Object();

    private final Binding binding = new Binding(this);
    private final int capacity;
    private final ArrayDeque<T> buffer = new ArrayDeque<>();
    /** Senders waiting for room, each carrying its value; never non-empty together with {@code receivers}. */
    private final ParkingLot senders = new ParkingLot();
    /** Receivers waiting for a value, which a sender hands them. */
    private final ParkingLot receivers = new ParkingLot();
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
     * @throws NullPointerException if {@code value} is null
     */
    public void send(T value) {
        requireValue(value);
        Task me = binding.task("Channel.send");
        Kernel kernel = me.kernel();
        kernel.checkpointIfCancelled();
        if (offer(value)) {
            kernel.yieldNow();
            return;
        }
        if (senders.park("send on a full channel", value) == CLOSED) {
            throw new ClosedResourceException("channel closed while a send was waiting");
        }
    }

    /**
     * Receives the next value, waiting while there is none. A checkpoint.
     *
     * @throws EndOfChannel once the channel is closed and every value has been received
     */
    public T receive() {
        Task me = binding.task("Channel.receive");
        Kernel kernel = me.kernel();
        kernel.checkpointIfCancelled();
        Object value = poll();
        if (value != NOTHING) {
            kernel.yieldNow();
            return value(value);
        }
        Object handed = receivers.park("receive on an empty channel");
        if (handed == CLOSED) {
            throw new EndOfChannel("channel closed and drained");
        }
        return value(handed);
    }

    /** A value this channel carried: only a T was ever sent, buffered or handed over. */
    @SuppressWarnings("unchecked")
    private T value(Object v) {
        return (T) v;
    }

    /**
     * Sends {@code value} only if that needs no wait (trio's send_nowait): hands it to the receiver
     * that has waited longest, or else buffers it if there is room. Not a checkpoint: it never
     * gives up the carrier and never raises {@link Cancelled}, even in a cancelled scope.
     *
     * @return true if the value was handed over or buffered; false if a send would have to wait
     *         (the buffer is full, or, unbuffered, no receiver is waiting), and then nothing changed
     * @throws ClosedResourceException if the channel was closed for sending
     * @throws NullPointerException if {@code value} is null
     */
    public boolean trySend(T value) {
        requireValue(value);
        binding.task("Channel.trySend");
        return offer(value);
    }

    /**
     * Receives a value only if one is there now (trio's receive_nowait): the oldest buffered one,
     * or else the value of the sender that has waited longest, whose send then completes. Not a
     * checkpoint: it never gives up the carrier and never raises {@link Cancelled}.
     *
     * {@snippet :
     * // Drain what is there now, then go on with something else.
     * for (Optional<Job> job = jobs.tryReceive(); job.isPresent(); job = jobs.tryReceive()) {
     *     run(job.get());
     * }
     * }
     *
     * @return the value, or an empty Optional if a receive would have to wait
     * @throws EndOfChannel once the channel is closed and every value has been received
     */
    public Optional<T> tryReceive() {
        binding.task("Channel.tryReceive");
        Object value = poll();
        return value == NOTHING ? Optional.empty() : Optional.of(value(value));
    }

    /** The same on every channel: a buffered one could not hold a null, so none carries one. */
    private static void requireValue(Object value) {
        if (value == null) {
            throw new NullPointerException("a channel carries no null values; send a value that stands for none");
        }
    }

    /** What {@link #trySend} does, and {@link #send} tries first. */
    private boolean offer(T value) {
        if (closed) {
            throw new ClosedResourceException("send on a closed channel");
        }
        if (!receivers.isEmpty()) {
            receivers.unparkFirst(value);
            return true;
        }
        if (buffer.size() < capacity) {
            buffer.addLast(value);
            return true;
        }
        return false;
    }

    /**
     * What {@link #tryReceive} does, and {@link #receive} tries first, with {@link #NOTHING} for
     * an empty Optional. A waiting sender's value joins the buffer as its head leaves (trio's
     * order), so that sender's send completes and values keep their order.
     */
    private Object poll() {
        if (!senders.isEmpty()) {
            buffer.addLast(value(senders.unparkFirst(null)));
        }
        if (!buffer.isEmpty()) {
            return buffer.pollFirst();
        }
        if (closed) {
            throw new EndOfChannel("channel closed and drained");
        }
        return NOTHING;
    }

    /**
     * Closes the channel for sending. Values already buffered can still be received; then
     * receivers see {@link EndOfChannel}. Waiting senders get {@link ClosedResourceException}.
     * Idempotent, not a checkpoint.
     */
    public void close() {
        binding.task("Channel.close");
        if (closed) {
            return;
        }
        closed = true;
        receivers.unparkAll(CLOSED);
        senders.unparkAll(CLOSED);
    }

    /** Whether {@link #close} was called. Callable outside any task too. */
    public boolean isClosed() {
        binding.checkIfInTask("Channel.isClosed");
        return closed;
    }

    /** Values buffered now. Callable outside any task too. */
    public int size() {
        binding.checkIfInTask("Channel.size");
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

    @Override
    public String toString() {
        return "Channel[capacity " + capacity + ", " + buffer.size() + " buffered" + (closed ? ", closed" : "") + "]";
    }
}

package dev.trellis.cli.bugs;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StringGen;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * The {@link PortedObjects} written as Lincheck tests: a class whose {@code @Operation} methods
 * are the calls (Lincheck makes a fresh instance per invocation) and, where the object itself is
 * no specification, a sequential one with the same methods. Lincheck creates all of these by
 * reflection, so they are public with public no-argument constructors.
 */
public final class LincheckTargets {
    private LincheckTargets() {}

    /** Values 1 to 3, as the Trellis check draws them. */
    @Param(name = "value", gen = IntGen.class, conf = "1:3")
    public static class ChannelTest {
        private final PortedObjects.Channel channel = new PortedObjects.Channel();

        @Operation
        public boolean trySend(@Param(name = "value") int v) {
            return channel.trySend(v);
        }

        @Operation
        public Object tryReceive() {
            return channel.tryReceive();
        }

        @Operation
        public int size() {
            return channel.size();
        }
    }

    /** A bounded channel of two, one call at a time. */
    public static class ChannelSpec {
        private final ArrayDeque<Object> buffer = new ArrayDeque<>();

        public boolean trySend(int v) {
            if (buffer.size() == 2) {
                return false;
            }
            buffer.addLast(v);
            return true;
        }

        public Object tryReceive() {
            return buffer.pollFirst();
        }

        public int size() {
            return buffer.size();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ChannelSpec c && List.copyOf(c.buffer).equals(List.copyOf(buffer));
        }

        @Override
        public int hashCode() {
            return List.copyOf(buffer).hashCode();
        }
    }

    /** Names "a" and "b", as the Trellis check uses two. */
    @Param(name = "name", gen = StringGen.class, conf = "1:ab")
    public static class RegistryTest {
        private final PortedObjects.Registry registry = new PortedObjects.Registry();

        @Operation
        public boolean join(@Param(name = "name") String n) {
            return registry.join(n);
        }

        @Operation
        public boolean leave(@Param(name = "name") String n) {
            return registry.leave(n);
        }

        @Operation
        public List<String> names() {
            return registry.names();
        }
    }

    public static class ChatRoomTest {
        private final PortedObjects.ChatRoom room = new PortedObjects.ChatRoom();

        @Operation
        public void join() {
            room.join();
        }

        @Operation
        public int broadcast() {
            return room.broadcast();
        }
    }

    /** A broadcast reaches every member that has joined, and never throws. */
    public static class ChatRoomSpec {
        private int members = PortedObjects.ChatRoom.FOUNDERS;

        public void join() {
            members++;
        }

        public int broadcast() {
            return members;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ChatRoomSpec c && c.members == members;
        }

        @Override
        public int hashCode() {
            return Objects.hash(members);
        }
    }

    /** The counter is its own specification: run one call at a time, it counts right. */
    public static class CounterTest {
        private final PortedObjects.Counter counter = new PortedObjects.Counter();

        @Operation
        public void increment() {
            counter.increment();
        }

        @Operation
        public int get() {
            return counter.get();
        }
    }

    /** A correct counter, for {@link LincheckRun#warmUp}. */
    public static class WarmUp {
        private final java.util.concurrent.atomic.AtomicInteger value = new java.util.concurrent.atomic.AtomicInteger();

        @Operation
        public int increment() {
            return value.incrementAndGet();
        }

        @Operation
        public int get() {
            return value.get();
        }
    }
}

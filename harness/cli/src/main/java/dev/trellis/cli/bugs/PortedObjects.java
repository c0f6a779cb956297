package dev.trellis.cli.bugs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The benchmark's broken data structures on plain Java, no Trellis: what stress testing runs on
 * platform threads and what Lincheck's model checker drives. Each keeps its original's bug, with
 * {@link Thread#yield()} where the original has a Trellis checkpoint (a place another thread may
 * run; to the model checker a yield is just another point to switch at).
 */
public final class PortedObjects {
    private PortedObjects() {}

    /** trellis-lincheck's {@code RacyChannel}: capacity 2, a send reads the count, yields, then writes the slot it read. */
    public static final class Channel {
        private final Object[] slots = new Object[2];
        private int count;

        public boolean trySend(Object value) {
            int n = count;
            if (n == slots.length) {
                return false;
            }
            Thread.yield();
            slots[n] = value;
            count = n + 1;
            return true;
        }

        /** The oldest value, or null when empty. */
        public Object tryReceive() {
            if (count == 0) {
                return null;
            }
            Object v = slots[0];
            System.arraycopy(slots, 1, slots, 0, slots.length - 1);
            slots[--count] = null;
            return v;
        }

        public int size() {
            return count;
        }
    }

    /**
     * trellis-lincheck's {@code RacyRegistry}: join checks, yields, then adds. The list is
     * synchronized so that each step is atomic, as between two Trellis checkpoints: only the
     * check-then-act is left, not a torn ArrayList.
     */
    public static final class Registry {
        private final List<String> names = Collections.synchronizedList(new ArrayList<>());

        public boolean join(String name) {
            if (names.contains(name)) {
                return false;
            }
            Thread.yield();
            names.add(name);
            return true;
        }

        public boolean leave(String name) {
            return names.remove(name);
        }

        public List<String> names() {
            synchronized (names) {
                return names.stream().sorted().toList();
            }
        }
    }

    /**
     * The seed chat's broadcast-while-joining as a class: broadcast walks the live member list and
     * delivers to each (a write to the member, then a yield, where the chat sends to a stream); a
     * join adds to the same list. A join during a walk makes the walk's next step throw
     * ConcurrentModificationException, as it crashes the seed chat.
     */
    public static final class ChatRoom {
        /** A member's inbox, reduced to a count of messages. */
        public static final class Member {
            int received;
        }

        /** Members the room starts with, so that a broadcast has a list to walk. */
        public static final int FOUNDERS = 2;

        private final List<Member> members = new ArrayList<>();

        public ChatRoom() {
            for (int i = 0; i < FOUNDERS; i++) {
                members.add(new Member());
            }
        }

        public void join() {
            members.add(new Member());
        }

        /** Delivers to every member; returns how many. */
        public int broadcast() {
            int delivered = 0;
            for (Member m : members) {
                m.received++;
                delivered++;
                Thread.yield();
            }
            return delivered;
        }
    }

    /** {@code lost-update}: an increment reads, yields, writes. */
    public static final class Counter {
        private int value;

        public void increment() {
            int seen = value;
            Thread.yield();
            value = seen + 1;
        }

        public int get() {
            return value;
        }
    }
}

package dev.trellis.lincheck;

import dev.trellis.runtime.ClosedResourceException;
import dev.trellis.runtime.EndOfChannel;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Sequential specifications, written the Lincheck way: plain classes, one call at a time. Public:
 * the bug benchmark judges its ports of the broken classes against the same ones.
 */
public final class Specs {
    private Specs() {}

    /** Where the real call would wait: no valid order may put a call that returned there. */
    public static final class WouldWait extends RuntimeException {
        public WouldWait() {
            super("the real call waits here", null, false, false);
        }
    }

    /** {@link dev.trellis.runtime.Channel#bounded}(2), trio's memory channel. */
    public static class BoundedChannel2 {
        private final ArrayDeque<Object> buffer = new ArrayDeque<>();
        private boolean closed;

        public boolean trySend(Object value) {
            if (closed) {
                throw new ClosedResourceException("closed");
            }
            if (buffer.size() == 2) {
                return false;
            }
            buffer.addLast(value);
            return true;
        }

        public Optional<Object> tryReceive() {
            if (!buffer.isEmpty()) {
                return Optional.of(buffer.pollFirst());
            }
            if (closed) {
                throw new EndOfChannel("closed and drained");
            }
            return Optional.empty();
        }

        public void send(Object value) {
            if (!trySend(value)) {
                throw new WouldWait();
            }
        }

        public Object receive() {
            return tryReceive().orElseThrow(WouldWait::new);
        }

        public void close() {
            closed = true;
        }

        public int size() {
            return buffer.size();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BoundedChannel2 c && c.closed == closed && List.copyOf(c.buffer).equals(List.copyOf(buffer));
        }

        @Override
        public int hashCode() {
            return List.copyOf(buffer).hashCode() * 31 + (closed ? 1 : 0);
        }
    }

    /** {@link dev.trellis.runtime.Event}: a flag set once; a wait returns once it is set. */
    public static class Flag {
        private boolean set;

        public void set() {
            set = true;
        }

        public boolean isSet() {
            return set;
        }

        public void await() {
            if (!set) {
                throw new WouldWait();
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Flag f && f.set == set;
        }

        @Override
        public int hashCode() {
            return set ? 1 : 0;
        }
    }

    /** A registry of unique names: join takes a free name, leave gives it back. */
    public static class Names {
        private final TreeSet<String> names = new TreeSet<>();

        public boolean join(String name) {
            return names.add(name);
        }

        public boolean leave(String name) {
            return names.remove(name);
        }

        public List<String> names() {
            return List.copyOf(names);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Names n && n.names.equals(names);
        }

        @Override
        public int hashCode() {
            return names.hashCode();
        }
    }
}

package dev.trellis.readme;

import dev.trellis.lincheck.Arg;
import dev.trellis.lincheck.Linearizability;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.Simulation;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README.md's linearizability example runs here, and the README shows exactly its region; the
 * same check without the lock must fail, so the example's pass means something.
 */
class ReadmeLinearizabilityTest {
    private static final Path SOURCE = Path.of("src/test/java/dev/trellis/readme/ReadmeLinearizabilityTest.java");
    static final String SECTION = "## Checking a concurrent class for linearizability";

    /** A user's class: booking calls a payment service (a checkpoint) between the check and the act. */
    public static final class Seats {
        private final Set<Integer> booked = new HashSet<>();
        private final ReentrantLock lock;

        public Seats() {
            this(new ReentrantLock());
        }

        Seats(ReentrantLock lock) {
            this.lock = lock;
        }

        public boolean book(int seat) {
            if (lock != null) {
                lock.lock();
            }
            try {
                if (booked.contains(seat)) {
                    return false;
                }
                Trellis.checkpoint();   // stands for the payment call
                booked.add(seat);
                return true;
            } finally {
                if (lock != null) {
                    lock.unlock();
                }
            }
        }

        public boolean cancel(int seat) {
            return booked.remove(seat);
        }

        public int booked() {
            return booked.size();
        }
    }

    // --8<-- [start:linearizability]
    /** The specification: a plain class with the same public methods, run one call at a time. */
    public static class SeatsSpec {
        private final Set<Integer> booked = new TreeSet<>();
        public boolean book(int seat) { return booked.add(seat); }
        public boolean cancel(int seat) { return booked.remove(seat); }
        public int booked() { return booked.size(); }
    }

    @Test
    void seatsAreLinearizable() {
        Linearizability.of(Seats::new, SeatsSpec.class)
                .operation("book", Arg.ints(1, 2))
                .operation("cancel", Arg.ints(1, 2))
                .operation("booked")
                .check();   // 3 tasks x 3 calls, 1,000 seeds; a failure shows the history and the seed
    }
    // --8<-- [end:linearizability]

    @Test
    void withoutTheLockTheSameCheckFails() {
        Simulation.Exploration e = Linearizability.of(() -> new Seats(null), SeatsSpec.class)
                .operation("book", Arg.ints(1, 2)).operation("cancel", Arg.ints(1, 2)).operation("booked")
                .explore();
        assertThat(e.ok()).isFalse();
        assertThat(e.last().failure().getMessage()).contains("have no order that SeatsSpec agrees with").contains("book(");
    }

    @Test
    void theReadmeShowsThisCode() throws Exception {
        ReadmeBlocks.checkCodeBlocks(SECTION, SOURCE, "linearizability");
    }
}

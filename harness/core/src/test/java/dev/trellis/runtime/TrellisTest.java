package dev.trellis.runtime;

import dev.trellis.real.RealRuntime;
import dev.trellis.sim.Sims;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrellisTest {
    @Nested
    class InTask {
        /** Whether the body and a child it starts are tasks, in that order. */
        private static List<Boolean> bodyAndChild() throws Exception {
            List<Boolean> seen = Collections.synchronizedList(new ArrayList<>());
            seen.add(Trellis.inTask());
            Nursery.open(n -> n.start("child", () -> seen.add(Trellis.inTask())));
            return List.copyOf(seen);
        }

        @Test
        void isFalseOutsideEveryRuntime() {
            assertThat(Trellis.inTask()).isFalse();
        }

        @Test
        void isTrueInTheBodyAndItsChildrenUnderTheSimulator() {
            List<List<Boolean>> seen = new ArrayList<>();
            Sims.run(1, () -> seen.add(bodyAndChild()));
            assertThat(seen).containsExactly(List.of(true, true));
            // The caller's thread is still no task once the run is over.
            assertThat(Trellis.inTask()).isFalse();
        }

        @Test
        @Timeout(30) // the real runtime: a hang must fail the test, not stall the build
        void isTrueInTheBodyAndItsChildrenUnderTheRealRuntime() throws Exception {
            assertThat(RealRuntime.run(InTask::bodyAndChild)).containsExactly(true, true);
            assertThat(Trellis.inTask()).isFalse();
        }
    }
}

package dev.trellis.lincheck;

import dev.trellis.apps.ChatRoomRegistry;
import dev.trellis.runtime.Channel;
import dev.trellis.runtime.Event;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.sim.SimulationFailure;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Trellis's own concurrent objects are linearizable under its schedules, and two deliberately
 * broken ones are caught, each with a seed that replays. Seeds scale with {@code -Dtrellis.budget}.
 */
class LinearizabilityTest {
    private static final long SEEDS = 400L * Integer.getInteger("trellis.budget", 1);

    private static Linearizability<Channel<Object>> channel() {
        return Linearizability.of(() -> Channel.bounded(2), Specs.BoundedChannel2.class)
                .operation("trySend", Arg.ints(1, 3))
                .operation("tryReceive")
                .operation("size")
                .seeds(0, SEEDS);
    }

    @Test
    void aBoundedChannelsNonBlockingCallsAreLinearizable() {
        Simulation.Exploration e = channel().check();
        assertThat(e.executions()).isEqualTo(SEEDS);
    }

    @Test
    void aBoundedChannelWithCloseAndBlockingCallsThatReturnedIsLinearizable() {
        // A send or receive that had to wait is judged where it returned: the specification
        // throws where the real call would wait. One that waited 1 s of virtual time for a call
        // no task made is cancelled (atomically, so it did nothing) and left out.
        channel().operation("send", Arg.ints(1, 3)).operation("receive").operation("close")
                .blockingCallsGiveUpAfter(Duration.ofSeconds(1))
                .check();
    }

    @Test
    void anEventIsLinearizable() {
        Linearizability.of(Event::new, Specs.Flag.class)
                .operation("set").operation("isSet").operation("await")
                .blockingCallsGiveUpAfter(Duration.ofSeconds(1))
                .seeds(0, SEEDS)
                .check();
    }

    @Test
    void theRobustChatsRoomIsALinearizableNameRegistry() {
        Linearizability.of(ChatRoomRegistry::new, Specs.Names.class)
                .operation("join", Arg.of("ann", "bob"))
                .operation("leave", Arg.of("ann", "bob"))
                .operation("names")
                .seeds(0, SEEDS)
                .check();
    }

    @Test
    void aChannelThatLosesAValueUnderARaceIsCaughtWithTheHistory() {
        Simulation.Exploration e = Linearizability.of(RacyChannel::new, Specs.BoundedChannel2.class)
                .operation("trySend", Arg.ints(1, 3)).operation("tryReceive").operation("size")
                .seeds(0, 2_000).explore();
        assertThat(e.ok()).isFalse();
        Result r = e.last();
        assertThat(r.failure()).isInstanceOf(SimulationFailure.InvariantViolated.class);
        assertThat(r.failure().getMessage())
                .contains("Invariant violated: linearizability: the ")
                .contains("have no order that BoundedChannel2 agrees with")
                .contains("task 0").contains("trySend(").contains("└ true")
                .contains("seed       " + r.seed())
                .contains("-Dtrellis.seed=" + r.seed());
        assertReplays(Linearizability.of(RacyChannel::new, Specs.BoundedChannel2.class)
                .operation("trySend", Arg.ints(1, 3)).operation("tryReceive").operation("size"), r);
    }

    @Test
    void aRegistryWithACheckThenActIsCaught() {
        Linearizability<RacyRegistry> check = Linearizability.of(RacyRegistry::new, Specs.Names.class)
                .operation("join", Arg.of("ann", "bob")).operation("leave", Arg.of("ann", "bob")).operation("names");
        Simulation.Exploration e = check.seeds(0, 2_000).explore();
        assertThat(e.ok()).isFalse();
        assertThat(e.last().failure().getMessage()).contains("join(\"ann\")").contains("have no order that Names agrees with");
        assertReplays(check, e.last());
    }

    @Test
    void theSameCheckUnderPctFindsTheRaceToo() {
        Simulation.Exploration e = Linearizability.of(RacyRegistry::new, Specs.Names.class)
                .operation("join", Arg.of("ann")).operation("names")
                .config(SimConfig.defaults().withStrategy("pct:2"))
                .seeds(0, 2_000).explore();
        assertThat(e.ok()).isFalse();
        assertThat(e.last().failure().headline()).startsWith("linearizability");
    }

    /** Running the failing seed alone gives the same execution: the same failure and trace hash. */
    private static void assertReplays(Linearizability<?> check, Result failing) {
        Result again = check.seeds(failing.seed(), 1).explore().last();
        assertThat(again.failure()).isNotNull();
        assertThat(again.traceHashHex()).isEqualTo(failing.traceHashHex());
        assertThat(again.failure().getMessage()).isEqualTo(failing.failure().getMessage());
        String before = System.getProperty(SimConfig.SEED_PROPERTY);
        System.setProperty(SimConfig.SEED_PROPERTY, Long.toString(failing.seed()));
        try {
            assertThatThrownBy(() -> check.seeds(0, 10).check())
                    .isInstanceOf(SimulationFailure.InvariantViolated.class)
                    .hasMessageContaining("seed       " + failing.seed());
        } finally {
            if (before == null) {
                System.clearProperty(SimConfig.SEED_PROPERTY);
            } else {
                System.setProperty(SimConfig.SEED_PROPERTY, before);
            }
        }
    }

    @Test
    void mistakesInTheCheckAreOneClearSentence() {
        assertThatThrownBy(() -> Linearizability.of(RacyRegistry::new, Hidden.class))
                .hasMessageContaining("must be a public class");
        assertThatThrownBy(() -> Linearizability.of(RacyRegistry::new, Specs.Names.class).operation("enter", Arg.of("x")))
                .hasMessageContaining("has 0 public methods enter with 1 parameter(s)");
        assertThatThrownBy(() -> Linearizability.of(RacyRegistry::new, Specs.Names.class).check())
                .hasMessageContaining("name at least one operation");
        assertThatThrownBy(() -> Linearizability.of(RacyRegistry::new, Specs.Names.class).tasks(0))
                .hasMessageContaining("tasks must be at least 1");
    }

    static class Hidden {}

    /** A registry whose names() hands out a live view: correct, if the view is read when the call returned. */
    public static final class ViewRegistry {
        private final java.util.Set<String> names = new java.util.TreeSet<>();

        public boolean join(String name) {
            dev.trellis.runtime.Trellis.checkpoint();
            return names.add(name);
        }

        public java.util.Set<String> names() {
            return java.util.Collections.unmodifiableSet(names);
        }
    }

    public static class ViewSpec {
        private final java.util.Set<String> names = new java.util.TreeSet<>();

        public boolean join(String name) {
            return names.add(name);
        }

        public java.util.Set<String> names() {
            return new java.util.TreeSet<>(names);
        }
    }

    @Test
    void aResultIsReadWhenTheCallReturnsNotAfterTheRun() {
        Linearizability.of(ViewRegistry::new, ViewSpec.class)
                .operation("join", Arg.of("ann", "bob")).operation("names")
                .seeds(0, 200).check();
    }

    public static class LongSizeSpec {
        public long size() {
            return 0;
        }

        public boolean trySend(Integer value) {
            return true;
        }
    }

    @Test
    void signaturesThatCannotMatchAreRefusedBeforeExploring() {
        assertThatThrownBy(() -> Linearizability.of(() -> Channel.bounded(2), LongSizeSpec.class)
                .operation("size").check())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Channel.size returns int and LongSizeSpec.size returns long");
        assertThatThrownBy(() -> Linearizability.of(() -> Channel.bounded(2), LongSizeSpec.class)
                .operation("trySend", Arg.ints(1, 2)).check())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LongSizeSpec has no trySend(java.lang.Object) (it has trySend(java.lang.Integer))")
                .hasMessageContaining("a generic parameter T is Object once erased");
    }
}

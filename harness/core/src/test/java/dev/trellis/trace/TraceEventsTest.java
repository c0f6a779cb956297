package dev.trellis.trace;

import dev.trellis.real.RealRuntime;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.Result;
import dev.trellis.sim.Simulation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Typed events: what invariants and reports read instead of parsing notes. */
class TraceEventsTest {
    @Test
    void applicationEventsAreSelectedByTypeWithTheirNumbersTaskAndTime() {
        Result r = Simulation.result(() -> Nursery.open(n -> {
            n.start("alice", () -> {
                Trellis.sleep(Duration.ofMillis(1));
                Trellis.event("chat.broadcast", 7, 1);
            });
            n.start("bob", () -> {
                Trellis.sleep(Duration.ofMillis(2));
                Trellis.event("chat.deliver", 7, 2);
                Trellis.note("chat.broadcast 99 99");   // a note is text, never an event
            });
        }), 0).orThrow();
        Trace trace = r.trace();
        List<Trace.Event> broadcasts = trace.events("chat.broadcast");
        assertThat(broadcasts).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(TraceKind.EVENT);
            assertThat(e.a()).isEqualTo(7);
            assertThat(e.b()).isEqualTo(1);
            assertThat(e.time()).isEqualTo(Duration.ofMillis(1).toNanos());
            assertThat(trace.describe(e.index())).contains("task " + e.task() + ": chat.broadcast 7 1");
        });
        assertThat(trace.events("chat.deliver")).extracting(Trace.Event::b).containsExactly(2L);
        assertThat(trace.events(TraceKind.EVENT)).hasSize(2);
        assertThat(trace.events(TraceKind.NOTE)).extracting(Trace.Event::text).containsExactly("chat.broadcast 99 99");
    }

    @Test
    void anEventNeedsATypeAndTheRealRuntimeIgnoresEvents() throws Exception {
        Simulation.result(() -> assertThatThrownBy(() -> Trellis.event(" ", 1, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a type"), 0).orThrow();
        assertThat(RealRuntime.run(() -> {
            Trellis.event("ignored", 1, 2);
            return "ran";
        })).isEqualTo("ran");
    }

    @Test
    void anEventOutOfRangeSaysSo() {
        Trace trace = Simulation.result(() -> { }, 0).orThrow().trace();
        assertThatThrownBy(() -> trace.event(trace.size())).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("of a trace of " + trace.size());
    }
}

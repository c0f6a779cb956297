package dev.trellis.trace;

import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Nursery;
import dev.trellis.sim.Simulation;
import dev.trellis.streams.MemoryStreams;
import dev.trellis.streams.StreamOptions;
import dev.trellis.testkit.StreamConformance;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Streams record what happens to each end as typed events: an echo's history, read off the trace. */
class StreamEventsTest {
    @Test
    void aPairRecordsOpenSendReceiveEofAndClosePerEnd() {
        Trace trace = Simulation.result(() -> {
            ByteStream[] p = MemoryStreams.pair(StreamOptions.plain());
            Nursery.open(n -> {
                n.start("sender", () -> {
                    p[0].sendAll("hello".getBytes(StandardCharsets.UTF_8));
                    p[0].sendEof();
                    p[0].close();
                });
                n.start("receiver", () -> {
                    assertThat(StreamConformance.receiveExactly(p[1], 5)).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
                    assertThat(p[1].receiveSome(8)).isEmpty();
                    p[1].close();
                });
            });
        }, 0).orThrow().trace();

        List<Trace.Event> opens = trace.events(TraceKind.STREAM_OPEN);
        assertThat(opens).hasSize(2);
        long a = opens.get(0).a();
        long b = opens.get(1).a();
        assertThat(opens.get(0).b()).as("a's peer").isEqualTo(b);
        assertThat(opens.get(1).b()).as("b's peer").isEqualTo(a);

        assertThat(trace.events(TraceKind.STREAM_SEND)).singleElement()
                .satisfies(e -> assertThat(List.of(e.a(), e.b())).containsExactly(a, 5L));
        List<Trace.Event> receives = trace.events(TraceKind.STREAM_RECEIVE);
        assertThat(receives).allMatch(e -> e.a() == b);
        assertThat(receives.stream().filter(e -> e.b() > 0).mapToLong(Trace.Event::b).sum()).isEqualTo(5);
        assertThat(receives.get(receives.size() - 1).b()).as("end-of-stream comes last").isEqualTo(-1);
        assertThat(trace.events(TraceKind.STREAM_EOF)).extracting(Trace.Event::a).containsExactly(a);
        assertThat(trace.events(TraceKind.STREAM_CLOSE)).extracting(Trace.Event::a).containsExactlyInAnyOrder(a, b);
        assertThat(trace.describe(trace.events(TraceKind.STREAM_SEND).get(0).index())).contains("sends 5 bytes on stream " + a);
    }
}

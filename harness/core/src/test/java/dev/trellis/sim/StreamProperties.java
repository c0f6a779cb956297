package dev.trellis.sim;

import dev.trellis.runtime.Body;
import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Nursery;
import dev.trellis.streams.MemoryStreams;
import dev.trellis.streams.StreamOptions;
import dev.trellis.testkit.StreamConformance;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random payloads × random stream settings × random seeds: bytes arrive in order, nothing lost
 * or duplicated, end-of-stream only after every byte, a reset is seen by both sides, and a
 * replay ends as its run did (trace hash, failure, and what the replay itself received).
 */
class StreamProperties {
    @Provide
    Arbitrary<StreamOptions> options() {
        Arbitrary<Integer> capacity = Arbitraries.integers().between(0, 64);
        Arbitrary<Integer> chunk = Arbitraries.integers().between(0, 16);
        Arbitrary<Boolean> random = Arbitraries.of(true, false);
        Arbitrary<Integer> latencyMs = Arbitraries.integers().between(0, 5);
        return Combinators.combine(capacity, chunk, random, latencyMs)
                .as((c, k, r, l) -> new StreamOptions(c, k, r, Duration.ofMillis(l), -1));
    }

    /** The payload split into the pieces the sender hands to sendAll. */
    private static void sendPieces(ByteStream s, byte[] payload, List<Integer> cuts) {
        int at = 0;
        for (int cut : cuts) {
            int end = Math.min(payload.length, at + cut);
            s.sendAll(payload, at, end - at);
            at = end;
        }
        s.sendAll(payload, at, payload.length - at);
    }

    /** What one execution's receiver saw; each execution gets its own, so a replay is judged on its own data. */
    private static final class Received {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> chunks = new ArrayList<>();
        int afterEnd;
    }

    /**
     * A sender hands {@code payload} over in pieces and closes; the receiver reads to the end into
     * {@code into}, then once more. With {@code failAtEnd} the receiver then throws, its message
     * naming the receive sizes the execution drew.
     */
    private static Body sendAndReceive(byte[] payload, List<Integer> cuts, StreamOptions options, Received into,
                                       boolean failAtEnd) {
        return () -> {
            ByteStream[] p = MemoryStreams.pair(options);
            Nursery.open(n -> {
                n.start("sender", () -> {
                    sendPieces(p[0], payload, cuts);
                    p[0].sendEof();
                });
                n.start("receiver", () -> {
                    byte[] buf = new byte[64];
                    int k;
                    while ((k = p[1].receiveSome(buf, 0, buf.length)) > 0) {
                        into.bytes.write(buf, 0, k);
                        into.chunks.add(k);
                    }
                    into.afterEnd = p[1].receiveSome(new byte[1], 0, 1);
                    if (failAtEnd) {
                        throw new IllegalStateException("received in chunks of " + into.chunks);
                    }
                });
            });
        };
    }

    /**
     * The replay ended as the run did: the same trace, the same kind of harness failure (a
     * replay's failure text names its own strategy, so only the headline is compared) and the
     * same body failure, class and message.
     */
    private static void assertReplayEndedAsTheRun(Result replay, Result run) {
        assertThat(replay.traceHashHex()).as("the replay's trace hash").isEqualTo(run.traceHashHex());
        assertThat(describe(replay.failure())).as("the replay's harness failure").isEqualTo(describe(run.failure()));
        assertThat(describe(replay.bodyFailure())).as("the replay's body failure").isEqualTo(describe(run.bodyFailure()));
    }

    private static String describe(Throwable t) {
        return switch (t) {
            case null -> "none";
            case SimulationFailure f -> f.getClass().getSimpleName() + ": " + f.headline();
            default -> t.getClass().getName() + ": " + t.getMessage();
        };
    }

    @Property(tries = 600)
    void bytesArriveInOrderOnceAndEndOfStreamComesLast(@ForAll @Size(max = 300) byte[] payload,
                                                       @ForAll @Size(max = 5) List<@IntRange(min = 0, max = 50) Integer> cuts,
                                                       @ForAll("options") StreamOptions options, @ForAll long seed) {
        Received first = new Received();
        Result r = Simulation.result(sendAndReceive(payload, cuts, options, first, false), seed).orThrow();
        assertThat(first.bytes.toByteArray()).isEqualTo(payload);
        assertThat(first.afterEnd).isEqualTo(-1);

        Received replayed = new Received();
        Result again = Simulation.replay(sendAndReceive(payload, cuts, options, replayed, false), seed, r.trace(),
                SimConfig.defaults());
        assertReplayEndedAsTheRun(again, r);
        assertThat(replayed.bytes.toByteArray()).as("bytes the replay received").isEqualTo(payload);
        assertThat(replayed.afterEnd).as("the replay's receive after end-of-stream").isEqualTo(-1);
        // Receive sizes are drawn from the execution's decisions: the replay must draw the same.
        assertThat(replayed.chunks).as("the replay's receive sizes").isEqualTo(first.chunks);
    }

    @Property(tries = 200)
    void aReplayOfAFailedRunFailsWithTheSameMessage(@ForAll @Size(min = 1, max = 300) byte[] payload,
                                                    @ForAll @Size(max = 5) List<@IntRange(min = 0, max = 50) Integer> cuts,
                                                    @ForAll("options") StreamOptions options, @ForAll long seed) {
        Received first = new Received();
        Result r = Simulation.result(sendAndReceive(payload, cuts, options, first, true), seed);
        assertThat(r.failure()).isNull();
        assertThat(r.bodyFailure()).isInstanceOf(IllegalStateException.class)
                .hasMessage("received in chunks of " + first.chunks);

        Received replayed = new Received();
        Result again = Simulation.replay(sendAndReceive(payload, cuts, options, replayed, true), seed, r.trace(),
                SimConfig.defaults());
        assertReplayEndedAsTheRun(again, r);
        assertThat(replayed.chunks).as("the replay's receive sizes").isEqualTo(first.chunks);
    }

    @Property(tries = 500)
    void aResetIsSeenByBothSidesAfterExactlyTheBytesBeforeIt(@ForAll @IntRange(min = 0, max = 200) int resetAfter,
                                                               @ForAll @IntRange(min = 1, max = 400) int size,
                                                               @ForAll("options") StreamOptions options,
                                                               @ForAll long seed) {
        byte[] payload = StreamConformance.pattern(size, seed);
        StreamOptions opts = options.withResetAfter(resetAfter);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        List<String> seen = new ArrayList<>();
        Simulation.result(() -> {
            ByteStream[] p = MemoryStreams.pair(opts);
            Nursery.open(n -> {
                n.start("sender", () -> {
                    try {
                        p[0].sendAll(payload);
                        // Then single bytes until the reset shows: the reset point may lie past the payload.
                        for (int i = 0; i <= resetAfter + 1; i++) {
                            p[0].sendAll(new byte[] {1});
                        }
                        seen.add("sender: no reset");
                    } catch (BrokenStreamException e) {
                        seen.add("sender: reset");
                    }
                });
                n.start("receiver", () -> {
                    byte[] buf = new byte[64];
                    try {
                        int k;
                        while ((k = p[1].receiveSome(buf, 0, buf.length)) > 0) {
                            got.write(buf, 0, k);
                        }
                        seen.add("receiver: end-of-stream");
                    } catch (BrokenStreamException e) {
                        seen.add("receiver: reset");
                    }
                });
            });
        }, seed).orThrow();
        byte[] sent = Arrays.copyOf(payload, Math.max(size, resetAfter));
        Arrays.fill(sent, size, sent.length, (byte) 1);
        assertThat(seen).containsExactlyInAnyOrder("sender: reset", "receiver: reset");
        assertThat(got.toByteArray()).isEqualTo(Arrays.copyOf(sent, resetAfter));
    }
}

package dev.trellis.testkit;

import dev.trellis.runtime.Body;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.streams.MemoryStreams;
import dev.trellis.streams.StreamOptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** The conformance suite on memory pairs under every adversary setting, each over many seeds. */
class MemoryStreamConformanceTest {
    private static final int SEEDS = 40;

    static Map<String, StreamOptions> settings() {
        Map<String, StreamOptions> m = new LinkedHashMap<>();
        m.put("plain", StreamOptions.plain());
        m.put("adversarial", StreamOptions.adversarial());
        m.put("one-byte chunks", StreamOptions.plain().withFixedChunks(1));
        m.put("random chunks up to 3", StreamOptions.plain().withRandomChunks(3));
        m.put("7-byte buffer", StreamOptions.adversarial().withCapacity(7));
        m.put("10 ms latency", StreamOptions.adversarial().withLatency(Duration.ofMillis(10)));
        m.put("lockstep", StreamOptions.lockstep());
        return m;
    }

    @TestFactory
    List<DynamicTest> everyCheckUnderEverySetting() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var setting : settings().entrySet()) {
            var checks = StreamConformance.checks(() -> MemoryStreams.pair(setting.getValue()), 20_000);
            for (Map.Entry<String, Body> check : checks.entrySet()) {
                for (String strategy : new String[] {"random", "pct:3:200"}) {
                    tests.add(dynamicTest(setting.getKey() + " / " + strategy + ": " + check.getKey(), () ->
                            Simulation.explore(check.getValue(), 0, SEEDS, SimConfig.defaults().withStrategy(strategy)).orThrow()));
                }
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> backpressureHoldsWheneverTheBufferIsBounded() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var setting : settings().entrySet()) {
            int bytes = setting.getValue().capacity() + 1_000;
            tests.add(dynamicTest("backpressure, " + setting.getKey(), () -> Simulation.explore(
                    () -> StreamConformance.backpressureHolds(() -> MemoryStreams.pair(setting.getValue()), bytes,
                            Duration.ofSeconds(1)), 0, SEEDS, SimConfig.defaults()).orThrow()));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> aRandomResetPointIsDrawnFromTheSeedAndReplays() {
        return List.of(dynamicTest("random reset", () -> {
            java.util.Set<Long> hashes = new java.util.HashSet<>();
            for (long seed = 0; seed < 30; seed++) {
                Body body = () -> {
                    dev.trellis.runtime.ByteStream[] p = MemoryStreams.pair(StreamOptions.plain().withRandomReset(500));
                    byte[] data = StreamConformance.pattern(600, 3);
                    dev.trellis.runtime.Nursery.open(n -> {
                        n.start("send", () -> {
                            try {
                                p[0].sendAll(data);
                            } catch (dev.trellis.runtime.BrokenStreamException expected) {
                                dev.trellis.runtime.Trellis.note("sender saw the reset");
                            }
                        });
                        n.start("receive", () -> {
                            try {
                                StreamConformance.receiveAll(p[1]);
                                throw new AssertionError("a reset before byte 500 of 600 was not seen");
                            } catch (dev.trellis.runtime.BrokenStreamException expected) {
                                dev.trellis.runtime.Trellis.note("receiver saw the reset");
                            }
                        });
                    });
                };
                var r = Simulation.result(body, seed).orThrow();
                org.assertj.core.api.Assertions.assertThat(Simulation.replay(body, seed, r.trace(), SimConfig.defaults()).traceHash())
                        .isEqualTo(r.traceHash());
                hashes.add(r.traceHash());
            }
            org.assertj.core.api.Assertions.assertThat(hashes.size()).isGreaterThan(10);
        }));
    }

    @TestFactory
    List<DynamicTest> resetIsSeenByBothSides() {
        List<DynamicTest> tests = new ArrayList<>();
        for (long k : new long[] {0, 1, 100, 5_000}) {
            for (var setting : settings().entrySet()) {
                StreamOptions opts = setting.getValue().withResetAfter(k);
                tests.add(dynamicTest("reset after " + k + " bytes, " + setting.getKey(), () ->
                        Simulation.explore(() -> StreamConformance.resetIsSeenByBothSides(() -> MemoryStreams.pair(opts), k),
                                0, SEEDS, SimConfig.defaults()).orThrow()));
            }
        }
        return tests;
    }
}

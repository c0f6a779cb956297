package dev.trellis.testkit;

import dev.trellis.runtime.Body;
import dev.trellis.sim.MemoryStreams;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.sim.StreamOptions;
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

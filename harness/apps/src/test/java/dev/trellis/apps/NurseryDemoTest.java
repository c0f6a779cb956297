package dev.trellis.apps;

import dev.trellis.real.RealRuntime;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class NurseryDemoTest {
    private static final List<String> PARENT_FIRST = List.of(
            "parent: started!",
            "parent: spawning child1...",
            "parent: spawning child2...",
            "parent: waiting for children to finish...");

    @Test
    void parentEndsAtFiveVirtualSecondsInAnOrderTrioAllowsAcrossAThousandSeeds() {
        Set<List<String>> orders = new HashSet<>();
        for (String strategy : List.of("random", "pct:3")) {
            for (long seed = 0; seed < 500; seed++) {
                List<String> lines = new ArrayList<>();
                List<Duration> times = new ArrayList<>();
                Result r = Simulation.result(() -> NurseryDemo.run(line -> {
                    lines.add(line);
                    times.add(dev.trellis.runtime.Trellis.now());
                }), seed, SimConfig.defaults().withStrategy(strategy)).orThrow();

                assertThat(r.endTime()).isEqualTo(Duration.ofSeconds(5));
                assertThat(lines.subList(0, 4)).containsExactlyElementsOf(PARENT_FIRST);
                assertThat(lines.subList(4, 6)).containsExactlyInAnyOrder(
                        "  child1: started! sleeping now...", "  child2: started! sleeping now...");
                assertThat(lines.subList(6, 9)).containsExactly(
                        "  child1: exiting!", "  child2: exiting!", "parent: all done!");
                assertThat(times.get(6)).isEqualTo(Duration.ofSeconds(2));
                assertThat(times.get(7)).isEqualTo(Duration.ofSeconds(5));
                assertThat(times.get(8)).isEqualTo(Duration.ofSeconds(5));
                orders.add(lines);
            }
        }
        // Both child start orders trio allows are explored.
        assertThat(orders).hasSize(2);
    }

    @Test
    @Timeout(30) // five real seconds of sleeps; a hang in the real runtime must fail, not stall the build
    void runsForRealOnTheRealRuntime() throws Exception {
        List<String> lines = new ArrayList<>();
        long start = System.nanoTime();
        // Real seconds would make the suite slow; the real runtime's timing is the same code path.
        RealRuntime.run(() -> {
            NurseryDemo.run(lines::add);
            return null;
        });
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(lines).hasSize(9).endsWith("parent: all done!");
        assertThat(millis).isGreaterThanOrEqualTo(5_000);
    }
}

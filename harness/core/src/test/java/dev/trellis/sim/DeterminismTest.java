package dev.trellis.sim;

import dev.trellis.runtime.Body;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The product: one seed, one trace. Checked in one JVM, across two JVMs, and through replay. */
class DeterminismTest {
    private static final int SEEDS = 50;
    private static final String[] STRATEGIES = {"random", "pct:3:100", "pos"};
    /** Strategies that learn from the executions before (PCT's K) or walk a space (a search). */
    private static final String[] EXPLORERS = {"pct:3", "dfs:2"};

    /** Lines of "program strategy seed hash", the same in every JVM. */
    static List<String> fingerprints() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Body> p : Workbench.programs().entrySet()) {
            for (String strategy : STRATEGIES) {
                for (long seed = 0; seed < SEEDS; seed++) {
                    Result r = Simulation.result(p.getValue(), seed, SimConfig.defaults().withStrategy(strategy));
                    assertThat(r.failure()).isNull();
                    out.add(p.getKey() + " " + strategy + " " + seed + " " + r.traceHashHex() + " " + r.steps());
                }
            }
            for (String strategy : EXPLORERS) {
                // The last execution of an exploration depends on every one before it.
                Simulation.Exploration e = Simulation.explore(p.getValue(), 0, SEEDS, SimConfig.defaults().withStrategy(strategy));
                assertThat(e.ok()).as(e.summary()).isTrue();
                out.add(p.getKey() + " " + strategy + " x" + e.executions() + " " + e.last().strategy() + " "
                        + e.last().traceHashHex() + " " + e.totalSteps());
            }
        }
        return out;
    }

    @Test
    void sameSeedGivesTheSameTraceHashTenTimesInOneJvm() {
        List<String> first = fingerprints();
        for (int i = 0; i < 9; i++) {
            assertThat(fingerprints()).containsExactlyElementsOf(first);
        }
    }

    @Test
    void differentSeedsExploreDifferentSchedules() {
        Set<String> hashes = new HashSet<>();
        for (long seed = 0; seed < 100; seed++) {
            hashes.add(Simulation.result(Workbench::pingPong, seed).traceHashHex());
        }
        assertThat(hashes.size()).isGreaterThan(50);
    }

    /** How long the second JVM may take; it computes the same fingerprints as this one (a few seconds). */
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(120);
    /** Marks the probe's result lines: anything else on its stdout (a JVM warning, say) is not compared. */
    private static final String RESULT = "fingerprint: ";

    @Test
    void sameSeedGivesTheSameTraceHashInAnotherJvm(@TempDir Path dir) throws Exception {
        List<String> here = fingerprints();
        String java = ProcessHandle.current().info().command().orElseThrow();
        // A different identity-hash algorithm in the child: nothing may depend on identity hashes.
        ProcessBuilder pb = new ProcessBuilder(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-XX:+UnlockExperimentalVMOptions", "-XX:hashCode=2",
                "-cp", System.getProperty("java.class.path"), DeterminismProbe.class.getName());
        // To files, not pipes: the child never blocks on a full pipe, and waitFor's timeout is
        // the only wait, so a hung child fails the test after CHILD_TIMEOUT instead of stalling it.
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(CHILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("The second JVM did not finish within %s and was killed.%nIts stderr:%n%s%nIts stdout so far:%n%s",
                    CHILD_TIMEOUT, Files.readString(err), Files.readString(out));
        }
        assertThat(p.exitValue()).as("the second JVM's exit code; its stderr:%n%s", Files.readString(err)).isZero();
        // Only the result lines: stderr and any other output say nothing about determinism.
        List<String> there = Files.readAllLines(out).stream()
                .filter(l -> l.startsWith(RESULT)).map(l -> l.substring(RESULT.length())).toList();
        assertThat(there).as("fingerprints computed in a second JVM").containsExactlyElementsOf(here);
    }

    @Test
    void replayOfARecordedTraceGivesTheSameHash() {
        for (Map.Entry<String, Body> p : Workbench.programs().entrySet()) {
            for (long seed = 0; seed < 20; seed++) {
                Result original = Simulation.result(p.getValue(), seed, SimConfig.defaults().withStrategy("pct:3:100"));
                Result replayed = Simulation.replay(p.getValue(), seed, original.trace(), SimConfig.defaults());
                assertThat(replayed.failure()).isNull();
                assertThat(replayed.traceHash()).as("%s seed %d", p.getKey(), seed).isEqualTo(original.traceHash());
            }
        }
    }

    @Test
    void replayOfADifferentProgramIsReportedAsNondeterminism() {
        Result original = Simulation.result(Workbench::pingPong, 4);
        Result replayed = Simulation.replay(() -> Workbench.fanOut(5), 4, original.trace(), SimConfig.defaults());
        assertThat(replayed.failure()).isInstanceOf(SimulationFailure.Nondeterminism.class);
        assertThat(replayed.failure().getMessage()).contains("Replay departed from its recording");
    }

    @Test
    void replayThatDivergesInsideATaskFailsCleanly() {
        // Recorded with two draws, replayed by a program that draws three times: the third draw
        // happens inside a task and must fail the run, not the task.
        Result original = Simulation.result(() -> {
            dev.trellis.runtime.Trellis.random(10);
            dev.trellis.runtime.Trellis.random(10);
        }, 1);
        Result replayed = Simulation.replay(() -> {
            for (int i = 0; i < 3; i++) {
                dev.trellis.runtime.Trellis.random(10);
            }
        }, 1, original.trace(), SimConfig.defaults());
        assertThat(replayed.failure()).isInstanceOf(SimulationFailure.Nondeterminism.class);
        assertThat(replayed.failure().getMessage()).contains("the recording has only 2");
        assertThat(replayed.bodyFailure()).isNull();
    }

    /** Run in a second JVM by {@link #sameSeedGivesTheSameTraceHashInAnotherJvm}. */
    public static final class DeterminismProbe {
        public static void main(String[] args) throws IOException {
            for (String line : fingerprints()) {
                System.out.println(RESULT + line);
            }
        }
    }
}

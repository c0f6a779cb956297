package dev.trellis.sim;

import dev.trellis.runtime.Channel;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.spi.Kernel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadLeakTest {
    private static final int EXECUTIONS = 100_000;

    @Test
    void noThreadOutlivesItsExecutionAcrossAHundredThousandExecutions() {
        Simulation.explore(Workbench::pingPong, 0, 10, SimConfig.defaults()).orThrow();
        long before = Kernel.liveTaskThreads();
        long trellisPlatformThreads = trellisThreads();

        var ok = Simulation.explore(Workbench::pingPong, 0, EXECUTIONS, SimConfig.defaults());
        assertThat(ok.executions()).isEqualTo(EXECUTIONS);
        ok.orThrow();

        // Failing executions leave tasks parked mid-flight: teardown must unwind every one.
        int failures = 0;
        for (long seed = 0; seed < 1_000; seed++) {
            Result r = Simulation.result(ThreadLeakTest::deadlockWithSpectators, seed);
            failures += r.failure() instanceof SimulationFailure.Deadlock ? 1 : 0;
        }
        assertThat(failures).isEqualTo(1_000);

        assertThat(Kernel.liveTaskThreads()).isEqualTo(before);
        assertThat(trellisThreads()).isLessThanOrEqualTo(trellisPlatformThreads);
    }

    /** Platform threads Trellis made (drivers, the watchdog, carriers). */
    private static long trellisThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("trellis-")).count();
    }

    private static void deadlockWithSpectators() throws Exception {
        Channel<String> never = Channel.unbuffered();
        Nursery.open(n -> {
            n.start("waiter-1", never::receive);
            n.start("waiter-2", never::receive);
            n.start("nested", () -> Nursery.open(inner -> inner.start("deep", never::receive)));
        });
    }
}

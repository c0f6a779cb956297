package dev.trellis.cli;

import dev.trellis.apps.NurseryDemo;
import dev.trellis.real.RealRuntime;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Locale;
import java.util.concurrent.Callable;

/** Runs one of the seed tutorial's programs, for real or under the simulator. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a seed program: 'nursery' (parent and two sleeping children).")
final class DemoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PROGRAM", description = "Which program: nursery.")
    String program;

    @Option(names = "--sim", description = "Run under the simulator (virtual time) instead of for real.")
    boolean sim;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for the simulator (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--strategy", defaultValue = "random",
            description = "Scheduling strategy: random, pct:D or pct:D:K (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Override
    public Integer call() throws Exception {
        if (!program.equals("nursery")) {
            System.err.println("unknown program '" + program + "': known programs are: nursery");
            return 2;
        }
        if (!sim) {
            RealRuntime.run(() -> {
                NurseryDemo.run(line -> System.out.printf(Locale.ROOT, "[%6.3f s] %s%n", seconds(), line));
                return null;
            });
            return 0;
        }
        Result r = Simulation.run(() -> NurseryDemo.run(line ->
                System.out.printf(Locale.ROOT, "[%6.3f s] %s%n", seconds(), line)), seed,
                SimConfig.defaults().withStrategy(strategy));
        if (r.failure() != null || r.bodyFailure() != null) {
            System.err.println(r.failure() != null ? r.failure().getMessage() : r.bodyFailure().toString());
            return 1;
        }
        System.out.printf(Locale.ROOT, "virtual end time %s, %d steps, trace hash %s%n", r.endTime(), r.steps(),
                r.traceHashHex());
        return 0;
    }

    private static double seconds() {
        return Trellis.now().toNanos() / 1e9;
    }
}

package dev.trellis.cli;

import dev.trellis.apps.Programs;
import dev.trellis.real.RealRuntime;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.Pct;
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
        description = "Run a seed program to its end, for real or under the simulator.")
final class DemoCommand implements Callable<Integer> {
    /** For picocli's help: the programs with a demo. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Programs.all().stream().filter(Programs.Program::hasDemo).map(Programs.Program::name).iterator();
        }
    }

    @Parameters(index = "0", paramLabel = "PROGRAM", completionCandidates = Names.class,
            description = "Which program: ${COMPLETION-CANDIDATES}.")
    String program;

    @Option(names = "--sim", description = "Run under the simulator (virtual time) instead of for real.")
    boolean sim;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for the simulator (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--strategy", defaultValue = "random",
            description = "Scheduling strategy: random, pos, pct:D (PCT for bugs of depth D; one run draws its change "
                    + "points over " + Pct.FIRST_CHOICES + " choices), pct:D:K (over K choices) or dfs:P (its first "
                    + "schedule) "
                    + "(default: ${DEFAULT-VALUE}).")
    String strategy;

    @Override
    public Integer call() throws Exception {
        Programs.Demo demo = Programs.find(program).map(Programs.Program::demo).orElse(null);
        if (demo == null) {
            System.err.println("unknown program '" + program + "': programs with a demo are: "
                    + Programs.names(Programs.Program::hasDemo));
            return 2;
        }
        if (!sim) {
            RealRuntime.run(() -> {
                demo.run(DemoCommand::print);
                return null;
            });
            return 0;
        }
        SimConfig config;
        try {
            config = SimConfig.defaults().withStrategy(strategy);
        } catch (IllegalArgumentException e) {
            System.err.println("--strategy: " + e.getMessage());
            return 2;
        }
        Result r = Simulation.result(() -> demo.run(DemoCommand::print), seed, config);
        if (r.failure() != null || r.bodyFailure() != null) {
            System.err.println(r.failure() != null ? r.failure().getMessage() : "the program failed: " + r.bodyFailure());
            System.err.println("Run it again: ./trellis demo " + program + " --sim --seed " + r.seed()
                    + " --strategy " + r.strategy());
            return 1;
        }
        System.out.printf(Locale.ROOT, "virtual end time %s, %d steps, trace hash %s%n", r.endTime(), r.steps(),
                r.traceHashHex());
        return 0;
    }

    private static void print(String line) {
        System.out.printf(Locale.ROOT, "[%6.3f s] %s%n", seconds(), line);
    }

    private static double seconds() {
        return Trellis.now().toNanos() / 1e9;
    }
}

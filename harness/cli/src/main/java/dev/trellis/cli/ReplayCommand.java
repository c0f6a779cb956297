package dev.trellis.cli;

import dev.trellis.explore.Replayer;
import dev.trellis.scenario.ScenarioException;
import dev.trellis.sim.Result;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code trellis replay}: one explored execution again, checked against its recording. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Run one explored execution again and check its trace hash against the recording.",
                "TARGET is a report folder (reports/<scenario>/seed-<n>), its trace.json, or a scenario file with --seed.",
                "Exit status: 0 when the execution matches its recording (if any) and shows what its scenario expects, "
                        + "1 when it does not, 2 for bad input."})
final class ReplayCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TARGET", description = "A report folder, a trace.json, or a scenario file.")
    Path target;

    @Option(names = "--seed", paramLabel = "N", description = "With a scenario file: the seed to run.")
    Long seed;

    @Option(names = "--strategy", paramLabel = "SPEC", description = "With a scenario file: the strategy (default: the file's).")
    String strategy;

    @Option(names = "--reports", paramLabel = "DIR", defaultValue = "${sys:trellis.reports:-reports}",
            description = "Where an exploration wrote its reports, to compare with (default: ${DEFAULT-VALUE}).")
    Path reports;

    @Option(names = "--classpath", paramLabel = "PATH", description = "Folders and jars holding your Handler classes.")
    String classpath;

    @Override
    public Integer call() throws Exception {
        Replayer.Replay replay;
        try {
            ClassLoader loader = Cli.classLoader(classpath);
            boolean scenarioFile = Files.isRegularFile(target) && target.toString().matches(".*\\.ya?ml$");
            if (scenarioFile) {
                if (seed == null) {
                    return Cli.bad("replaying a scenario file needs --seed N (or give a report folder)");
                }
                replay = Replayer.seed(target, seed, strategy, reports, loader);
            } else {
                if (seed != null || strategy != null) {
                    return Cli.bad("--seed and --strategy go with a scenario file; a report folder records its own");
                }
                replay = Replayer.recorded(target, loader);
            }
        } catch (ScenarioException | IllegalArgumentException e) {
            return Cli.bad(e.getMessage());
        }
        if (replay.warning() != null) {
            System.err.println("warning: " + replay.warning());
        }
        Result r = replay.run().result();
        if (r.ok()) {
            System.out.println(replay.plan().name() + ": seed " + r.seed() + " passed (" + r.schedule().text() + ")");
        } else {
            System.out.println(replay.run().report().message());
        }
        System.out.println("outcome     " + replay.run().outcome() + (replay.asExpected() ? ", as the scenario expects"
                : ", but the scenario expects " + replay.plan().expected()));
        System.out.println("trace hash  " + r.traceHashHex());
        if (replay.recordedHash() == null) {
            System.out.println("recorded    nothing to compare with (explore writes a report for a failing seed)");
        } else if (replay.matches()) {
            System.out.println("recorded    " + replay.recordedHash() + ": the replay matches it");
        } else {
            System.out.println("recorded    " + replay.recordedHash() + ": the replay DEPARTS from it");
            System.out.println(replay.departure() != null ? replay.departure()
                    : "every recorded event matches, but the hashes differ: the recording's hash was changed");
        }
        return replay.matches() && replay.asExpected() ? 0 : 1;
    }
}

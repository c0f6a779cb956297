package dev.trellis.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code trellis} command. */
@Command(name = "trellis", mixinStandardHelpOptions = true, version = "trellis 0.1.0",
        description = "Deterministic simulation harness for structured-concurrency Java.",
        subcommands = {BenchCommand.class, DemoCommand.class, ServeCommand.class})
public final class Main {
    public static void main(String[] args) {
        // The JDK registers every virtual thread in a global set for thread dumps unless told
        // not to; the simulator starts millions of short tasks and does its own accounting.
        System.setProperty("jdk.trackAllThreads", System.getProperty("jdk.trackAllThreads", "false"));
        System.exit(new CommandLine(new Main()).execute(args));
    }
}

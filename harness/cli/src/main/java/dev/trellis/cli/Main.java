package dev.trellis.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code trellis} command. */
@Command(name = "trellis", mixinStandardHelpOptions = true, version = "trellis 0.1.0",
        description = "Deterministic simulation harness for structured-concurrency Java.",
        subcommands = {ExploreCommand.class, ReplayCommand.class, MergeCommand.class, DemoCommand.class, ServeCommand.class, BenchCommand.class})
public final class Main {
    /**
     * The command line, with bad input reported as one line naming the mistake and what to do
     * (exit 2), never a usage dump or a stack trace.
     */
    static CommandLine command() {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setParameterExceptionHandler((ex, args) -> {
            CommandLine sub = ex.getCommandLine();
            String suggestion = "";
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                suggestion = " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
            }
            sub.getErr().println("trellis: " + ex.getMessage() + suggestion + ". See '" + sub.getCommandSpec().qualifiedName()
                    + " --help'.");
            return 2;
        });
        cmd.setExecutionExceptionHandler((ex, sub, parsed) -> {
            // The machine said no (a full disk, a folder that cannot be written): one line, not a trace.
            Throwable io = ex instanceof java.io.UncheckedIOException u ? u.getCause() : ex;
            if (io instanceof java.io.IOException) {
                sub.getErr().println("trellis: " + (ex.getMessage() == null ? io : ex.getMessage())
                        + (io.getMessage() != null && ex != io ? ": " + io : ""));
                return 2;
            }
            throw ex;
        });
        return cmd;
    }

    public static void main(String[] args) {
        // The JDK registers every virtual thread in a global set for thread dumps unless told
        // not to; the simulator starts millions of short tasks and does its own accounting.
        System.setProperty("jdk.trackAllThreads", System.getProperty("jdk.trackAllThreads", "false"));
        System.exit(command().execute(args));
    }
}

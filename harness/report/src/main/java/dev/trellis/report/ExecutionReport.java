package dev.trellis.report;

import dev.trellis.check.ConnectionLog;
import dev.trellis.trace.Trace;

import java.util.List;
import java.util.Objects;

/**
 * One explored execution worth a report (a failure, or a known bug showing as expected): what the
 * report writer turns into {@code report.md}, {@code trace.json} and {@code timeline.html}.
 *
 * @param scenario       the scenario's name, its path under {@code scenarios/} without the
 *                       extension ({@code seed-chat/broadcast-order})
 * @param scenarioFile   the file it was read from, as given on the command line, or null
 * @param scenarioText   the scenario's YAML source, kept in {@code trace.json} so the execution
 *                       replays even after the file changed
 * @param schedule       the schedule's one-line text ({@code seed=3 strategy=pct:3:41}), which
 *                       with the scenario decides the execution
 * @param seed           the seed
 * @param expected       what the scenario expects: {@code pass}, a rule or a failure kind
 * @param outcome        what happened: {@code pass}, the rule that broke ({@code chat-total-order})
 *                       or the failure kind ({@code Deadlock}, {@code BodyFailed}, ...)
 * @param headline       one line: what broke
 * @param message        the whole failure text
 * @param violationEvent the trace event where it showed, or -1 when it showed only at the end
 * @param trace          every event of the execution
 * @param clients        what each scripted client sent and received, in order of the script
 * @param replayCommand  the command that replays this execution
 * @param shrinking      how this execution was shrunk from the one exploration found, or null
 *                       when it is that one
 */
public record ExecutionReport(String scenario, String scenarioFile, String scenarioText, String schedule, long seed,
                              String expected, String outcome, String headline, String message, int violationEvent,
                              Trace trace, List<ConnectionLog> clients, String replayCommand, Shrinking shrinking) {
    public ExecutionReport {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(trace, "trace");
        clients = List.copyOf(clients);
    }

    /**
     * The same report, replayed by {@code command}: where its folder went is known only when it is
     * written, so the writer points the replay command (here and in the message) at that folder.
     */
    public ExecutionReport withReplayCommand(String command) {
        String m = message == null || replayCommand == null ? message : message.replace(replayCommand, command);
        return new ExecutionReport(scenario, scenarioFile, scenarioText, schedule, seed, expected, outcome, headline, m,
                violationEvent, trace, clients, command, shrinking);
    }

    /** The same report, saying how it was shrunk. */
    public ExecutionReport withShrinking(Shrinking s) {
        return new ExecutionReport(scenario, scenarioFile, scenarioText, schedule, seed, expected, outcome, headline, message,
                violationEvent, trace, clients, replayCommand, s);
    }

    /** Whether the execution met the scenario's expectation (a known bug that showed, or a pass). */
    public boolean asExpected() {
        return outcome.equals(expected);
    }
}

package dev.trellis.report;

import dev.trellis.check.ConnectionLog;
import dev.trellis.trace.Trace;

import java.util.List;

/** Writes {@code report.md}: what broke, the schedule, what each client saw, how to replay it. */
final class Markdown {
    /** Bytes of one chunk shown before the rest is counted. */
    private static final int CHUNK_BYTES = 200;

    private Markdown() {}

    static String render(ExecutionReport r) {
        TraceFacts facts = new TraceFacts(r.trace());
        Trace t = r.trace();
        int violation = TraceFacts.violation(r);
        StringBuilder md = new StringBuilder();
        md.append("# ").append(inline(r.scenario())).append(", seed ").append(r.seed()).append(": ")
                .append(inline(r.outcome())).append("\n\n");

        md.append("## What broke\n\n");
        md.append("**").append(inline(r.headline() == null ? r.outcome() : r.headline())).append("**\n\n");
        if (r.message() != null && !r.message().isBlank()) {
            md.append(fence(r.message())).append('\n');
        }
        if (violation >= 0) {
            md.append(r.violationEvent() >= 0 ? "It showed at event " : "It showed only at the end; the nearest event is ")
                    .append(violation).append(":\n\n").append(fence(Printable.text(t.describe(violation)))).append('\n');
        }

        if (r.shrinking() != null) {
            Shrinking k = r.shrinking();
            md.append("## Shrunk\n\n");
            md.append("This is the smallest execution found that fails the same way, shrunk from the one the exploration "
                    + "found (seed ").append(k.originalSeed()).append(", `").append(code(k.originalSchedule())).append("`, trace `")
                    .append(code(k.originalTraceHash())).append("`).\n\n");
            md.append("| | found | shrunk |\n|---|---|---|\n");
            md.append("| preemptions | ").append(k.preemptionsBefore()).append(" | ").append(k.preemptionsAfter()).append(" |\n");
            md.append("| steps | ").append(k.stepsBefore()).append(" | ").append(k.stepsAfter()).append(" |\n");
            md.append("| clients | ").append(k.clientsBefore()).append(" | ").append(k.clientsAfter()).append(" |\n");
            md.append("| script steps | ").append(k.scriptStepsBefore()).append(" | ").append(k.scriptStepsAfter()).append(" |\n\n");
            if (!k.scenarioChanges().isEmpty()) {
                md.append("Taken out of the scenario (the smaller one is `scenario.yaml` beside this report, and in `trace.json`):\n\n");
                k.scenarioChanges().forEach(c -> md.append("- ").append(inline(c)).append('\n'));
                md.append('\n');
            }
            md.append(k.runs()).append(" executions were run to shrink it")
                    .append(k.stoppedEarly() == null ? "; no departure from the default continuation can be dropped or "
                            + "traded for a free switch without losing the failure.\n\n" : "; " + inline(k.stoppedEarly())
                            + ", so a smaller one may exist.\n\n");
        }

        md.append("## Expected and outcome\n\n");
        md.append("- expected: `").append(code(r.expected() == null ? "pass" : r.expected())).append("`\n");
        md.append("- outcome: `").append(code(r.outcome())).append("`\n\n");
        md.append(r.asExpected()
                ? "As expected: this scenario documents a known bug.\n\n"
                : "Not as expected: this is a new failure.\n\n");

        md.append("## Schedule\n\n");
        md.append("`").append(code(r.schedule())).append("`: ").append(t.size()).append(" events.\n\n");
        ScheduleTable.append(md, facts, violation);
        md.append('\n');

        if (!r.clients().isEmpty()) {
            md.append("## Clients\n\n");
            md.append("What each scripted client sent and received, with the virtual time each chunk moved.\n\n");
            r.clients().forEach(c -> client(md, c));
        }

        md.append("## Replay\n\n");
        md.append("- seed: ").append(r.seed()).append('\n');
        md.append("- schedule: `").append(code(r.schedule())).append("`\n");
        md.append("- trace hash: `").append(t.hashHex()).append("` (a replay must give the same hash)\n");
        if (r.scenarioFile() != null) {
            md.append("- scenario file: `").append(code(r.scenarioFile())).append("`\n");
        }
        if (r.replayCommand() != null) {
            md.append("\nReplay it with:\n\n").append(fence(r.replayCommand()));
        }
        return md.toString();
    }

    private static void client(StringBuilder md, ConnectionLog log) {
        md.append("### ").append(inline(log.label())).append("\n\n");
        md.append("- connected: ").append(at(log.connectedAt())).append('\n');
        if (log.eofSentAt() >= 0) {
            md.append("- sent end-of-stream: ").append(at(log.eofSentAt())).append('\n');
        }
        if (log.eofReceivedAt() >= 0) {
            md.append("- received end-of-stream: ").append(at(log.eofReceivedAt())).append('\n');
        }
        if (log.brokenAt() >= 0) {
            md.append("- broke: ").append(at(log.brokenAt())).append(", ").append(inline(Printable.text(log.broken()))).append('\n');
        }
        if (log.closedAt() >= 0) {
            md.append("- closed: ").append(at(log.closedAt())).append('\n');
        }
        md.append('\n');
        chunks(md, "sent", log.sent());
        chunks(md, "received", log.received());
    }

    private static void chunks(StringBuilder md, String what, List<ConnectionLog.Chunk> chunks) {
        if (chunks.isEmpty()) {
            md.append(what).append(": nothing\n\n");
            return;
        }
        md.append(what).append(":\n\n");
        StringBuilder lines = new StringBuilder();
        for (ConnectionLog.Chunk c : chunks) {
            // Each line starts with its time, so no payload can start a line and close the fence.
            lines.append(String.format("%10s  %s", TraceFacts.time(c.at()), Printable.bytes(c.bytes(), CHUNK_BYTES)))
                    .append(c.attempted() ? "   (the send threw: the peer may have any prefix)" : "").append('\n');
        }
        md.append(fence(lines.toString())).append('\n');
    }

    private static String at(long nanos) {
        return nanos < 0 ? "never" : TraceFacts.time(nanos);
    }

    /** A fenced block holding {@code text} as it is: the fence is longer than any backtick run in it. */
    static String fence(String text) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String f = "`".repeat(Math.max(3, longest + 1));
        return f + "text\n" + text + (text.endsWith("\n") ? "" : "\n") + f + "\n";
    }

    /** Text in a table cell: on one line, with Markdown's and HTML's special characters escaped. */
    static String cell(String text) {
        return inline(text);
    }

    /** Text on one line of Markdown, shown as it is: every character Markdown or HTML reads is escaped. */
    static String inline(String text) {
        String one = Printable.text(text);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < one.length(); i++) {
            char c = one.charAt(i);
            if ("\\`*_[]<>|#!~&".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Text inside a code span: one line; a backtick would end the span, so it becomes a quote. */
    private static String code(String text) {
        return Printable.text(text).replace('`', '\'');
    }
}

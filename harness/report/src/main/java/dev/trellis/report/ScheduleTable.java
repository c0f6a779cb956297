package dev.trellis.report;

import dev.trellis.trace.Trace;
import dev.trellis.trace.TraceKind;

import java.util.ArrayList;
import java.util.List;

/**
 * The interleaving as a Markdown table with a column per task, as Lincheck shows one: a row for
 * each step where the strategy switched tasks or chose among several ready ones, and in the
 * column of the task that ran, what it did until the next such step (its sends, its events, and
 * the wait it parked on or how it ended). Steps where the same task simply ran on are folded into
 * the row before: they are not decisions, and a reader follows the switches.
 */
final class ScheduleTable {
    /** Rows kept; beyond that the rows nearest the violation stay. */
    static final int MAX_ROWS = 200;
    /** Rows kept after the violation's row, when there are more than {@link #MAX_ROWS}. */
    private static final int ROWS_AFTER = 50;
    /** Characters of a cell before it is cut. */
    private static final int CELL = 160;

    private ScheduleTable() {}

    /** A row: the STEP event that opens it and the event where the next row starts. */
    private record Row(int step, int end) {}

    static void append(StringBuilder md, TraceFacts facts, int violation) {
        Trace t = facts.trace();
        List<Integer> starts = new ArrayList<>();
        int running = -1;
        for (int i = 0; i < t.size(); i++) {
            if (t.kind(i) == TraceKind.STEP && (t.task(i) != running || t.a(i) > 1)) {
                starts.add(i);
                running = t.task(i);
            }
        }
        if (starts.isEmpty()) {
            md.append("No task took a step.\n");
            return;
        }
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < starts.size(); r++) {
            rows.add(new Row(starts.get(r), r + 1 < starts.size() ? starts.get(r + 1) : t.size()));
        }
        int hit = rows.size() - 1;
        for (int r = 0; r < rows.size(); r++) {
            if (violation >= rows.get(r).step() && violation < rows.get(r).end()) {
                hit = r;
            }
        }
        int from = 0;
        if (rows.size() > MAX_ROWS) {
            int after = Math.min(ROWS_AFTER, rows.size() - 1 - hit);
            from = Math.max(0, hit - (MAX_ROWS - 1 - after));
        }
        int to = Math.min(rows.size(), from + MAX_ROWS);
        // Columns: every task that ran at some step, in id order, so the columns never move between reports.
        List<Integer> columns = new ArrayList<>();
        for (int task : facts.tasks()) {
            if (starts.stream().anyMatch(s -> t.task(s) == task)) {
                columns.add(task);
            }
        }
        if (from > 0) {
            md.append("(").append(from).append(" earlier rows left out: the ").append(MAX_ROWS)
                    .append(" nearest the violation are shown.)\n\n");
        }
        md.append("| step | time |");
        columns.forEach(c -> md.append(' ').append(Markdown.cell(facts.label(c))).append(" |"));
        md.append("\n|---:|---:|");
        columns.forEach(c -> md.append("---|"));
        md.append('\n');
        for (int r = from; r < to; r++) {
            Row row = rows.get(r);
            int s = row.step();
            md.append("| ").append(r == hit ? "⚠ " : "").append(t.step(s));
            md.append(t.a(s) > 1 ? " (" + (t.b(s) + 1) + " of " + t.a(s) + ")" : "");
            md.append(" | ").append(TraceFacts.time(t.time(s))).append(" |");
            for (int c : columns) {
                md.append(' ').append(c == t.task(s) ? Markdown.cell(cell(facts, row)) : "").append(" |");
            }
            md.append('\n');
        }
        if (to < rows.size()) {
            md.append("\n(").append(rows.size() - to).append(" later rows left out.)\n");
        }
        md.append("\n`(2 of 3)`: the strategy chose the second of three ready tasks. ⚠ marks the row holding the violation.\n");
    }

    /** What the task did in its row, in order; cut in the middle, so how it parked or ended stays. */
    private static String cell(TraceFacts facts, Row row) {
        Trace t = facts.trace();
        int task = t.task(row.step());
        List<String> did = new ArrayList<>();
        for (int i = row.step(); i < row.end(); i++) {
            String what = what(facts, i, task);
            if (what != null) {
                did.add(what);
            }
        }
        if (did.isEmpty()) {
            return "runs";
        }
        String all = String.join("; ", did);
        if (all.length() <= CELL || did.size() == 1) {
            return Printable.truncate(all, CELL);
        }
        StringBuilder head = new StringBuilder();
        int shown = 0;
        String last = did.getLast();
        while (shown < did.size() - 1 && head.length() + did.get(shown).length() + last.length() < CELL) {
            head.append(did.get(shown++)).append("; ");
        }
        return head + "… " + (did.size() - 1 - shown) + " more …; " + Printable.truncate(last, CELL);
    }

    /** One event in a cell's words, or null when it is no news to the reader of the schedule. */
    private static String what(TraceFacts facts, int i, int task) {
        Trace t = facts.trace();
        long a = t.a(i);
        long b = t.b(i);
        boolean own = t.task(i) == task;
        return switch (t.kind(i)) {
            case TraceKind.SPAWN -> a == task ? "starts " + facts.label(t.task(i)) : null;
            case TraceKind.WAKE -> a == task ? "wakes " + facts.label(t.task(i)) : null;
            case TraceKind.PARK -> own ? "waits: " + Printable.text(t.text(i)) : null;
            case TraceKind.END -> own ? "END: " + switch ((int) a) {
                case 0 -> "returned";
                case 1 -> "threw " + Printable.text(t.text(i));
                case 2 -> "cancelled";
                default -> "aborted";
            } : null;
            case TraceKind.EVENT -> own ? Printable.text(t.text(i)) + " " + a + " " + b : null;
            case TraceKind.NOTE -> own ? Printable.text(t.text(i)) : null;
            case TraceKind.STREAM_SEND -> own ? "sends " + b + " B on stream " + a : null;
            case TraceKind.STREAM_RECEIVE -> own ? (b < 0 ? "gets end-of-stream on stream " + a : "receives " + b + " B on stream " + a) : null;
            case TraceKind.STREAM_EOF -> own ? "sends end-of-stream on stream " + a : null;
            case TraceKind.STREAM_OPEN -> own ? "opens stream " + a : null;
            case TraceKind.STREAM_CLOSE -> own ? "closes stream " + a : null;
            case TraceKind.CANCEL -> own ? "cancels scope " + a + ": " + Printable.text(t.text(i)) : null;
            case TraceKind.CANCEL_DELIVERED -> own ? "gets Cancelled (scope " + a + ")" : null;
            default -> null;
        };
    }
}

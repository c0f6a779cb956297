package dev.trellis.lincheck;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The operations one execution ran on the object under test, each with the trace events of its
 * invocation and its response: what {@link Linearizability} records and Lincheck's verifier judges.
 * Trace order is real-time order (one task runs at a time), so an operation whose response event
 * comes before another's invocation event happened before it.
 *
 * @param tasks      how many tasks ran operations
 * @param operations every operation, in the order they were invoked
 */
public record History(int tasks, List<Operation> operations) {
    public History {
        operations = List.copyOf(operations);
    }

    /**
     * One call.
     *
     * @param task        the task that made it, from 0
     * @param method      the method of the object under test
     * @param args        its arguments
     * @param value       what it returned (null for void, or when it threw)
     * @param thrown      what it threw, or null
     * @param invokedAt   the trace index of its invocation event
     * @param returnedAt  the trace index of its response event, or -1 if it never returned
     * @param invokedStep the scheduler step of its invocation
     * @param returnedStep the scheduler step of its response, or -1
     */
    public record Operation(int task, Method method, List<Object> args, Object value, Throwable thrown,
                            int invokedAt, int returnedAt, long invokedStep, long returnedStep) {
        public Operation {
            args = java.util.Collections.unmodifiableList(new ArrayList<>(args));
        }

        /** Whether it returned (normally or by throwing) before the execution ended. */
        public boolean completed() {
            return returnedAt >= 0;
        }

        /** The call as code: {@code trySend(2)}. */
        public String call() {
            return method.getName() + "(" + args.stream().map(History::show).collect(Collectors.joining(", ")) + ")";
        }

        /** What came back: {@code true}, {@code void}, {@code throws ClosedResourceException}, {@code (never returned)}. */
        public String outcome() {
            if (!completed()) {
                return "(never returned)";
            }
            if (thrown != null) {
                return "throws " + thrown.getClass().getSimpleName();
            }
            return method.getReturnType() == void.class ? "void" : show(value);
        }
    }

    /** Each task's operations, in its program order. */
    public List<List<Operation>> byTask() {
        List<List<Operation>> out = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            out.add(new ArrayList<>());
        }
        for (Operation op : operations) {
            out.get(op.task()).add(op);
        }
        return out;
    }

    /** How many operations never returned (they are left out of the check, and reports say so). */
    public long unfinished() {
        return operations.stream().filter(o -> !o.completed()).count();
    }

    /**
     * The history as a table: one column per task, one row per invocation or response, in trace
     * order, with the scheduler step. An operation reads {@code call ┐} where it began and
     * {@code └ result} where it returned.
     */
    public String table() {
        record Row(int index, long step, int task, String text) {}
        List<Row> rows = new ArrayList<>();
        for (Operation op : operations) {
            rows.add(new Row(op.invokedAt(), op.invokedStep(), op.task(), op.call() + " ┐"));
            if (op.completed()) {
                rows.add(new Row(op.returnedAt(), op.returnedStep(), op.task(), "└ " + op.outcome()));
            }
        }
        rows.sort(Comparator.comparingInt(Row::index));
        int[] width = new int[tasks];
        for (int t = 0; t < tasks; t++) {
            width[t] = ("task " + t).length();
        }
        for (Row r : rows) {
            width[r.task()] = Math.max(width[r.task()], r.text().length());
        }
        StringBuilder sb = new StringBuilder();
        String[] header = new String[tasks];
        for (int t = 0; t < tasks; t++) {
            header[t] = "task " + t;
        }
        line(sb, "step", header, width);
        for (Row r : rows) {
            String[] cells = new String[tasks];
            Arrays.fill(cells, "");
            cells[r.task()] = r.text();
            line(sb, Long.toString(r.step()), cells, width);
        }
        for (Operation op : operations) {
            if (!op.completed()) {
                sb.append("  task ").append(op.task()).append("'s ").append(op.call())
                        .append(" never returned; it is left out of the check\n");
            }
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String step, String[] cells, int[] width) {
        sb.append("  ").append(" ".repeat(Math.max(0, 6 - step.length()))).append(step);
        for (int t = 0; t < cells.length; t++) {
            sb.append("   ").append(cells[t]).append(" ".repeat(width[t] - cells[t].length()));
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }

    static String show(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return '"' + s + '"';
        }
        if (v instanceof java.util.Optional<?> o) {
            return o.map(x -> "Optional[" + show(x) + "]").orElse("Optional.empty");
        }
        return String.valueOf(v);
    }
}

package dev.trellis.cli.bugs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code trellis bench --bugs}: every subject on Trellis (each strategy, seed blocks), in a stress
 * loop on real threads, and, for the data structures, under Lincheck's model checker, each tool
 * with the same wall-time budget per subject; one Markdown table of it all, and JSON for tools.
 *
 * <p>The tools run in phases (every Trellis row, then every stress loop, then Lincheck), not
 * subject by subject: Lincheck's model checker attaches an agent that instruments classes, which
 * must not happen under a running simulation, so it goes last.
 */
public final class BugBench {
    /**
     * One row: a subject × a tool (and for Trellis a strategy). Null fields are left out of the JSON.
     *
     * @param tool             trellis, stress or lincheck
     * @param found            Trellis: blocks that hit the bug; stress: failing runs; Lincheck: 1 or 0
     * @param attempts         Trellis: blocks; stress: runs; Lincheck: 1
     * @param medianExecutions Trellis: executions to the first failure, median over blocks (null if
     *                         half missed); stress: the run that failed first; Lincheck: invocations to it
     * @param worstExecutions  Trellis: the most any block needed (null if one missed)
     * @param medianMillis     wall time to the first failure, as medianExecutions
     * @param worstMillis      Trellis: the longest any block took to find it (null if one missed)
     * @param perSecond        executions (stress: runs; Lincheck: invocations) per second
     * @param replays          Trellis: failures whose schedule, run alone, gave the same trace hash
     * @param failures         Trellis: failures replayed (the bug's and any other)
     * @param note             why a tool has no figures, or what else went wrong
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(String subject, String source, String tool, String strategy, Integer found, Long attempts,
                      Double medianExecutions, Long worstExecutions, Double medianMillis, Double worstMillis,
                      Double perSecond, Integer replays, Integer failures, String replayable, String note) {}

    private final int blocks;
    private final long stride;
    private final long cap;
    private final double seconds;
    private final Progress progress;

    /**
     * @param blocks  seed blocks per Trellis row
     * @param stride  distance between two blocks' first seeds (at least {@code cap}, so blocks never overlap)
     * @param cap     executions a block may run
     * @param seconds the wall-time budget per subject: for a Trellis block, a stress loop, a Lincheck run
     */
    public BugBench(int blocks, long stride, long cap, double seconds, boolean progress) {
        if (blocks < 1) {
            throw new IllegalArgumentException("--blocks must be at least 1, was [" + blocks + "]");
        }
        if (cap < 1 || cap > stride) {
            throw new IllegalArgumentException("--budget must be in [1, " + stride + "] so that seed blocks do not "
                    + "overlap, was [" + cap + "]");
        }
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("--seconds must be positive, was [" + seconds + "]");
        }
        this.blocks = blocks;
        this.stride = stride;
        this.cap = cap;
        this.seconds = seconds;
        this.progress = progress ? Progress.forStderr() : Progress.silent();
    }

    /**
     * Runs every subject whose name starts with {@code only} (all when null) on every tool,
     * prints the table to {@code out}, and returns the rows, grouped by subject.
     *
     * @param corpus StrategyCorpus's programs as subjects (their Trellis side)
     */
    public List<Row> run(List<Subject> corpus, List<String> specs, String only, PrintStream out) {
        List<Subject> subjects = Subjects.all(corpus).stream()
                .filter(s -> only == null || s.name().startsWith(only)).toList();
        if (subjects.isEmpty()) {
            throw new IllegalArgumentException("--only: no subject's name starts with '" + only + "'; the subjects are "
                    + String.join(", ", Subjects.all(corpus).stream().map(Subject::name).toList()));
        }
        List<Row> rows = new ArrayList<>();
        for (Subject s : subjects) {
            warmUp(s);
            for (String spec : specs) {
                rows.add(trellisRow(s, spec, TrellisRun.run(s, spec, blocks, stride, cap, seconds, 0, progress)));
            }
        }
        for (Subject s : subjects) {
            rows.add(stressRow(s));
        }
        if (subjects.stream().anyMatch(s -> s.lincheck() != null)) {
            progress.show("Lincheck", "attaching its agent (once, not timed)");
            LincheckRun.warmUp();
        }
        for (Subject s : subjects) {
            if (s.lincheck() != null) {
                progress.show(s.name() + " under Lincheck's model checker", "instrumenting (not timed)");
                LincheckRun.warmUp(s.lincheck());
                progress.show(s.name() + " under Lincheck's model checker", "running");
                rows.add(lincheckRow(s, LincheckRun.run(s.lincheck(), seconds)));
            }
        }
        progress.clear();
        List<String> order = subjects.stream().map(Subject::name).toList();
        rows.sort(Comparator.comparingInt(r -> order.indexOf(r.subject())));   // stable: tools keep their order
        print(rows, out);
        return rows;
    }

    /** Executions of a subject run, untimed, before its first row, so that its rows do not measure the JIT. */
    static final int WARM_UP_EXECUTIONS = 200;
    /** ... or this long, for subjects whose executions are slow. */
    static final double WARM_UP_SECONDS = 0.5;
    /** Where the warm-up's seeds start: far from every block's. */
    private static final long WARM_UP_SEED = Long.MAX_VALUE / 2;

    private void warmUp(Subject s) {
        progress.show(s.name(), "warming up (not timed)");
        TrellisRun.run(s, "random", 1, 0, WARM_UP_EXECUTIONS, WARM_UP_SECONDS, WARM_UP_SEED, Progress.silent());
    }

    private Row trellisRow(Subject s, String spec, TrellisRun.Outcome o) {
        int n = o.blocks().size();
        long[] execs = new long[n];
        double[] ms = new double[n];
        int found = 0;
        int replays = 0;
        int failures = 0;
        String other = null;
        for (int i = 0; i < n; i++) {
            TrellisRun.Block b = o.blocks().get(i);
            execs[i] = b.found() ? b.executions() : Long.MAX_VALUE;
            ms[i] = b.found() ? b.millis() : Double.POSITIVE_INFINITY;
            found += b.found() ? 1 : 0;
            if (b.replayed() != null) {
                failures++;
                replays += b.replayed() ? 1 : 0;
            }
            if (b.other() != null && other == null) {
                other = "another failure: " + b.other();
            }
        }
        java.util.Arrays.sort(execs);
        java.util.Arrays.sort(ms);
        Double medianExec = execs[(n - 1) / 2] == Long.MAX_VALUE || execs[n / 2] == Long.MAX_VALUE ? null
                : (execs[(n - 1) / 2] + execs[n / 2]) / 2.0;
        Double medianMs = Double.isInfinite(ms[n / 2]) ? null : (ms[(n - 1) / 2] + ms[n / 2]) / 2;
        return new Row(s.name(), s.source(), "trellis", spec, found, (long) n, medianExec,
                execs[n - 1] == Long.MAX_VALUE ? null : execs[n - 1], medianMs,
                Double.isInfinite(ms[n - 1]) ? null : ms[n - 1], o.executionsPerSecond(), replays, failures,
                failures == 0 ? "no failure to replay" : replays == failures ? "always" : replays + " of " + failures, other);
    }

    private Row stressRow(Subject s) {
        if (s.stress() == null) {
            return new Row(s.name(), s.source(), "stress", null, null, null, null, null, null, null, null, null, null,
                    "never", "not ported: " + s.notPorted());
        }
        StressRun.Outcome o = StressRun.loop(s.stress(), seconds, progress, s.name() + " on real threads");
        String note = o.errors() == 0 ? null : o.errors() + " run(s) failed otherwise, first: " + o.firstError();
        return new Row(s.name(), s.source(), "stress", null, (int) o.failures(), o.runs(),
                o.firstAt() == 0 ? null : (double) o.firstAt(), null, o.msToFirst(), null, o.runs() / o.seconds(),
                null, null, "never", note);
    }

    private static Row lincheckRow(Subject s, LincheckRun.Outcome o) {
        // "Not found" means something only if Lincheck got to check invocations within the budget.
        String note = o.error() != null ? "Lincheck stopped with " + o.error()
                : !o.found() ? String.format(Locale.ROOT, "%,d invocations checked in the budget", o.invocations()) : null;
        return new Row(s.name(), s.source(), "lincheck", "model checker", o.found() ? 1 : 0, 1L,
                o.found() ? (double) o.invocations() : null, null, o.found() ? o.millis() : null, null,
                o.millis() > 0 ? o.invocations() / (o.millis() / 1e3) : null, null, null, "-", note);
    }

    /** Whether every Trellis failure replayed with its trace hash: the property the table stands on. */
    public static boolean everyFailureReplayed(List<Row> rows) {
        return rows.stream().filter(r -> r.tool().equals("trellis"))
                .allMatch(r -> r.replays() != null && r.replays().equals(r.failures()));
    }

    /** The Markdown table; a figure for a tool that did not find the bug within its budget reads "-". */
    void print(List<Row> rows, PrintStream out) {
        out.printf(Locale.ROOT, "Budget per subject: %s s of wall time for each Trellis seed block (at most %,d executions), "
                + "each stress loop and each Lincheck run; %d blocks per strategy.%n%n", trim(seconds), cap, blocks);
        out.println("| subject | tool | found | executions to 1st failure (median / worst) | ms to 1st failure "
                + "(median / worst) | executions/s | replays |");
        out.println("|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            String tool = r.tool().equals("trellis") ? "Trellis " + r.strategy()
                    : r.tool().equals("stress") ? "stress (platform threads)" : "Lincheck model checker";
            if (r.found() == null) {
                out.printf("| %s | %s | %s | | | | never |%n", r.subject(), tool, r.note());
                continue;
            }
            String found = switch (r.tool()) {
                case "trellis" -> r.found() + "/" + r.attempts() + " blocks";
                case "stress" -> String.format(Locale.ROOT, "%,d of %,d runs", r.found(), r.attempts());
                default -> r.found() == 1 ? "yes" : "no";
            };
            String execs = pair(r.medianExecutions(), r.worstExecutions() == null ? null : (double) r.worstExecutions(),
                    r.tool().equals("trellis"));
            String ms = pair(r.medianMillis(), r.worstMillis(), r.tool().equals("trellis"));
            String replays = switch (r.tool()) {
                case "trellis" -> r.replays() + "/" + r.failures();
                case "stress" -> "never";
                default -> "-";
            };
            String note = r.note() == null ? "" : " (" + r.note() + ")";
            out.printf(Locale.ROOT, "| %s | %s | %s%s | %s | %s | %,.0f | %s |%n", r.subject(), tool, found, note, execs, ms,
                    r.perSecond() == null ? 0.0 : r.perSecond(), replays);
        }
        out.println();
        out.println("executions: Trellis executions, stress runs, Lincheck invocations; '-': not within the budget "
                + "(Trellis: the median or worst block missed). Stress and Lincheck run once, so they have no worst.");
    }

    private static String pair(Double median, Double worst, boolean both) {
        String m = median == null ? "-" : fmt(median);
        return both ? m + " / " + (worst == null ? "-" : fmt(worst)) : m;
    }

    private static String fmt(double v) {
        return v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** The rows as JSON, with the settings that made them. */
    public void writeJson(File file, List<Row> rows, List<String> specs) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("jvm", Runtime.version().toString());
        doc.put("cores", Runtime.getRuntime().availableProcessors());
        doc.put("secondsPerSubject", seconds);
        doc.put("blocks", blocks);
        doc.put("executionsPerBlock", cap);
        doc.put("blockStride", stride);
        doc.put("strategies", specs);
        doc.put("stressHangMillis", StressRun.HANG_MILLIS);
        doc.put("rows", rows);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file, doc);
    }
}

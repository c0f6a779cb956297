package dev.trellis.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a failing (or notable) execution's report folder: {@code report.md} for people,
 * {@code trace.json} for tools ({@link TraceJson}) and {@code timeline.html} for a browser.
 *
 * {@snippet :
 * Path dir = ReportWriter.write(ReportWriter.folder(Path.of("reports"), report), report);
 * // reports/seed-chat/broadcast-order/seed-3/{report.md, trace.json, timeline.html}
 * }
 *
 * <p>The output depends on the report alone: the same report gives byte-identical files, in any
 * JVM and on any platform (no clock, no hash order, {@code \n} line ends, UTF-8). Costs time and
 * memory linear in the trace; a 5,000-event trace gives files of about a megabyte.
 */
public final class ReportWriter {
    /** The three files' names. */
    public static final String REPORT_MD = "report.md";
    public static final String TRACE_JSON = "trace.json";
    public static final String TIMELINE_HTML = "timeline.html";
    /** The shrunk scenario, when shrinking took something out of it. */
    public static final String SCENARIO_YAML = "scenario.yaml";

    private ReportWriter() {}

    /**
     * Where {@code r}'s report goes under {@code reports}: {@code <reports>/<scenario>/seed-<seed>}.
     * The scenario's name may hold {@code /}, which makes folders.
     */
    public static Path folder(Path reports, ExecutionReport r) {
        // Named after the seed exploring found it with, which a shrunk execution may not run with.
        long seed = r.shrinking() != null ? r.shrinking().originalSeed() : r.seed();
        return reports.resolve(r.scenario()).resolve("seed-" + seed);
    }

    /**
     * Creates {@code dir} (and its parents) and writes the three files into it, replacing any
     * there. Returns {@code dir}.
     */
    public static Path write(Path dir, ExecutionReport r) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(REPORT_MD), markdown(r), StandardCharsets.UTF_8);
        TraceJson.write(dir.resolve(TRACE_JSON), r);
        Files.writeString(dir.resolve(TIMELINE_HTML), Timeline.render(r), StandardCharsets.UTF_8);
        if (r.shrinking() != null && !r.shrinking().scenarioChanges().isEmpty()) {
            Files.writeString(dir.resolve(SCENARIO_YAML), r.scenarioText(), StandardCharsets.UTF_8);
        }
        return dir;
    }

    /** What {@code report.md} holds. */
    public static String markdown(ExecutionReport r) {
        return Markdown.render(r);
    }
}

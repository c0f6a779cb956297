package dev.trellis.explore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code reports/index.html}: one self-contained page (no network) with a row per scenario: what
 * it expects and got, what was explored, and links to the failing execution's report and timeline.
 */
public final class IndexPage {
    private IndexPage() {}

    public static void write(Path file, RunSummary run) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, render(run, file.toAbsolutePath().getParent()), StandardCharsets.UTF_8);
    }

    static String render(RunSummary run, Path dir) {
        long met = run.scenarios().stream().filter(run::met).count();
        StringBuilder sb = new StringBuilder();
        sb.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Trellis exploration</title>
                <style>
                body{font:14px system-ui,sans-serif;margin:24px;color:#222}
                table{border-collapse:collapse;width:100%}
                th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
                th{background:#f4f4f4;position:sticky;top:0}
                td.n{text-align:right;font-variant-numeric:tabular-nums}
                .met{color:#137333;font-weight:600}.unmet{color:#c5221f;font-weight:600}
                code{font-size:12px;background:#f6f6f6;padding:1px 3px}
                .bad{background:#fce8e6;padding:8px;margin:8px 0}
                </style></head><body>
                """);
        sb.append("<h1>Trellis exploration").append(run.shard() == null ? "" : ", shard " + run.shard()).append("</h1>\n<p>").append(met).append(" of ").append(run.scenarios().size())
                .append(" scenarios got what they expect").append(run.unmet() == 0 ? "." : "; <span class=\"unmet\">"
                        + run.unmet() + " did not</span>.").append("</p>\n");
        if (!run.complete()) {
            sb.append("<div class=\"bad\">This run did not get to its end: the rows below are the ")
                    .append(run.scenarios().size()).append(" of ").append(run.planned())
                    .append(" scenarios it finished.</div>\n");
        }
        for (RunSummary.BadFile b : run.badFiles()) {
            sb.append("<div class=\"bad\">bad file: <code>").append(esc(b.message())).append("</code></div>\n");
        }
        sb.append("<table><thead><tr><th>scenario</th><th>expected</th><th>result</th><th>strategy</th>"
                + "<th>seeds run</th><th>distinct schedules</th><th>executions/s</th><th>failures</th>"
                + "<th>first failure</th><th>digest</th></tr></thead><tbody>\n");
        for (ScenarioSummary s : run.scenarios()) {
            sb.append("<tr id=\"").append(esc(s.scenario())).append("\"><td><code>").append(esc(s.scenario())).append("</code>");
            if (s.file() != null) {
                sb.append("<br><small>").append(esc(s.file())).append("</small>");
            }
            sb.append("</td><td>").append(esc(s.expected())).append("</td><td class=\"").append(run.met(s) ? "met\">met" : "unmet\">not met");
            if (!run.met(s)) {
                sb.append("<br><small>").append(esc(run.verdict(s))).append("</small>");
            }
            sb.append("</td><td>").append(esc(s.strategy()));
            if (s.pct() != null) {
                sb.append("<br><small>").append(esc(s.pctSummary())).append("</small>");
            }
            sb.append("</td><td class=\"n\">").append(s.executions()).append(" of ").append(s.seedsAsked())
                    .append(s.stoppedEarly() ? "<br><small>stopped at the first failure</small>" : "")
                    .append("</td><td class=\"n\">").append(s.traceHashes().size())
                    .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%,.0f", s.executionsPerSecond()))
                    .append("</td><td class=\"n\">").append(s.failures()).append("</td><td>");
            if (s.first() != null) {
                sb.append("seed ").append(s.first().seed()).append(": ").append(esc(s.first().outcome())).append("<br><small>")
                        .append(esc(s.first().headline())).append("</small>");
                if (s.first().report() != null) {
                    String rel = relative(dir, s.first().report());
                    sb.append("<br><a href=\"").append(esc(rel)).append("/timeline.html\">timeline</a> · <a href=\"")
                            .append(esc(rel)).append("/report.md\">report</a>");
                }
            }
            sb.append("</td><td><code>").append(s.digestHex()).append("</code></td></tr>\n");
        }
        sb.append("</tbody></table>\n<p><small>A scenario's digest is the same on every machine that runs the same seeds "
                + "with the same strategy; compare two runs by it.</small></p>\n</body></html>\n");
        return sb.toString();
    }

    private static String relative(Path dir, String report) {
        Path r = Path.of(report).toAbsolutePath().normalize();
        Path d = dir.toAbsolutePath().normalize();
        return (r.startsWith(d) ? d.relativize(r) : r).toString().replace('\\', '/');
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}

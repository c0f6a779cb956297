package dev.trellis.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.trellis.trace.Trace;

import java.io.IOException;
import java.io.StringWriter;

/**
 * Writes {@code timeline.html}: one self-contained page (inline CSS and script, nothing fetched)
 * with a lane per task and a mark per event, the violating one highlighted.
 *
 * <p>Everything from the trace is data, never markup: the header is HTML-escaped here, the events
 * travel as JSON in a {@code <script type="application/json">} with {@code <}, {@code >} and
 * {@code &} written as {@code \\u} escapes (so a chat line holding {@code </script>} cannot end
 * the block), and the page's script puts texts into the DOM only through {@code textContent}.
 */
final class Timeline {
    private static final JsonFactory JSON = new JsonFactory();

    private Timeline() {}

    static String render(ExecutionReport r) throws IOException {
        Trace t = r.trace();
        TraceFacts facts = new TraceFacts(t);
        int violation = TraceFacts.violation(r);
        boolean taskless = false;
        for (int i = 0; i < t.size() && !taskless; i++) {
            taskless = t.task(i) < 0;
        }
        StringWriter tasks = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(tasks)) {
            g.writeStartArray();
            if (taskless) {
                task(g, -1, "(no task)");
            }
            for (int task : facts.tasks()) {
                task(g, task, Printable.text(facts.label(task)));
            }
            g.writeEndArray();
        }
        // One array per event, not an object: at 5,000 events the page stays small and parses fast.
        StringWriter events = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(events)) {
            g.writeStartArray();
            for (int i = 0; i < t.size(); i++) {
                g.writeStartArray();
                g.writeNumber(i);
                g.writeNumber(t.step(i));
                g.writeString(TraceFacts.time(t.time(i)));
                g.writeNumber(t.task(i));
                g.writeNumber(TraceFacts.CATEGORIES.indexOf(facts.category(i)));
                g.writeString(Printable.text(facts.name(t.task(i))));
                g.writeString(Printable.text(t.describe(i)));
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>").append(esc(r.scenario() + ", seed " + r.seed() + ": " + r.outcome())).append("</title>\n")
                .append("<style>\n").append(TimelinePage.CSS).append("</style>\n</head>\n")
                .append("<body data-violation=\"").append(violation).append("\">\n<header>\n")
                .append("<h1>").append(esc(r.scenario())).append("</h1>\n")
                .append("<p class=\"headline\">").append(esc(r.headline() == null ? r.outcome() : r.headline())).append("</p>\n")
                .append("<dl>\n");
        field(html, "outcome", r.outcome() + (r.asExpected() ? " (as expected: this scenario documents a known bug)"
                : " (expected " + (r.expected() == null ? "pass" : r.expected()) + ")"));
        field(html, "seed", Long.toString(r.seed()));
        field(html, "schedule", r.schedule());
        if (r.shrinking() != null) {
            field(html, "shrunk", r.shrinking().summary() + ", from " + r.shrinking().originalSchedule());
        }
        field(html, "trace hash", t.hashHex());
        if (r.replayCommand() != null) {
            field(html, "replay", r.replayCommand());
        }
        html.append("</dl>\n");
        if (r.message() != null) {
            html.append("<details><summary>message</summary><pre>").append(esc(r.message())).append("</pre></details>\n");
        }
        html.append("<ul class=\"legend\">");
        for (int c = 0; c < TraceFacts.CATEGORIES.size(); c++) {
            html.append("<li><i class=\"m c").append(c).append("\"></i>").append(esc(TraceFacts.CATEGORIES.get(c))).append("</li>");
        }
        html.append("<li><i class=\"m violation\"></i>violation</li></ul>\n</header>\n")
                .append("<main id=\"chart\"><div id=\"axis\"></div><div id=\"lanes\"></div></main>\n")
                .append("<pre id=\"details\">Hover over or tap an event.</pre>\n")
                .append("<script type=\"application/json\" id=\"trellis-tasks\">").append(json(tasks)).append("</script>\n")
                .append("<script type=\"application/json\" id=\"trellis-events\">").append(json(events)).append("</script>\n")
                .append("<script>\n").append(TimelinePage.SCRIPT).append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void field(StringBuilder html, String name, String value) {
        html.append("<dt>").append(esc(name)).append("</dt><dd><code>").append(esc(value)).append("</code></dd>\n");
    }

    private static void task(JsonGenerator g, int id, String label) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", id);
        g.writeStringField("label", label);
        g.writeEndObject();
    }

    /** JSON that cannot end its script block or open a comment in it. */
    private static String json(StringWriter written) {
        return written.toString().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    /** Text as HTML text or attribute value. */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}

package dev.trellis.explore;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A run as a Surefire-format test report (the XML Jenkins, GitLab and GitHub read): one test case
 * per scenario, named after it; a scenario that did not get what it expects is a {@code failure}
 * whose message names the rule, the report folder and the replay command; a file that could not be
 * read is an {@code error}.
 */
public final class JunitXml {
    private JunitXml() {}

    public static void write(Path file, RunSummary run, String suiteName) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", suiteName);
            x.writeAttribute("time", seconds(run.scenarios().stream().mapToLong(ScenarioSummary::wallNanos).sum()));
            x.writeAttribute("tests", Integer.toString(run.scenarios().size() + run.badFiles().size()));
            x.writeAttribute("errors", Integer.toString(run.badFiles().size()));
            x.writeAttribute("skipped", "0");
            x.writeAttribute("failures", Long.toString(run.unmet()));
            x.writeCharacters("\n");
            x.writeStartElement("properties");
            property(x, "trellis.shard", run.shard() == null ? "none" : run.shard().toString());
            x.writeEndElement();
            x.writeCharacters("\n");
            for (ScenarioSummary s : run.scenarios()) {
                x.writeStartElement("testcase");
                x.writeAttribute("name", s.scenario());
                x.writeAttribute("classname", "scenarios." + s.scenario().replace('/', '.'));
                x.writeAttribute("time", seconds(s.wallNanos()));
                String verdict = run.verdict(s);
                if (verdict != null) {
                    x.writeStartElement("failure");
                    x.writeAttribute("type", s.first() == null ? "not-found" : s.first().outcome());
                    x.writeAttribute("message", verdict);
                    x.writeCharacters(details(s, verdict));
                    x.writeEndElement();
                }
                x.writeStartElement("system-out");
                x.writeCharacters(String.format(Locale.ROOT, "%s: %,d of %,d seeds from %d, %s, %,d distinct schedules, "
                                + "%,d failing, digest %s%s%n", s.scenario(), s.executions(), s.seedsAsked(), s.firstSeed(),
                        s.strategy(), s.traceHashes().size(), s.failures(), s.digestHex(),
                        s.first() == null ? "" : ", first failure seed " + s.first().seed() + ": " + s.first().outcome()));
                x.writeEndElement();
                x.writeEndElement();
                x.writeCharacters("\n");
            }
            for (RunSummary.BadFile b : run.badFiles()) {
                x.writeStartElement("testcase");
                x.writeAttribute("name", b.file());
                x.writeAttribute("classname", "scenarios.bad-file");
                x.writeAttribute("time", "0");
                x.writeStartElement("error");
                x.writeAttribute("type", "bad-scenario-file");
                x.writeAttribute("message", b.message());
                x.writeCharacters(b.message());
                x.writeEndElement();
                x.writeEndElement();
                x.writeCharacters("\n");
            }
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String details(ScenarioSummary s, String verdict) {
        StringBuilder sb = new StringBuilder(verdict).append('\n');
        if (s.first() != null) {
            sb.append("rule/outcome  ").append(s.first().outcome()).append('\n');
            sb.append("seed          ").append(s.first().seed()).append('\n');
            sb.append("found with    ").append(s.first().schedule()).append(" (the report holds it shrunk)\n");
            if (s.first().report() != null) {
                sb.append("report        ").append(s.first().report()).append(" (report.md, timeline.html)\n");
                sb.append("replay        ").append(s.first().replay()).append('\n');
            }
            if (s.file() != null) {
                sb.append("or            ./trellis replay ").append(s.file()).append(" --seed ").append(s.first().seed())
                        .append(s.strategy().equals("random") ? "" : " --strategy " + s.strategy()).append('\n');
            }
        }
        return sb.toString();
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", value);
    }

    /** Surefire's time format: seconds with at most three decimals, no grouping. */
    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }
}

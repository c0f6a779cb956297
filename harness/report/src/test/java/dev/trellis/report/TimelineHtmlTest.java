package dev.trellis.report;

import dev.trellis.trace.Trace;
import dev.trellis.trace.TraceKind;
import org.htmlunit.BrowserVersion;
import org.htmlunit.ScriptException;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.javascript.SilentJavaScriptErrorListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** timeline.html as a browser shows it: HtmlUnit loads it with JavaScript on. */
class TimelineHtmlTest {
    private static final String HOSTILE = "</script><img src=x onerror=alert(1)><!--";

    @TempDir
    Path tmp;
    private WebClient browser;
    private final List<String> scriptErrors = new ArrayList<>();
    private final List<String> alerts = new ArrayList<>();

    @BeforeEach
    void openBrowser() {
        browser = new WebClient(BrowserVersion.BEST_SUPPORTED);
        browser.getOptions().setJavaScriptEnabled(true);
        browser.getOptions().setCssEnabled(true);
        browser.getOptions().setThrowExceptionOnScriptError(true);
        browser.setJavaScriptErrorListener(new SilentJavaScriptErrorListener() {
            @Override
            public void scriptException(HtmlPage page, ScriptException e) {
                scriptErrors.add(e.getMessage());
            }
        });
        browser.setAlertHandler((page, message) -> alerts.add(message));
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    private HtmlPage load(ExecutionReport r) throws IOException {
        Path dir = ReportWriter.write(tmp.resolve("r" + System.nanoTime()), r);
        HtmlPage page = browser.getPage(dir.resolve(ReportWriter.TIMELINE_HTML).toUri().toURL());
        assertThat(scriptErrors).as("script errors").isEmpty();
        return page;
    }

    @Test
    void eachTaskHasALaneLabelledWithItsName() throws IOException {
        ExecutionReport r = ReportFixtures.chatReport();
        HtmlPage page = load(r);
        TraceFacts facts = new TraceFacts(r.trace());
        List<String> labels = page.querySelectorAll(".lane .label").stream().map(DomNode::getTextContent).toList();
        assertThat(labels).containsAll(facts.tasks().stream().map(facts::label).toList())
                .contains("main", "server", "alice", "carol-reads");
        // Each mark sits in its own task's lane.
        for (DomNode lane : page.querySelectorAll(".lane")) {
            int task = Integer.parseInt(((DomElement) lane).getAttribute("data-task"));
            for (DomNode mark : lane.querySelectorAll(".m")) {
                int i = Integer.parseInt(((DomElement) mark).getAttribute("data-i"));
                assertThat(r.trace().task(i)).as("lane of event %s", i).isEqualTo(task);
            }
        }
        assertThat(page.querySelectorAll(".track .m")).hasSize(r.trace().size());
    }

    @Test
    void theViolationIsHighlightedAndItsDetailsShownAtFirst() throws IOException {
        ExecutionReport r = ReportFixtures.overdraftReport();   // violationEvent -1: the task that threw
        HtmlPage page = load(r);
        List<DomNode> hits = page.querySelectorAll(".track .violation");
        assertThat(hits).hasSize(1);
        int i = Integer.parseInt(((DomElement) hits.get(0)).getAttribute("data-i"));
        assertThat(r.trace().kind(i)).isEqualTo(TraceKind.END);
        assertThat(r.trace().a(i)).as("it threw").isEqualTo(1);
        assertThat(page.getElementById("details").getTextContent()).contains(r.trace().describe(i));

        ExecutionReport pinned = ReportFixtures.withTrace(r, r.trace(), 3);
        DomElement hit = (DomElement) load(pinned).querySelector(".track .violation");
        assertThat(hit.getAttribute("data-i")).isEqualTo("3");
    }

    @Test
    void hoveringOrClickingAnEventShowsItsDetails() throws IOException {
        ExecutionReport r = ReportFixtures.chatReport();
        HtmlPage page = load(r);
        int i = 42;
        HtmlElement mark = page.querySelector(".m[data-i='" + i + "']");
        mark.mouseOver();
        String details = page.getElementById("details").getTextContent();
        assertThat(details).contains("event 42").contains("step " + r.trace().step(i))
                .contains("task " + new TraceFacts(r.trace()).name(r.trace().task(i))).contains(r.trace().describe(i));
        HtmlElement other = page.querySelector(".m[data-i='7']");
        other.click();
        assertThat(page.getElementById("details").getTextContent()).contains(r.trace().describe(7));
        assertThat(other.getAttribute("class")).contains("selected");
    }

    @Test
    void theHeaderSaysWhatBrokeAndHowToReplayIt() throws IOException {
        ExecutionReport r = ReportFixtures.chatReport();
        String header = load(r).querySelector("header").getTextContent();
        assertThat(header).contains(r.scenario(), r.outcome(), "as expected", "seed", Long.toString(r.seed()),
                r.trace().hashHex(), r.replayCommand());
        String html = Files.readString(ReportWriter.write(tmp.resolve("self"), r).resolve(ReportWriter.TIMELINE_HTML));
        assertThat(html).as("self-contained").doesNotContain("<link", " src=", "@import", "url(", "http://", "https://");
    }

    @Test
    void fiveThousandEventsLoadWithoutErrorsInReasonableTime() throws IOException {
        Trace t = new Trace();
        int tasks = 10;
        for (int k = 0; k < tasks; k++) {
            t.add(TraceKind.SPAWN, k, k == 0 ? -1 : 0, 0, 0, 0, "worker-" + k);
        }
        for (int i = tasks; i < 5_000; i++) {
            int kind = new int[] {TraceKind.STEP, TraceKind.PARK, TraceKind.STREAM_SEND, TraceKind.EVENT, TraceKind.NOTE}[i % 5];
            t.add(kind, i % tasks, 2, 1, (i / 50) * 1_000_000L, i / 3, kind == TraceKind.EVENT ? "he.attempt" : "x" + i);
        }
        ExecutionReport r = ReportFixtures.withTrace(ReportFixtures.overdraftReport(), t, 4_321);
        long start = System.nanoTime();
        HtmlPage page = load(r);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(page.querySelectorAll(".lane")).hasSize(tasks);
        assertThat(page.querySelectorAll(".track .m")).hasSize(5_000);
        assertThat(((DomElement) page.querySelector(".track .violation")).getAttribute("data-i")).isEqualTo("4321");
        assertThat(page.querySelectorAll(".c3")).as("Happy Eyeballs events").hasSizeGreaterThan(900);
        assertThat(ms).as("load time in HtmlUnit, ms").isLessThan(30_000);
    }

    @Test
    void hostileTextIsShownAsTextAndNeverRuns() throws IOException {
        Trace t = new Trace();
        t.add(TraceKind.SPAWN, 0, -1, 0, 0, 0, "main");
        t.add(TraceKind.SPAWN, 1, 0, 0, 0, 0, HOSTILE);
        t.add(TraceKind.STEP, 1, 2, 1, 0, 1, null);
        t.add(TraceKind.EVENT, 1, 0, 0, 0, 1, "chat.line " + HOSTILE);
        t.add(TraceKind.NOTE, 1, 0, 0, 0, 1, "\"'&amp;<b>bold</b>\u2028");
        ExecutionReport base = ReportFixtures.overdraftReport();
        ExecutionReport r = new ExecutionReport(HOSTILE, null, HOSTILE, base.schedule(), 1, "pass", HOSTILE, HOSTILE,
                HOSTILE, 3, t, List.of(), "./trellis replay '" + HOSTILE + "'", null);
        HtmlPage page = load(r);
        assertThat(alerts).isEmpty();
        assertThat(page.querySelectorAll("img")).isEmpty();
        assertThat(page.querySelectorAll("b")).isEmpty();
        assertThat(page.querySelectorAll("script")).hasSize(3);
        assertThat(page.querySelector("h1").getTextContent()).isEqualTo(HOSTILE);
        List<String> labels = page.querySelectorAll(".lane .label").stream().map(DomNode::getTextContent).toList();
        assertThat(labels).contains(HOSTILE);
        HtmlElement mark = page.querySelector(".m[data-i='3']");
        mark.mouseOver();
        assertThat(page.getElementById("details").getTextContent()).contains("chat.line " + HOSTILE);
        ((HtmlElement) page.querySelector(".m[data-i='4']")).mouseOver();
        assertThat(page.getElementById("details").getTextContent()).contains("\"'&amp;<b>bold</b>\\u{2028}");
    }
}

package dev.trellis.report;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.trellis.golden.GoldenFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code report.md} is part of the product: checked against golden files as
 * {@code FailureTextGoldenTest} checks failure texts. After a deliberate change, regenerate with
 * -Dtrellis.updateGolden=true and review the diff.
 */
class ReportMarkdownTest {
    static void assertGolden(String name, String actual) throws IOException {
        GoldenFiles.assertGolden(name, actual, "the report");
    }

    @Nested
    class Golden {
        @Test
        void anUnexpectedFailureShowsItsScheduleWithAColumnPerTask() throws IOException {
            assertGolden("report-overdraft.md", ReportWriter.markdown(ReportFixtures.overdraftReport()));
        }

        @Test
        void aKnownBugShowsWhatEachClientSentAndReceived() throws IOException {
            assertGolden("report-chat-broadcast-order.md", ReportWriter.markdown(ReportFixtures.chatReport()));
        }
    }

    @Nested
    class Determinism {
        @Test
        void theSameReportGivesByteIdenticalFiles(@TempDir Path tmp) throws IOException {
            ExecutionReport r = ReportFixtures.chatReport();
            Path one = ReportWriter.write(tmp.resolve("one"), r);
            Path two = ReportWriter.write(tmp.resolve("two"), ReportFixtures.chatReport());
            for (String f : new String[] {ReportWriter.REPORT_MD, ReportWriter.TRACE_JSON, ReportWriter.TIMELINE_HTML}) {
                assertThat(Files.readAllBytes(two.resolve(f))).as(f).isEqualTo(Files.readAllBytes(one.resolve(f)));
            }
        }

        @Test
        void theFolderIsNamedByScenarioAndSeed() {
            ExecutionReport r = ReportFixtures.overdraftReport();
            assertThat(ReportWriter.folder(Path.of("reports"), r))
                    .isEqualTo(Path.of("reports", "bank", "overdraft", "seed-" + r.seed()));
        }
    }

    @Nested
    class LongSchedules {
        /** Two tasks taking turns for 300 steps: 300 rows. */
        private static ExecutionReport turns(int violation) {
            dev.trellis.trace.Trace t = new dev.trellis.trace.Trace();
            t.add(dev.trellis.trace.TraceKind.SPAWN, 0, -1, 0, 0, 0, "ping");
            t.add(dev.trellis.trace.TraceKind.SPAWN, 1, 0, 0, 0, 0, "pong");
            for (int s = 0; s < 300; s++) {
                t.add(dev.trellis.trace.TraceKind.STEP, s % 2, 1, 0, s * 1_000_000L, s, null);
                t.add(dev.trellis.trace.TraceKind.PARK, s % 2, 0, 0, s * 1_000_000L, s, "turn " + s);
            }
            return ReportFixtures.withTrace(ReportFixtures.overdraftReport(), t, violation);
        }

        @Test
        void theRowsNearestTheViolationAreKeptAndTheRestCounted() {
            String atEnd = ReportWriter.markdown(turns(-1));
            assertThat(atEnd).contains("(100 earlier rows left out").doesNotContain("later rows left out")
                    .contains("| ⚠ 299 | 299ms |").doesNotContain("| 99 | 99ms |").contains("| 100 | 100ms |");
            // 149 rows before the violation's and 50 after, when there are that many.
            String middle = ReportWriter.markdown(turns(2 + 2 * 200));   // the PARK of step 200
            assertThat(middle).contains("(51 earlier rows left out").contains("(49 later rows left out")
                    .contains("| ⚠ 200 | 200ms |").contains("waits: turn 200").contains("| 51 | 51ms |")
                    .contains("| 250 | 250ms |").doesNotContain("| 251 | 251ms |");
            String early = ReportWriter.markdown(turns(2 + 2 * 20));
            assertThat(early).doesNotContain("earlier rows left out").contains("(100 later rows left out");
        }
    }

    @Nested
    class Escaping {
        @Test
        void bytesThatAreNotPrintableAreShownEscapedAndLongOnesCounted() {
            byte[] data = {'h', 'i', '\n', 0x01, (byte) 0xC3, 0x28, (byte) 0xC3, (byte) 0xAB, '\\'};
            assertThat(Printable.bytes(data, 100)).isEqualTo("hi\\n\\x01\\xc3(ë\\\\");
            assertThat(Printable.bytes(new byte[300], 4)).isEqualTo("\\x00\\x00\\x00\\x00… (296 more bytes)");
        }

        @Test
        void aRightToLeftOverrideIsShownNotObeyed() {
            assertThat(Printable.text("a\u202eb")).isEqualTo("a\\u{202e}b");
        }

        @Test
        void markdownCharactersInCellsAreEscaped() {
            assertThat(Markdown.cell("a|b <img> *x*")).isEqualTo("a\\|b \\<img\\> \\*x\\*");
        }

        @Test
        void aFenceOutgrowsTheBackticksItHolds() {
            assertThat(Markdown.fence("a ``` b")).startsWith("````text\n").endsWith("\n````\n");
        }
    }
}

package dev.trellis.report;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code report.md} is part of the product: checked against golden files as
 * {@code FailureTextGoldenTest} checks failure texts. After a deliberate change, regenerate with
 * -Dtrellis.updateGolden=true and review the diff.
 */
class ReportMarkdownTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    static void assertGolden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("trellis.updateGolden")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file).as("golden file %s (create it with -Dtrellis.updateGolden=true)", file).exists();
        String expected = Files.readString(file, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            Path out = Path.of("target", "golden-actual-" + name);
            Files.createDirectories(out.getParent());
            Files.writeString(out, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).as("report differs from %s; the actual text is in target/golden-actual-%s", file, name)
                .isEqualTo(expected);
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

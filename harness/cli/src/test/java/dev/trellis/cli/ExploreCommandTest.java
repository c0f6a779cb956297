package dev.trellis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code trellis explore} and {@code trellis replay} as a user runs them: files in, reports and exit codes out. */
class ExploreCommandTest {
    /** A known bug that shows within a few seeds. */
    static final String BUG = """
            # yaml-language-server: $schema=../scenario.schema.json
            subject: {program: seed-chat}
            explore: {seeds: 200}
            network: {streams: {preset: plain}}
            runFor: 1s
            clients:
              - {login: alice, script: [{at: 100ms, line: from alice}]}
              - {login: bob, connectAt: 10ms, script: [{at: 100ms, line: from bob}]}
              - {login: carol, connectAt: 20ms}
              - {login: dave, connectAt: 30ms}
            invariants: [chat-total-order]
            expected: chat-total-order
            """;
    /** The robust chat, which passes. */
    static final String CALM = """
            subject: {program: chat}
            explore: {seeds: 20}
            runFor: 1s
            clients:
              - login: alice
                script:
                  - {expectRegex: "Welcome alice\\\\.$"}
                  - {at: 100ms, line: hi}
              - {login: bob, connectAt: 10ms, script: [{expect: "<alice> : hi"}]}
            """;

    record Run(int code, String out, String err) {}

    static Run trellis(String... args) {
        PrintStream o = System.out;
        PrintStream e = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.command().execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    static Path scenarios(Path dir, String... nameAndText) throws Exception {
        Path root = dir.resolve("scenarios");
        for (int i = 0; i < nameAndText.length; i += 2) {
            Path f = root.resolve(nameAndText[i] + ".yaml");
            Files.createDirectories(f.getParent());
            Files.writeString(f, nameAndText[i + 1]);
        }
        return root;
    }

    @Nested
    class Explore {
        @Test
        void aKnownBugMeetsItsExpectationAndWritesItsReportSummaryAndIndex(@TempDir Path dir) throws Exception {
            Path root = scenarios(dir, "chat/bug", BUG, "chat/calm", CALM);
            Path reports = dir.resolve("reports");
            Run r = trellis("explore", root.toString(), "--reports", reports.toString());
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("met    chat/bug: chat-total-order at seed ").contains("met    chat/calm: 20 seeds passed")
                    .contains("2 of 2 scenarios met their expectation");
            JsonNode summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
            JsonNode bug = summary.get("scenarios").get(0);
            assertThat(bug.get("scenario").asText()).isEqualTo("chat/bug");
            long seed = bug.get("firstFailure").get("seed").asLong();
            Path folder = reports.resolve("chat/bug/seed-" + seed);
            assertThat(folder.resolve("report.md")).exists();
            assertThat(folder.resolve("trace.json")).exists();
            assertThat(folder.resolve("timeline.html")).exists();
            assertThat(bug.get("digest").asText()).matches("[0-9a-f]{16}");
            assertThat(summary.get("scenarios").get(1).get("distinctSchedules").asInt()).isGreaterThan(1);
            assertThat(Files.readString(reports.resolve("index.html"))).contains("chat/bug").contains("chat/calm")
                    .contains("chat/bug/seed-" + seed + "/timeline.html");

            // the same run again gives the same summary, digest included
            Run again = trellis("explore", root.toString(), "--reports", reports.toString());
            JsonNode second = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
            for (int i = 0; i < 2; i++) {
                assertThat(second.get("scenarios").get(i).get("digest")).isEqualTo(summary.get("scenarios").get(i).get("digest"));
            }
            assertThat(again.code()).isZero();
        }

        @Test
        void aScenarioThatDoesNotGetWhatItExpectsExitsOne(@TempDir Path dir) throws Exception {
            Path root = scenarios(dir, "chat/bug", BUG.replace("expected: chat-total-order", "expected: pass"));
            Run r = trellis("explore", root.toString(), "--reports", dir.resolve("reports").toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).contains("FAILED chat/bug: chat-total-order at seed")
                    .contains("expected every seed to pass; seed").contains("replay ./trellis replay ");
        }

        @Test
        void aMalformedFileFailsAloneWithItsPlaceAndTheOthersStillRun(@TempDir Path dir) throws Exception {
            Path root = scenarios(dir, "a/typo", "subject: {program: chat}\nclients: [{login: a, chunkin: 3}]\n",
                    "b/calm", CALM);
            Run r = trellis("explore", root.toString(), "--reports", dir.resolve("reports").toString(), "--seeds", "3");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.out()).contains("bad    " + root.resolve("a/typo.yaml") + ":2:")
                    .contains("unknown key 'chunkin'").contains("met    b/calm: 3 seeds passed")
                    .contains("1 of 1 scenarios met their expectation; 1 file was bad");
        }

        @Test
        void aReportsFolderThatCannotBeWrittenIsRefusedBeforeAnythingRuns(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("a-file");
            Files.writeString(file, "x");
            Path root = scenarios(dir, "chat/calm", CALM);
            Run r = trellis("explore", root.toString(), "--reports", file.toString());
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).startsWith("trellis: --reports: cannot make the folder " + file);
            assertThat(r.out()).doesNotContain("chat/calm");
        }

        @Test
        void badArgumentsAreOneLineAndExitTwo(@TempDir Path dir) {
            assertThat(trellis("explore", dir.resolve("missing").toString()).err().strip())
                    .isEqualTo("trellis: no such file or folder: " + dir.resolve("missing"));
            Run r = trellis("explore", "--seedz", "3", dir.toString());
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("trellis: Unknown option: '--seedz' (did you mean --seeds?). "
                    + "See 'trellis explore --help'.");
            assertThat(trellis("explore", "--seeds", "0", dir.toString()).err()).contains("--seeds must be at least 1");
            assertThat(trellis("explore", "--strategy", "pcx", dir.toString()).err()).contains("unknown strategy [pcx]");
            assertThat(trellis("explore", dir.toString()).err()).contains("no scenario files (*.yaml)");
            assertThat(trellis("explore", "--classpath", dir.resolve("nope").toString(), dir.toString()).err())
                    .contains("--classpath: no such folder or jar");
        }
    }

    @Nested
    class Replay {
        @Test
        void aReportReplaysWithItsRecordedHash(@TempDir Path dir) throws Exception {
            Path root = scenarios(dir, "chat/bug", BUG);
            Path reports = dir.resolve("reports");
            trellis("explore", root.toString(), "--reports", reports.toString());
            long seed = new ObjectMapper().readTree(reports.resolve("summary.json").toFile()).get("scenarios").get(0)
                    .get("firstFailure").get("seed").asLong();
            Path folder = reports.resolve("chat/bug/seed-" + seed);
            String hash = new ObjectMapper().readTree(folder.resolve("trace.json").toFile()).get("traceHash").asText();

            Run fromReport = trellis("replay", folder.toString());
            assertThat(fromReport.code()).as(fromReport.out() + fromReport.err()).isZero();
            assertThat(fromReport.out()).contains("chat-total-order: carol and dave saw two broadcasts in different orders")
                    .contains("trace hash  " + hash).contains("recorded    " + hash + ": the replay matches it");

            Run fromFile = trellis("replay", root.resolve("chat/bug.yaml").toString(), "--seed", Long.toString(seed),
                    "--reports", reports.toString());
            assertThat(fromFile.code()).isZero();
            assertThat(fromFile.out()).contains("the replay matches it");
        }

        @Test
        void aRecordingThatNoLongerMatchesNamesTheFirstEventThatDeparts(@TempDir Path dir) throws Exception {
            Path root = scenarios(dir, "chat/bug", BUG);
            Path reports = dir.resolve("reports");
            trellis("explore", root.toString(), "--reports", reports.toString());
            Path folder;
            try (var s = Files.list(reports.resolve("chat/bug"))) {
                folder = s.findFirst().orElseThrow();
            }
            // The program changed since the recording: bob now speaks at 101 ms.
            Path trace = folder.resolve("trace.json");
            Files.writeString(trace, Files.readString(trace).replace("{at: 100ms, line: from bob}", "{at: 101ms, line: from bob}"));
            Run r = trellis("replay", folder.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).contains("the replay DEPARTS from it").containsPattern("(?s)event \\d+.*recorded:.*replayed:");
        }

        @Test
        void aDamagedTraceJsonIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
            Path root = scenarios(dir, "chat/bug", BUG);
            Path reports = dir.resolve("reports");
            trellis("explore", root.toString(), "--reports", reports.toString());
            Path folder;
            try (var s = Files.list(reports.resolve("chat/bug"))) {
                folder = s.findFirst().orElseThrow();
            }
            String good = Files.readString(folder.resolve("trace.json"));
            var json = new ObjectMapper();
            var cases = new java.util.LinkedHashMap<String, String>();
            var noText = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(good);
            noText.remove("scenarioText");
            cases.put(json.writeValueAsString(noText), "has no \"scenarioText\"");
            cases.put("", "is empty");
            cases.put(good.substring(0, good.length() / 2), "not JSON");
            cases.put("[1, 2]", "is not a Trellis trace.json");
            var badHash = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(good);
            badHash.put("traceHash", "xyz");
            cases.put(json.writeValueAsString(badHash), "is not 16 hex digits");
            for (var c : cases.entrySet()) {
                Path f = dir.resolve("damaged.json");
                Files.writeString(f, c.getKey());
                Run r = trellis("replay", f.toString());
                assertThat(r.code()).as(c.getValue()).isEqualTo(2);
                assertThat(r.err().strip()).as(c.getValue()).startsWith("trellis: " + f).contains(c.getValue())
                        .doesNotContain("\n").doesNotContain("Exception");
            }
        }

        @Test
        void aHandlerScenariosReplayCommandCarriesItsClassPath(@TempDir Path dir) throws Exception {
            String classes = Path.of("target", "test-classes").toAbsolutePath().toString();
            Path root = scenarios(dir, "mine/lossy", """
                    subject: {handler: %s, protocol: echo}
                    explore: {seeds: 5}
                    clients:
                      - name: a
                        script:
                          - {line: hello}
                          - {halfClose: true}
                    expected: echo-bytes
                    """.formatted(LossyEcho.class.getName()));
            Run r = trellis("explore", root.toString(), "--reports", dir.resolve("reports").toString(), "--classpath", classes);
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("replay ./trellis replay ").contains(" --classpath " + classes);
            Run again = trellis("replay", dir.resolve("reports/mine/lossy/seed-0").toString(), "--classpath", classes);
            assertThat(again.out()).contains("the replay matches it");
        }

        @Test
        void aScenarioFileNeedsASeed(@TempDir Path dir) throws Exception {
            Path root = scenarios(dir, "chat/bug", BUG);
            assertThat(trellis("replay", root.resolve("chat/bug.yaml").toString()).err())
                    .contains("replaying a scenario file needs --seed N");
            assertThat(trellis("replay", dir.toString()).err()).contains("no trace.json in " + dir);
        }
    }

    @Test
    void aRunStoppedPartWayLeavesItsSummaryMarkedUnfinished(@TempDir Path dir) throws Exception {
        Path root = scenarios(dir, "chat/calm", CALM, "chat/endless", CALM);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "explore", root.toString(), "--reports", dir.resolve("r").toString(),
                "--junit-xml", dir.resolve("r/junit.xml").toString(), "--seeds", "100000000", "--keep-going"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        // Stop it once it is exploring (its first progress lines), as Ctrl-C or a CI time-out would.
        for (int i = 0; i < 600 && !Files.readString(dir.resolve("out.txt")).contains("exploring 2 scenarios"); i++) {
            Thread.sleep(50);
        }
        Thread.sleep(500);
        p.destroy();   // SIGTERM: the JVM's shutdown hooks run, as on SIGINT
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("r/summary.json").toFile());
        assertThat(summary.get("complete").asBoolean()).isFalse();
        assertThat(summary.get("planned").asInt()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("r/index.html"))).contains("did not get to its end");
        assertThat(dir.resolve("r/junit.xml")).exists();
        assertThat(Files.readString(dir.resolve("out.txt"))).contains("trellis: stopped after 0 of 2 scenarios");
    }

    @Test
    void twoJvmsExploringTheSameScenarioAgreeOnItsDigest(@TempDir Path dir) throws Exception {
        Path root = scenarios(dir, "chat/calm", CALM);
        Run here = trellis("explore", root.toString(), "--reports", dir.resolve("here").toString(), "--seeds", "30");
        assertThat(here.code()).isZero();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "explore", root.toString(), "--reports", dir.resolve("there").toString(), "--seeds", "30"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(dir.resolve("here/summary.json").toFile()).get("scenarios").get(0);
        JsonNode b = json.readTree(dir.resolve("there/summary.json").toFile()).get("scenarios").get(0);
        assertThat(b.get("digest")).isEqualTo(a.get("digest"));
        assertThat(b.get("traceHashes")).isEqualTo(a.get("traceHashes"));
    }
}

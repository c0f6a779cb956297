package dev.trellis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.trellis.cli.ExploreCommandTest.BUG;
import static dev.trellis.cli.ExploreCommandTest.CALM;
import static dev.trellis.cli.ExploreCommandTest.scenarios;
import static dev.trellis.cli.ExploreCommandTest.trellis;
import static org.assertj.core.api.Assertions.assertThat;

/** CI's side: shards that merge into one run's summary, and Surefire-format XML. */
class ShardsAndJunitXmlTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DECIDED = List.of("scenario", "seeds", "executions", "steps", "distinctSchedules",
            "digest", "failures", "failingSeeds", "met", "traceHashes");

    @Test
    void threeShardsMergeIntoWhatOneRunGivesOnAnyNumberOfJobs(@TempDir Path dir) throws Exception {
        Path root = scenarios(dir, "chat/bug", BUG, "chat/calm", CALM,
                "chat/bug-keep", BUG.replace("seeds: 200", "seeds: 60"));
        for (String keepGoing : new String[] {"", "--keep-going"}) {
            List<String> shards = new ArrayList<>();
            for (int k = 1; k <= 3; k++) {
                Path out = dir.resolve("shard" + k + keepGoing);
                ExploreCommandTest.Run r = trellis(args(root, out, "--shard", k + "/3", "--jobs", k == 2 ? "2" : "1", keepGoing));
                assertThat(r.code()).as(r.out() + r.err()).isZero();
                shards.add(out.resolve("summary.json").toString());
            }
            Path merged = dir.resolve("merged" + keepGoing);
            List<String> merge = new ArrayList<>(List.of("merge"));
            merge.addAll(shards.reversed());   // the order shards are given in does not matter
            merge.addAll(List.of("--reports", merged.toString(), "--junit-xml", merged.resolve("junit.xml").toString()));
            ExploreCommandTest.Run m = trellis(merge.toArray(String[]::new));
            assertThat(m.code()).as(m.out() + m.err()).isZero();
            ExploreCommandTest.Run whole = trellis(args(root, dir.resolve("whole" + keepGoing), "--jobs", "2", keepGoing));
            assertThat(whole.code()).isZero();

            JsonNode a = JSON.readTree(merged.resolve("summary.json").toFile()).get("scenarios");
            JsonNode b = JSON.readTree(dir.resolve("whole" + keepGoing).resolve("summary.json").toFile()).get("scenarios");
            assertThat(a.size()).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                for (String key : DECIDED) {
                    assertThat(a.get(i).get(key)).as("%s %s %s", a.get(i).get("scenario"), key, keepGoing).isEqualTo(b.get(i).get(key));
                }
                assertThat(a.get(i).path("firstFailure").path("seed")).isEqualTo(b.get(i).path("firstFailure").path("seed"));
            }
            // the merged first failure's report was gathered under the merged reports
            JsonNode bug = a.get(0);
            Path report = merged.resolve(bug.get("firstFailure").get("report").asText());
            assertThat(report.resolve("trace.json")).exists();
            assertThat(trellis("replay", report.toString()).out()).contains("the replay matches it");
        }
    }

    @Test
    void aShardWithoutTheKnownBugIsNotAFailureButAMergeWithoutItIs(@TempDir Path dir) throws Exception {
        Path root = scenarios(dir, "chat/bug", BUG.replace("seeds: 200", "seeds: 6"));
        // seeds 0..5 hold no failing seed of this race (the first is 6): no shard finds it
        ExploreCommandTest.Run s1 = trellis(args(root, dir.resolve("s1"), "--shard", "1/2"));
        ExploreCommandTest.Run s2 = trellis(args(root, dir.resolve("s2"), "--shard", "2/2"));
        assertThat(s1.code()).as(s1.out()).isZero();
        assertThat(s2.code()).isZero();
        ExploreCommandTest.Run m = trellis("merge", dir.resolve("s1").toString(), dir.resolve("s2").toString(),
                "--reports", dir.resolve("m").toString());
        assertThat(m.code()).as(m.out()).isEqualTo(1);
        assertThat(m.out()).contains("NOT MET");
        ExploreCommandTest.Run missing = trellis("merge", dir.resolve("s1").toString(), "--reports", dir.resolve("m2").toString());
        assertThat(missing.code()).as("a merge without every shard is not a result").isEqualTo(2);
        assertThat(missing.err()).contains("only 1 of 2 shards were given; the seeds of shard [2] are not in this summary");
        assertThat(JSON.readTree(dir.resolve("m2/summary.json").toFile()).get("complete").asBoolean()).isFalse();
        assertThat(trellis("merge", dir.resolve("s1").toString(), dir.resolve("s1").toString()).err())
                .contains("shard 1/2 is given twice");
        assertThat(trellis("explore", root.toString(), "--shard", "3/2").err()).contains("k/N");
    }

    @Test
    void twelveShardsMergeInTheOrderAShellGlobGivesThem(@TempDir Path dir) throws Exception {
        Path root = scenarios(dir, "chat/calm", CALM.replace("seeds: 20", "seeds: 30"));
        List<String> merge = new ArrayList<>(List.of("merge"));
        for (int k = 1; k <= 12; k++) {
            assertThat(trellis(args(root, dir.resolve("shard-" + k), "--shard", k + "/12")).code()).isZero();
        }
        for (String k : new String[] {"1", "10", "11", "12", "2", "3", "4", "5", "6", "7", "8", "9"}) {
            merge.add(dir.resolve("shard-" + k).resolve("summary.json").toString());
        }
        merge.addAll(List.of("--reports", dir.resolve("merged").toString()));
        ExploreCommandTest.Run m = trellis(merge.toArray(String[]::new));
        assertThat(m.code()).as(m.out() + m.err()).isZero();
        assertThat(trellis(args(root, dir.resolve("whole"))).code()).isZero();
        JsonNode a = JSON.readTree(dir.resolve("merged/summary.json").toFile()).get("scenarios").get(0);
        JsonNode b = JSON.readTree(dir.resolve("whole/summary.json").toFile()).get("scenarios").get(0);
        for (String key : DECIDED) {
            assertThat(a.get(key)).as(key).isEqualTo(b.get(key));
        }
    }

    @Test
    void shardsOfDifferentSeedsDoNotMerge(@TempDir Path dir) throws Exception {
        Path root = scenarios(dir, "chat/calm", CALM);
        trellis(args(root, dir.resolve("a"), "--shard", "1/2", "--seeds", "10"));
        trellis(args(root, dir.resolve("b"), "--shard", "2/2", "--seeds", "20"));
        ExploreCommandTest.Run m = trellis("merge", dir.resolve("a").toString(), dir.resolve("b").toString(),
                "--reports", dir.resolve("m").toString());
        assertThat(m.code()).isEqualTo(2);
        assertThat(m.err()).contains("the shards ran different seeds");
    }

    @Test
    void theJunitXmlFollowsSurefiresSchemaAndCarriesTheReplayCommand(@TempDir Path dir) throws Exception {
        Path root = scenarios(dir, "chat/bug", BUG.replace("expected: chat-total-order", "expected: pass"),
                "chat/calm", CALM, "chat/typo", "subject: {program: chat}\nclients: [{login: a, chunkin: 1}]\n");
        Path xml = dir.resolve("out/junit.xml");
        ExploreCommandTest.Run r = trellis(args(root, dir.resolve("reports"), "--junit-xml", xml.toString()));
        assertThat(r.code()).isEqualTo(2);
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(getClass().getResource("/surefire/surefire-test-report-3.0.xsd"))
                .newValidator().validate(new StreamSource(xml.toFile()));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element suite = doc.getDocumentElement();
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("errors")).isEqualTo("1");
        NodeList failures = doc.getElementsByTagName("failure");
        assertThat(failures.getLength()).isEqualTo(1);
        Element failure = (Element) failures.item(0);
        assertThat(((Element) failure.getParentNode()).getAttribute("name")).isEqualTo("chat/bug");
        assertThat(failure.getAttribute("type")).isEqualTo("chat-total-order");
        assertThat(failure.getAttribute("message")).startsWith("expected every seed to pass; seed ");
        assertThat(failure.getTextContent()).contains("report        ").contains("replay        ./trellis replay ")
                .contains("--seed ");
        Element error = (Element) doc.getElementsByTagName("error").item(0);
        assertThat(error.getAttribute("message")).contains("typo.yaml:2:").contains("unknown key 'chunkin'");
    }

    private static String[] args(Path root, Path reports, String... more) {
        List<String> a = new ArrayList<>(List.of("explore", root.toString(), "--reports", reports.toString()));
        for (String m : more) {
            if (!m.isEmpty()) {
                a.add(m);
            }
        }
        return a.toArray(String[]::new);
    }
}

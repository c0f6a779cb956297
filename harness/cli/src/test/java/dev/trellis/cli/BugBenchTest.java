package dev.trellis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code trellis bench --bugs} on a tiny budget: one data structure, two seed blocks, one second
 * per tool. Nothing here depends on how fast the machine is: which blocks find the bug is decided
 * by the seeds (a block finds it in a few executions, far inside its second), and only the rows'
 * presence and the figures' signs are asserted for the wall-clock tools.
 */
class BugBenchTest {
    private static String table;
    private static JsonNode json;

    @BeforeAll
    static void runTheBenchOnce() throws Exception {
        Path file = Files.createTempFile("bugbench", ".json");
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = Main.command().execute("bench", "--bugs", "--only", "racy-channel", "--blocks", "2",
                    "--seconds", "1", "--json", file.toString());
            assertThat(code).isZero();
        } finally {
            System.setOut(original);
        }
        table = out.toString(StandardCharsets.UTF_8);
        json = new ObjectMapper().readTree(file.toFile());
        Files.delete(file);
    }

    private static List<String> rows() {
        return table.lines().filter(l -> l.startsWith("| racy-channel |")).toList();
    }

    @Test
    void printsARowPerStrategyAndOneForStressAndOneForLincheck() {
        assertThat(rows()).hasSize(8);
        assertThat(rows()).anyMatch(r -> r.startsWith("| racy-channel | Trellis random | 2/2 blocks |"))
                .anyMatch(r -> r.startsWith("| racy-channel | Trellis pct:2 | 2/2 blocks |"))
                // one change point cannot order the two sends' reads before both writes: depth 2
                .anyMatch(r -> r.startsWith("| racy-channel | Trellis pct:1 | 0/2 blocks |"))
                .anyMatch(r -> r.matches("\\| racy-channel \\| stress \\(platform threads\\) \\| [\\d,]+ of [\\d,]+ runs .*\\| never \\|"))
                .anyMatch(r -> r.matches("\\| racy-channel \\| Lincheck model checker \\| (yes|no \\([\\d,]+ invocations checked in the budget\\)) .*"));
    }

    @Test
    void everyTrellisFailureReplaysWithTheSameTraceHash() {
        int failures = 0;
        for (JsonNode r : json.get("rows")) {
            if (r.get("tool").asText().equals("trellis")) {
                assertThat(r.get("replays").asInt()).as(r.get("strategy").asText()).isEqualTo(r.get("failures").asInt());
                assertThat(r.get("replayable").asText()).as(r.get("strategy").asText())
                        .isEqualTo(r.get("failures").asInt() == 0 ? "no failure to replay" : "always");
                failures += r.get("failures").asInt();
            }
        }
        assertThat(failures).isGreaterThanOrEqualTo(8);   // random, pct:2, pct:3, pos: 2 blocks each
    }

    @Test
    void theJsonCarriesTheTablesNumbers() {
        assertThat(json.get("blocks").asInt()).isEqualTo(2);
        assertThat(json.get("secondsPerSubject").asDouble()).isEqualTo(1.0);
        List<String> fromJson = new ArrayList<>();
        for (JsonNode r : json.get("rows")) {
            String tool = r.get("tool").asText();
            assertThat(r.get("subject").asText()).isEqualTo("racy-channel");
            switch (tool) {
                case "trellis" -> fromJson.add("| racy-channel | Trellis " + r.get("strategy").asText() + " | "
                        + r.get("found").asInt() + "/" + r.get("attempts").asLong() + " blocks |");
                case "stress" -> {
                    assertThat(r.get("attempts").asLong()).isPositive();
                    assertThat(r.get("found").asLong()).isBetween(0L, r.get("attempts").asLong());
                    assertThat(r.get("replayable").asText()).isEqualTo("never");
                    fromJson.add(String.format(java.util.Locale.ROOT, "| racy-channel | stress (platform threads) | %,d of %,d runs",
                            r.get("found").asInt(), r.get("attempts").asLong()));
                }
                default -> {
                    assertThat(tool).isEqualTo("lincheck");
                    // Found, after invocations; or not found after checking some: never "not found" with none checked.
                    if (r.get("found").asInt() == 1) {
                        assertThat(r.get("medianExecutions").asDouble()).isPositive();
                    } else {
                        assertThat(r.get("note").asText()).matches("[1-9][\\d,]* invocations checked in the budget");
                    }
                    fromJson.add("| racy-channel | Lincheck model checker | " + (r.get("found").asInt() == 1 ? "yes" : "no"));
                }
            }
        }
        assertThat(fromJson).hasSize(8);
        for (String start : fromJson) {
            assertThat(rows()).as(start).anyMatch(r -> r.startsWith(start));
        }
        for (JsonNode r : json.get("rows")) {
            if (r.has("medianMillis")) {
                assertThat(r.get("medianMillis").asDouble()).isPositive();
            }
        }
    }
}

package dev.trellis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CliTest {
    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new Main()).execute(args);
            assertThat(code).as("exit code of trellis %s", String.join(" ", args)).isZero();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void demoNurseryUnderTheSimulatorEndsWithTheVirtualEndTimeAndTheTraceHash() {
        String first = run("demo", "nursery", "--sim", "--seed", "7", "--strategy", "pct:3");
        List<String> lines = first.lines().toList();
        assertThat(lines).hasSize(10);
        assertThat(lines.get(0)).endsWith("parent: started!");
        assertThat(lines.get(9)).matches("virtual end time PT5S, \\d+ steps, trace hash [0-9a-f]{16}");
        assertThat(run("demo", "nursery", "--sim", "--seed", "7", "--strategy", "pct:3")).isEqualTo(first);
    }

    @Test
    void demoEchoUnderTheSimulatorServesAndEchoes() {
        assertThat(run("demo", "echo", "--sim", "--seed", "3").lines().toList())
                .contains("[ 0.000 s] client: got back hello", "[ 0.000 s] client: got back world", "[ 0.000 s] done");
    }

    /** Runs a command line that must be refused with exit code 2; returns what it printed on stderr. */
    private static String refused(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new Main()).execute(args);
            assertThat(code).as("exit code of trellis %s", String.join(" ", args)).isEqualTo(2);
        } finally {
            System.setErr(original);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void servingBeyondLoopbackIsWarnedAbout() {
        assertThat(ServeCommand.exposure("0.0.0.0")).startsWith("warning: --host 0.0.0.0 is not a loopback address");
        assertThat(ServeCommand.exposure("127.0.0.1")).isNull();
        assertThat(ServeCommand.exposure("localhost")).isNull();
    }

    @Test
    void serveLimitsThatMakeNoSenseAreRefusedBeforeAnythingListens() {
        assertThat(refused("serve", "chat", "--idle-timeout", "5 minutes"))
                .contains("--idle-timeout: [5 minutes] is not a duration: expected a number and a unit");
        assertThat(refused("serve", "chat", "--login-deadline", "-1s")).contains("--login-deadline: [-1s] is negative");
        assertThat(refused("serve", "chat", "--max-connections", "0")).contains("--max-connections must be at least 1, was 0");
        assertThat(refused("serve", "echo", "--login-deadline", "30s")).contains("--login-deadline is for the chat only: echo has no login");
    }

    @Test
    void anUnknownProgramIsRefusedWithTheKnownOnes() {
        assertThat(refused("demo", "chatt", "--sim"))
                .contains("unknown program 'chatt': programs with a demo are: nursery, echo");
        assertThat(refused("serve", "nursery")).contains("unknown server 'nursery': programs with a server are: echo");
    }

    @Test
    void benchWritesTheFiguresAsJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        String out = run("bench", "--seconds", "0.05", "--rounds", "1", "--only", "pingpong", "--json", json.toString());
        assertThat(out).contains("pingpong-10");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        JsonNode w = doc.get("workloads").get(0);
        assertThat(w.get("name").asText()).isEqualTo("pingpong-10");
        assertThat(w.get("executionsPerSecond").asDouble()).isPositive();
        assertThat(w.get("decisionsPerSecond").asDouble()).isPositive();
        assertThat(w.get("decisionsPerExecution").asDouble()).isEqualTo(44.0);
    }

    @Test
    void benchStrategiesReportsEachProgramAndStrategy(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("strategies.json");
        String out = run("bench", "--strategies", "--only", "lost-update", "--blocks", "2", "--budget", "40",
                "--specs", "random,pct:1,dfs:2", "--json", json.toString());
        assertThat(out).contains("lost-update").contains("dfs:2");
        JsonNode rows = new ObjectMapper().readTree(json.toFile()).get("rows");
        assertThat(rows).hasSize(3);
        JsonNode random = rows.get(0);
        assertThat(random.get("strategy").asText()).isEqualTo("random");
        assertThat(random.get("depth").asInt()).isEqualTo(2);
        assertThat(random.get("found").asInt()).isEqualTo(2);
        assertThat(random.get("medianExecutions").asDouble()).isPositive();
        // One change point fewer than the depth needs: never found, so no median and no worst.
        JsonNode pct1 = rows.get(1);
        assertThat(pct1.get("found").asInt()).isZero();
        assertThat(pct1.has("medianExecutions")).isFalse();
        assertThat(pct1.has("worstExecutions")).isFalse();
        assertThat(pct1.get("pctBound")).isNull();
        assertThat(rows.get(2).get("found").asInt()).isEqualTo(2);
    }

    @Test
    void aBadStrategyIsRefusedWithTheKnownOnesNotAStackTrace() {
        assertThat(refused("demo", "nursery", "--sim", "--strategy", "pos:3"))
                .contains("--strategy: unknown strategy [pos:3]: expected 'random', 'pos'").contains("'dfs:P'")
                .doesNotContain("\tat ");
        assertThat(refused("bench", "--strategies", "--specs", "random,no-such-strategy"))
                .contains("--specs: unknown strategy [no-such-strategy]").doesNotContain("\tat ");
    }
}

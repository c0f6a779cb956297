package dev.trellis.apps;

import dev.trellis.real.RealRuntime;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.Sims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry the commands share: unique names, and every demo runs to its end on both engines. */
@Timeout(60)
class ProgramsTest {
    @Test
    void namesAreUniqueAndEachProgramDoesSomething() {
        assertThat(Programs.all()).extracting(Programs.Program::name).doesNotHaveDuplicates();
        assertThat(Programs.all()).allMatch(p -> p.hasDemo() || p.hasServer());
        assertThat(Programs.find("echo")).get().matches(Programs.Program::hasServer);
        assertThat(Programs.find("no such program")).isEmpty();
    }

    @Test
    void eachServerSaysWhatAHandlerFailureDoesToIt() {
        // As trio's serve_tcp: the seed chat's failing handler takes its server down; the others close one connection.
        assertThat(Programs.find("seed-chat").orElseThrow().onFailure()).isEqualTo(Network.OnHandlerFailure.PROPAGATE);
        assertThat(Programs.find("echo").orElseThrow().onFailure()).isEqualTo(Network.OnHandlerFailure.CLOSE_CONNECTION);
        assertThat(Programs.find("chat").orElseThrow().onFailure()).isEqualTo(Network.OnHandlerFailure.CLOSE_CONNECTION);
        assertThat(Programs.all()).allMatch(p -> p.hasServer() == (p.onFailure() != null));
    }

    @Test
    void theChatDemoRunsOnRealTcp() throws Exception {
        List<String> lines = new ArrayList<>();
        RealRuntime.run(() -> {
            Programs.find("chat").orElseThrow().demo().run(lines::add);
            return null;
        });
        assertThat(lines).contains("alice: got <bob> : a\uFFFDtab", "alice: got <meta>: Line too long (max 1024 bytes); dropped.",
                "alice: got <meta>: bob left").endsWith("done");
    }

    @Test
    void everyDemoRunsToItsEndUnderTheSimulatorOnEverySeed() {
        for (Programs.Program p : Programs.all()) {
            if (!p.hasDemo()) {
                continue;
            }
            for (String strategy : List.of("random", "pct:3")) {
                Sims.everySeed(100, strategy, () -> {
                    List<String> lines = new ArrayList<>();
                    p.demo().run(lines::add);
                    assertThat(lines).as(p.name()).isNotEmpty();
                    assertThat(new HashSet<>(lines)).as(p.name() + ": no line twice").hasSameSizeAs(lines);
                });
            }
        }
    }

    @Test
    void theEchoDemoRunsOnRealTcp() throws Exception {
        List<String> lines = new ArrayList<>();
        RealRuntime.run(() -> {
            Programs.find("echo").orElseThrow().demo().run(lines::add);
            return null;
        });
        assertThat(lines).hasSize(6).endsWith("client: sent world", "client: got back world", "done");
    }

    @Test
    void theHappyEyeballsDemoConnectsWhenItsScriptedAddressesSayOnEverySeed() {
        for (String strategy : List.of("random", "pct:2")) {
            Sims.everySeed(50, strategy, () -> {
                List<String> lines = new ArrayList<>();
                Programs.find("happy-eyeballs").orElseThrow().demo().run(line -> {
                    if (line.startsWith("client: connected")) {
                        // Hang, then a refusal at 350 ms hands over to the third address at once: 400 ms.
                        assertThat(Trellis.now()).isEqualTo(Duration.ofMillis(400));
                    }
                    lines.add(line);
                });
                assertThat(lines).contains("client: got back hello").endsWith("done");
            });
        }
    }

    @Test
    void theHappyEyeballsDemoRunsOnRealTcp() throws Exception {
        List<String> lines = new ArrayList<>();
        RealRuntime.run(() -> {
            Programs.find("happy-eyeballs").orElseThrow().demo().run(lines::add);
            return null;
        });
        assertThat(lines).contains("client: got back hello").endsWith("done");
    }
}

package dev.trellis.check;

import dev.trellis.runtime.BrokenNurseries;
import dev.trellis.runtime.Channel;
import dev.trellis.runtime.Nursery;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failure messages are part of the product: their text is checked against golden files (as
 * Lincheck does). After a deliberate change, regenerate with -Dtrellis.updateGolden=true and
 * review the diff.
 */
class FailureTextGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private static void assertGolden(String name, String actual) throws IOException {
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
        assertThat(actual).as("failure text differs from %s; the actual text is in target/golden-actual-%s", file, name)
                .isEqualTo(expected);
    }

    @Test
    void invariantViolationText() throws IOException {
        Simulation.Exploration e = Simulation.explore(BrokenNurseries::childStartsSibling, 0, 100, SimConfig.defaults());
        assertGolden("invariant-violation.txt", e.last().failure().getMessage());
    }

    @Test
    void deadlockHeadlineAndWaits() throws IOException {
        Result r = Simulation.run(() -> {
            Channel<String> never = Channel.unbuffered();
            Nursery.open(n -> {
                n.start("left", never::receive);
                n.start("right", () -> never.send("x"));
                n.start("third", never::receive);
            });
        }, 11);
        // Stacks carry line numbers that move with any edit; the golden text keeps the rest.
        String text = r.failure().getMessage().lines()
                .filter(l -> !l.trim().startsWith("at ") && !l.trim().startsWith("... "))
                .reduce("", (a, b) -> a + b + "\n");
        assertGolden("deadlock.txt", text);
    }
}

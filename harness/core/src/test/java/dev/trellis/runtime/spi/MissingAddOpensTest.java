package dev.trellis.runtime.spi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Without the one JVM flag the engines need, the first run says which flag and where it goes. */
class MissingAddOpensTest {
    /** Runs one simulated execution in a JVM started without --add-opens, and prints what it threw. */
    public static final class Probe {
        public static void main(String[] args) {
            try {
                dev.trellis.sim.Simulation.result(() -> { }, 0).orThrow();
                System.out.println("ran");
            } catch (Throwable t) {
                System.out.println(t.getMessage());
            }
        }
    }

    @Test
    void aJvmWithoutAddOpensIsToldTheFlagAndWhereToPutIt() throws Exception {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Probe.class.getName())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("Trellis needs --add-opens java.base/java.lang=ALL-UNNAMED")
                .contains("<argLine>--add-opens java.base/java.lang=ALL-UNNAMED</argLine>")
                .doesNotContain("\nran");
    }
}

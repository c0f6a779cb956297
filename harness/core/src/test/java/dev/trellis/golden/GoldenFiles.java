package dev.trellis.golden;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Texts that are part of the product (failure messages, report.md), held word for word against
 * files under the module's {@code src/test/resources/golden}. With
 * {@code -Dtrellis.updateGolden=true} the file is rewritten instead; on a difference the actual
 * text is left in {@code target/golden-actual-<name>} for a diff. One helper for every module's
 * golden tests (core's test-jar carries it).
 */
public final class GoldenFiles {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private GoldenFiles() {}

    /** Asserts {@code actual} equals the golden file {@code name}; {@code what} names the text in the message. */
    public static void assertGolden(String name, String actual, String what) throws IOException {
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
        assertThat(actual).as("%s differs from %s; the actual text is in target/golden-actual-%s", what, file, name)
                .isEqualTo(expected);
    }
}

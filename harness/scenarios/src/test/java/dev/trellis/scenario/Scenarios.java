package dev.trellis.scenario;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's scenario files are, from a test's working directory. */
final class Scenarios {
    private Scenarios() {}

    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("scenarios")) && Files.exists(p.resolve("harness"))) {
                return p.resolve("scenarios");
            }
        }
        throw new IllegalStateException("no scenarios/ folder above " + Path.of("").toAbsolutePath());
    }
}

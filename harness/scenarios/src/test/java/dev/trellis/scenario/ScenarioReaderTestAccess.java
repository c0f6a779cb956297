package dev.trellis.scenario;

import java.nio.file.Path;

/** The repository's scenarios/ folder, for tests in other packages. */
public final class ScenarioReaderTestAccess {
    private ScenarioReaderTestAccess() {}

    public static Path root() {
        return Scenarios.root();
    }
}

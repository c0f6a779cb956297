package com.example;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the two Trellis dependencies bring to a project's tests: the engine and the extension, not the CLI's libraries. */
class ClasspathTest {
    @Test
    void theCommandLinesLibrariesStayOut() {
        for (String name : new String[] {"picocli.CommandLine", "com.fasterxml.jackson.databind.ObjectMapper",
                "com.fasterxml.jackson.dataformat.yaml.YAMLFactory", "org.yaml.snakeyaml.Yaml",
                "dev.trellis.cli.Main", "dev.trellis.scenario.Scenario", "dev.trellis.apps.Chat"}) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(name), name + " is on the test class path");
        }
    }
}

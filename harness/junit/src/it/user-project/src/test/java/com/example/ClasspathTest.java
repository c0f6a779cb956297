package com.example;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the two Trellis dependencies bring to a project's tests: the engine, the extension and what
 * they need to write a report, nothing else (no CLI, no picocli, no Jackson databind, no YAML).
 */
class ClasspathTest {
    /** Every jar the test class path may hold: Trellis's three, jackson-core for trace.json, JUnit's own. */
    private static final Pattern ALLOWED = Pattern.compile("(trellis-core|trellis-junit|trellis-report|jackson-core"
            + "|junit-jupiter(-api|-engine|-params)?|junit-platform-(commons|engine|launcher)|opentest4j|apiguardian-api)"
            + "-[0-9][^/\\\\]*\\.jar");

    @Test
    void theTestClassPathHoldsOnlyWhatTheDependenciesNeed() {
        // Surefire's own class path, not java.class.path (its booter's manifest-only jar).
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> strays = java.util.Arrays.stream(path.split(File.pathSeparator))
                .filter(e -> e.endsWith(".jar"))
                .map(e -> new File(e).getName())
                .filter(name -> !ALLOWED.matcher(name).matches())
                .toList();
        assertEquals(List.of(), strays, "jars on the test class path beyond Trellis's, jackson-core and JUnit's");
    }

    @Test
    void theCommandLinesLibrariesStayOut() {
        for (String name : new String[] {"picocli.CommandLine", "com.fasterxml.jackson.databind.ObjectMapper",
                "com.fasterxml.jackson.dataformat.yaml.YAMLFactory", "org.yaml.snakeyaml.Yaml",
                "dev.trellis.cli.Main", "dev.trellis.scenario.Scenario", "dev.trellis.apps.Chat"}) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(name), name + " is on the test class path");
        }
    }
}

package dev.trellis.readme;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The fenced blocks of README.md's section {@value #SECTION}, which {@link ReadmeExampleTest}
 * keeps in step with its code and with the failure text its exploration prints: the README is a
 * golden file for both. With {@value #UPDATE_PROPERTY}{@code =true} a block that differs is
 * rewritten in place instead of failing the test.
 */
final class ReadmeBlocks {
    /** System property: rewrite README blocks that differ, instead of failing. */
    static final String UPDATE_PROPERTY = "trellis.updateReadme";
    /** Tests run in the module directory; the README is the repository's. */
    static final Path README = Path.of("../..", "README.md");
    static final String SECTION = "## A bug, and Trellis catching it";
    /** Where the failure text the exploration printed is written when it differs from the README's. */
    static final Path ACTUAL_FAILURE = Path.of("target", "readme-failure-actual.txt");
    private static final String HOW_TO_UPDATE = "If the change is deliberate, rewrite the block with "
            + "`mvn -B verify -pl harness/cli -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=ReadmeExampleTest -D" + UPDATE_PROPERTY + "=true` and review "
            + "the diff of README.md.";

    /** A fenced block: its info string ("java" or empty) and its lines, {@code [from, to)} of the file's lines. */
    private record Fence(String info, int from, int to, String text) {}

    private ReadmeBlocks() {}

    /**
     * Checks that the block after the {@code Simulation.explore(...)} line shows exactly
     * {@code message}, the text the exploration printed. A fenced block cannot say whether the
     * text ends with a newline, so one final newline of the message is not compared.
     */
    static void checkFailureBlock(String message) throws IOException {
        String actual = message.endsWith("\n") ? message.substring(0, message.length() - 1) : message;
        List<String> lines = readLines();
        List<Fence> fences = fences(lines);
        int explore = -1;
        for (int i = 0; i < fences.size() && explore < 0; i++) {
            if (fences.get(i).text().contains("Simulation.explore(")) {
                explore = i;
            }
        }
        if (explore < 0 || explore + 1 >= fences.size()) {
            fail("README.md's section \"%s\" must show a fenced block with the Simulation.explore(...) line, then a "
                    + "fenced block with the failure text it prints; found %d fenced blocks", SECTION, fences.size());
        }
        Fence block = fences.get(explore + 1);
        if (block.text().equals(actual)) {
            return;
        }
        Files.createDirectories(ACTUAL_FAILURE.getParent());
        Files.writeString(ACTUAL_FAILURE, message, StandardCharsets.UTF_8);
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            rewrite(lines, block, actual);
            return;
        }
        assertThat(actual).as("README.md (section \"%s\", lines %d-%d) shows a failure text that differs from what "
                        + "the exploration prints, which is in %s. %s", SECTION, block.from() + 1, block.to(),
                ACTUAL_FAILURE, HOW_TO_UPDATE)
                .isEqualTo(block.text());
    }

    /**
     * Checks that the section's {@code java} blocks show, in order, the regions of {@code source}
     * named {@code regions} (the lines between {@code // --8<-- [start:name]} and
     * {@code // --8<-- [end:name]}), their common indentation stripped.
     */
    static void checkCodeBlocks(Path source, String... regions) throws IOException {
        checkCodeBlocks(SECTION, source, regions);
    }

    /** {@link #checkCodeBlocks(Path, String...)} for the README's section {@code section}. */
    static void checkCodeBlocks(String section, Path source, String... regions) throws IOException {
        List<String> code = Files.readAllLines(source, StandardCharsets.UTF_8);
        List<Fence> java = new ArrayList<>();
        for (Fence f : fences(readLines(), section)) {
            if (f.info().equals("java")) {
                java.add(f);
            }
        }
        assertThat(java).as("README.md's section \"%s\" shows one java block per region %s of %s",
                section, Arrays.toString(regions), source).hasSize(regions.length);
        for (int i = 0; i < regions.length; i++) {
            String region = region(code, regions[i], source);
            // Read again: an update of an earlier block may have moved the lines.
            List<String> lines = readLines();
            Fence block = fences(lines, section).stream().filter(f -> f.info().equals("java")).toList().get(i);
            if (block.text().equals(region)) {
                continue;
            }
            if (Boolean.getBoolean(UPDATE_PROPERTY)) {
                rewrite(lines, block, region, section);
                continue;
            }
            assertThat(block.text()).as("README.md (section \"%s\", lines %d-%d) must show the region '%s' of %s "
                            + "exactly. %s", section, block.from() + 1, block.to(), regions[i], source, HOW_TO_UPDATE)
                    .isEqualTo(region);
        }
    }

    private static String region(List<String> code, String name, Path source) {
        int start = indexOf(code, "// --8<-- [start:" + name + "]", 0);
        int end = indexOf(code, "// --8<-- [end:" + name + "]", start + 1);
        if (start < 0 || end < 0) {
            fail("%s has no region '%s' between // --8<-- markers", source, name);
        }
        return String.join("\n", code.subList(start + 1, end)).stripIndent();
    }

    private static int indexOf(List<String> lines, String marker, int from) {
        for (int i = Math.max(0, from); i < lines.size(); i++) {
            if (lines.get(i).trim().equals(marker)) {
                return i;
            }
        }
        return -1;
    }

    /** The README's lines; split on '\n' only and keeping a trailing empty line, so a rewrite changes nothing else. */
    private static List<String> readLines() throws IOException {
        return new ArrayList<>(Arrays.asList(Files.readString(README, StandardCharsets.UTF_8).split("\n", -1)));
    }

    /** The fenced blocks between {@link #SECTION} and the next second-level heading. */
    private static List<Fence> fences(List<String> lines) {
        return fences(lines, SECTION);
    }

    /** The fenced blocks between {@code section} and the next second-level heading. */
    private static List<Fence> fences(List<String> lines, String section) {
        int start = lines.indexOf(section);
        if (start < 0) {
            fail("README.md (%s) has no section \"%s\"", README.toAbsolutePath().normalize(), section);
        }
        List<Fence> out = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            if (lines.get(i).startsWith("```")) {
                int open = i;
                do {
                    i++;
                } while (i < lines.size() && !lines.get(i).startsWith("```"));
                if (i == lines.size()) {
                    fail("README.md: the fence opened on line %d is never closed", open + 1);
                }
                out.add(new Fence(lines.get(open).substring(3).trim(), open + 1, i,
                        String.join("\n", lines.subList(open + 1, i))));
            }
        }
        return out;
    }

    private static void rewrite(List<String> lines, Fence block, String text) throws IOException {
        rewrite(lines, block, text, SECTION);
    }

    private static void rewrite(List<String> lines, Fence block, String text, String section) throws IOException {
        List<String> out = new ArrayList<>(lines.subList(0, block.from()));
        out.addAll(Arrays.asList(text.split("\n", -1)));
        out.addAll(lines.subList(block.to(), lines.size()));
        Files.writeString(README, String.join("\n", out), StandardCharsets.UTF_8);
        System.out.printf("README.md: rewrote lines %d-%d of section \"%s\" (%s=true)%n",
                block.from() + 1, block.to(), section, UPDATE_PROPERTY);
    }
}

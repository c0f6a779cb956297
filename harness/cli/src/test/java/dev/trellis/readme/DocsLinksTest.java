package dev.trellis.readme;

import dev.trellis.cli.Main;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README.md and docs/*.md do not point at what is not there. Every relative link, markdown
 * {@code [text](path)} or image {@code ![alt](path)}, names a file or folder that exists; a link
 * with an anchor ({@code path#heading}, or {@code #heading} in the same file) names a heading of
 * that markdown file, as GitHub makes anchors of headings. And every {@code ./trellis <subcommand>
 * ...} they quote names a subcommand the command has and only options that subcommand has, so a
 * command copied from the docs does not stop at "Unknown option".
 *
 * <p>Links inside code (fenced blocks, {@code `spans`}) are text, not links, and are not checked.
 * Links to other sites ({@code https:}, {@code mailto:}) are not checked either: a build must not
 * need the network.
 */
class DocsLinksTest {
    /** Tests run in the module directory; the docs are the repository's. */
    static final Path ROOT = Path.of("../..");

    /** README.md, then docs/*.md in name order. */
    static List<Path> docs() throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(ROOT.resolve("README.md"));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    @Test
    void everyRelativeLinkInTheReadmeAndTheDocsResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : docs()) {
            broken.addAll(brokenLinks(doc, read(doc)));
        }
        assertThat(broken).as("links to files or headings that do not exist").isEmpty();
    }

    @Test
    void everyQuotedTrellisCommandNamesASubcommandAndOptionsThatExist() throws IOException {
        CommandLine trellis = trellis();
        List<String> bad = new ArrayList<>();
        int seen = 0;
        for (Path doc : docs()) {
            String text = read(doc);
            seen += commands(text).size();
            bad.addAll(badCommands(doc, text, trellis));
        }
        assertThat(seen).as("./trellis commands quoted in the README and docs").isGreaterThan(10);
        assertThat(bad).as("./trellis commands the command would refuse").isEmpty();
    }

    /** The checkers, on text made to be wrong: they can fail, and say where and why. */
    @Nested
    class TheCheckersCatch {
        private final Path readme = ROOT.resolve("README.md");

        @Test
        void aLinkToAFileThatDoesNotExist() {
            assertThat(brokenLinks(readme, "intro\n\nSee [the semantics](docs/semantic.md).\n"))
                    .containsExactly("README.md:3: [the semantics](docs/semantic.md): no such file (../../docs/semantic.md)");
        }

        @Test
        void anImageThatDoesNotExist() {
            assertThat(brokenLinks(readme, "![timeline](reports/examples/nope.png)\n")).hasSize(1);
        }

        @Test
        void anAnchorNoHeadingMakes() {
            assertThat(brokenLinks(readme, "# Title\n\n## Two commands\n\n[a](#two-commands) [b](#three-commands)\n"))
                    .containsExactly("README.md:5: [b](#three-commands): no heading makes the anchor #three-commands");
            assertThat(brokenLinks(readme, "[x](docs/semantics.md#no-such-heading)\n")).hasSize(1);
        }

        @Test
        void butNotLinksInCodeNorLinksToOtherSites() {
            String text = """
                    ```java
                    int x = a[i](j);
                    ```
                    `[not](a-link.md)` and [a site](https://example.com/nope) and [mail](mailto:x@example.com)
                    """;
            assertThat(brokenLinks(readme, text)).isEmpty();
        }

        @Test
        void anOptionTheSubcommandDoesNotHave() {
            assertThat(badCommands(readme, "Run `./trellis explore --nope scenarios/`.\n", trellis()))
                    .containsExactly("README.md:1: ./trellis explore --nope scenarios/: explore has no option --nope");
            assertThat(badCommands(readme, "```\n./trellis bench --onyl=chat-3x5   # a typo\n```\n", trellis()))
                    .containsExactly("README.md:2: ./trellis bench --onyl=chat-3x5: bench has no option --onyl");
        }

        @Test
        void aSubcommandThatDoesNotExist() {
            assertThat(badCommands(readme, "```\n../trellis/trellis run scenarios/\n```\n", trellis()))
                    .containsExactly("README.md:2: ../trellis/trellis run scenarios/: trellis has no subcommand 'run' "
                            + "(it has bench, demo, explore, merge, replay, serve)");
        }

        @Test
        void butAcceptCommandsAsTheDocsWriteThem() {
            String text = """
                    `./trellis demo echo [--sim]` and `./trellis` alone, and the jar, harness/cli/target/trellis.jar
                    ```
                    $ ./trellis explore scenarios/ --seeds 100000 --shard ${{ matrix.shard }}/4 --junit-xml r.xml
                    - run: ./trellis merge shards/*/summary.json --reports reports   # after the shards
                    ./trellis bench --only=W --rounds 3 --seconds 1
                    ```
                    """;
            assertThat(commands(text)).hasSize(4);
            assertThat(badCommands(readme, text, trellis())).isEmpty();
        }
    }

    // ---- links ----

    private static final Pattern LINK = Pattern.compile("!?\\[([^\\]\\n]*)]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    /** What is wrong with the links of {@code text}, the content of {@code file}: one line each, empty when nothing. */
    static List<String> brokenLinks(Path file, String text) {
        List<String> out = new ArrayList<>();
        String prose = proseOnly(text);
        Matcher m = LINK.matcher(prose);
        while (m.find()) {
            String target = m.group(2);
            if (SCHEME.matcher(target).find()) {
                continue;
            }
            int hash = target.indexOf('#');
            String path = hash < 0 ? target : target.substring(0, hash);
            String anchor = hash < 0 ? "" : target.substring(hash + 1);
            String where = name(file) + ":" + lineOf(prose, m.start()) + ": " + text.substring(m.start(), m.end());
            Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
            if (!Files.exists(resolved)) {
                out.add(where + ": no such file (" + resolved + ")");
                continue;
            }
            if (!anchor.isEmpty()) {
                if (!resolved.toString().endsWith(".md")) {
                    out.add(where + ": an anchor into a file that is not markdown");
                    continue;
                }
                Set<String> anchors = anchors(resolved.equals(file) ? text : read(resolved));
                if (!anchors.contains(anchor)) {
                    out.add(where + ": no heading makes the anchor #" + anchor
                            + (path.isEmpty() ? "" : " in " + path));
                }
            }
        }
        return out;
    }

    /**
     * The anchors GitHub gives a file's headings: lower case, every character but letters, digits,
     * spaces, hyphens and underscores dropped, spaces made hyphens; a repeated one gets -1, -2, ...
     */
    static Set<String> anchors(String markdown) {
        Set<String> out = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (isFence(line)) {
                fenced = !fenced;
                continue;
            }
            Matcher h = HEADING.matcher(line);
            if (fenced || !h.matches()) {
                continue;
            }
            String slug = h.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            out.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return out;
    }

    /**
     * {@code text} with fenced blocks and code spans blanked out (newlines kept, so offsets keep
     * their line numbers): what is left is where links are links.
     */
    private static String proseOnly(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean fenced = false;
        for (String line : text.split("\n", -1)) {
            boolean fence = isFence(line);
            if (fence) {
                fenced = !fenced;
            }
            out.append(fence || fenced ? " ".repeat(line.length()) : line).append('\n');
        }
        // A code span may run over a line break: blank everything between a pair of backticks.
        Matcher span = Pattern.compile("`[^`]*`").matcher(out);
        StringBuilder blanked = new StringBuilder();
        while (span.find()) {
            span.appendReplacement(blanked, Matcher.quoteReplacement(span.group().replaceAll("[^\\n]", " ")));
        }
        span.appendTail(blanked);
        return blanked.substring(0, text.length());
    }

    private static boolean isFence(String line) {
        String t = line.stripLeading();
        return t.startsWith("```") || t.startsWith("~~~");
    }

    // ---- ./trellis commands ----

    /**
     * A quoted {@code trellis} command: the script called by a path ({@code ./trellis},
     * {@code ../trellis/trellis}), then its arguments up to the end of the code span, a shell
     * comment or the end of the line. The jar ({@code trellis.jar}) and the bare word are not.
     */
    private static final Pattern COMMAND = Pattern.compile("(?<=^|[\\s`(])(?:[\\w.~-]*/)+trellis[ \\t]+([^`\\n]*)",
            Pattern.MULTILINE);

    /** A command found in the docs: where it is and its words after {@code trellis}. */
    record Quoted(int line, String text, List<String> words) {}

    static List<Quoted> commands(String text) {
        List<Quoted> out = new ArrayList<>();
        Matcher m = COMMAND.matcher(text);
        while (m.find()) {
            String args = m.group(1);
            int comment = args.indexOf(" #");
            if (comment >= 0) {
                args = args.substring(0, comment);
            }
            List<String> words = new ArrayList<>();
            for (String w : args.trim().split("\\s+")) {
                if (w.equals("|") || w.equals("&&") || w.equals(";") || w.startsWith(">")) {
                    break;
                }
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
            if (!words.isEmpty()) {
                out.add(new Quoted(lineOf(text, m.start()), text.substring(m.start(), m.end(1) - (m.group(1).length() - args.length())).strip(), words));
            }
        }
        return out;
    }

    /** What is wrong with the {@code trellis} commands quoted in {@code text}: one line each. */
    static List<String> badCommands(Path file, String text, CommandLine trellis) {
        List<String> out = new ArrayList<>();
        Map<String, CommandLine> subcommands = trellis.getSubcommands();
        for (Quoted q : commands(text)) {
            String where = name(file) + ":" + q.line() + ": " + q.text() + ": ";
            String sub = q.words().get(0);
            CommandLine cmd = subcommands.get(sub);
            if (cmd == null) {
                out.add(where + "trellis has no subcommand '" + sub + "' (it has "
                        + String.join(", ", subcommands.keySet().stream().sorted().toList()) + ")");
                continue;
            }
            for (String word : q.words().subList(1, q.words().size())) {
                String w = word.replaceAll("^\\[+|]+$", "");   // an optional part: [--sim]
                if (!w.startsWith("-") || w.equals("-")) {
                    continue;
                }
                String option = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
                if (!cmd.getCommandSpec().optionsMap().containsKey(option)) {
                    out.add(where + sub + " has no option " + option);
                }
            }
        }
        return out;
    }

    /** The trellis command as {@code Main} declares it (its subcommands and their options). */
    static CommandLine trellis() {
        return new CommandLine(new Main());
    }

    // ---- helpers ----

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The file's path from the repository's root, as a reader would look for it. */
    private static String name(Path file) {
        return ROOT.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString();
    }
}

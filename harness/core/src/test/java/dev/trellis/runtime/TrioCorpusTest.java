package dev.trellis.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trellis.runtime.TrioProgram.Outcome;
import dev.trellis.runtime.TrioProgram.Stmt;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Sims;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Differential check against trio itself: every program in {@code trio/corpus.json} was run by
 * trio 0.22 ({@code src/test/trio/oracle.py}), which recorded its outcome; Trellis must produce
 * the same outcome under the simulator on every seed and strategy tried. The corpus holds only
 * programs whose outcome no schedule can change (the oracle throws out tie-prone ones), so any
 * difference is a difference in semantics, not in scheduling luck.
 *
 * <p>The hand-written entries (names not starting {@code gen-}) also run on the real runtime,
 * their whole-millisecond times stretched {@value #REAL_SCALE}× so that timer lateness stays
 * well under the half-millisecond of program time the comparison rounds to.
 */
class TrioCorpusTest {
    /** Seeds per strategy for each program, times {@link Sims#budget()}. */
    static final int SEEDS = 8;
    static final List<String> STRATEGIES = List.of("random", "pct:2", "pct:3");
    /** System property: run only the entries whose name contains this text. */
    static final String ONLY_PROPERTY = "trellis.trio.only";
    static final String CORPUS = "/trio/corpus.json";
    /** System property: read the corpus from this file instead (a larger one made by oracle.py generate). */
    static final String FILE_PROPERTY = "trellis.trio.corpus";
    /**
     * Real µs per program µs in real runs: hand-written programs' 1 ms steps become 50 ms, so a
     * timer may be up to 25 ms late before rounding to whole program milliseconds misreads it.
     * Measured lateness on a loaded two-core machine: 1 to 4 ms, 30 ms on a cold JVM's first run.
     */
    static final long REAL_SCALE = 50;
    static final int REAL_ATTEMPTS = 3;
    /**
     * Per hand-written program on the real runtime, all attempts together. A {@code @Timeout} on a
     * {@code @TestFactory} times only the factory method, not its dynamic tests, so each real run
     * carries its own: a hang fails that program instead of stalling the build.
     */
    static final Duration REAL_TIMEOUT = Duration.ofSeconds(60);

    record Entry(String name, JsonNode json, List<Stmt> program, Outcome trio) {
        boolean handWritten() {
            return !name.startsWith("gen-");
        }
    }

    @TestFactory
    Stream<DynamicTest> simulatorAgreesWithTrioOnEverySeedAndStrategy() {
        return corpus().stream().map(e -> dynamicTest(e.name(), () -> everySchedule(e)));
    }

    @TestFactory
    Stream<DynamicTest> realRuntimeAgreesWithTrioOnTheHandWrittenPrograms() {
        return corpus().stream().filter(Entry::handWritten).map(e -> dynamicTest(e.name(),
                () -> assertTimeoutPreemptively(REAL_TIMEOUT, () -> realRuns(e),
                        () -> e.name() + " did not finish within " + REAL_TIMEOUT + " on the real runtime")));
    }

    private static void realRuns(Entry e) throws Exception {
        // A stall of the shared machine (or the JVM warming up) can still make one run late
        // by more than the rounding hides; a difference in semantics shows on every attempt.
        List<Outcome> seen = new ArrayList<>();
        for (int attempt = 0; attempt < REAL_ATTEMPTS; attempt++) {
            Outcome trellis = OnTrellis.real(e.program(), REAL_SCALE, 1_000);
            if (trellis.equals(e.trio())) {
                return;
            }
            seen.add(trellis);
        }
        throw new AssertionError(report(e, seen.getLast(), "the real runtime (times ×" + REAL_SCALE
                + ", rounded to 1 ms of program time; " + REAL_ATTEMPTS + " attempts gave " + seen + ")", null));
    }

    private static void everySchedule(Entry e) {
        String only = System.getProperty(SimConfig.SEED_PROPERTY);
        long from = only == null ? 0 : Long.parseLong(only.trim());
        long to = only == null ? (long) SEEDS * Sims.budget() : from + 1;
        for (String strategy : STRATEGIES) {
            SimConfig config = SimConfig.defaults().withStrategy(strategy);
            for (long seed = from; seed < to; seed++) {
                OnTrellis.Run run = OnTrellis.simulate(e.program(), seed, config);
                if (run.result().failure() != null || !e.trio().equals(run.outcome())) {
                    String how = "the simulator, seed " + seed + ", strategy " + strategy;
                    String harness = run.result().failure() == null ? null : run.result().failure().getMessage();
                    throw new AssertionError(report(e, run.outcome(), how, harness));
                }
            }
        }
    }

    private static String report(Entry e, Outcome trellis, String how, String harness) {
        StringBuilder b = new StringBuilder();
        b.append("Trellis and trio disagree on '").append(e.name()).append("' under ").append(how).append('\n');
        b.append("  program  ").append(e.json()).append('\n');
        b.append("  trio     ").append(e.trio()).append('\n');
        b.append("  trellis  ").append(trellis).append('\n');
        if (trellis != null) {
            TrioProgram.differences(e.trio(), trellis, b);
        }
        if (harness != null) {
            b.append("  the simulator stopped the run: ").append(harness).append('\n');
        }
        b.append("Rerun just this: mvn -B -q -Dtest=TrioCorpusTest -Dsurefire.failIfNoSpecifiedTests=false -D")
                .append(ONLY_PROPERTY).append("='").append(e.name()).append("' verify")
                .append(" (add -D").append(SimConfig.SEED_PROPERTY).append("=N for one seed)\n");
        b.append("trio's side: python3 harness/core/src/test/trio/oracle.py run '").append(e.json()).append("'");
        return b.toString();
    }


    static List<Entry> corpus() {
        String only = System.getProperty(ONLY_PROPERTY);
        List<Entry> out = new ArrayList<>();
        String file = System.getProperty(FILE_PROPERTY);
        try (InputStream in = file != null ? java.nio.file.Files.newInputStream(java.nio.file.Path.of(file))
                : TrioCorpusTest.class.getResourceAsStream(CORPUS)) {
            if (in == null) {
                throw new IllegalStateException(CORPUS + " is not on the test classpath; regenerate it with "
                        + "python3 harness/core/src/test/trio/oracle.py generate --seed 1 --count 400");
            }
            for (JsonNode n : new ObjectMapper().readTree(in)) {
                String name = n.get("name").asText();
                if (only == null || name.contains(only)) {
                    out.add(new Entry(name, n.get("program"), TrioProgram.block(n.get("program")),
                            TrioProgram.outcome(n.get("trio"))));
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no corpus entry matches -D" + ONLY_PROPERTY + "=" + only);
        }
        return out;
    }
}

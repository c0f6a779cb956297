package dev.trellis.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trellis.runtime.TrioProgram.Outcome;
import dev.trellis.runtime.TrioProgram.Stmt;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * {@link TrioModel} against trio itself: every program in {@code trio/corpus.json} was run by trio
 * 0.22 ({@code src/test/trio/oracle.py}), which recorded its outcome, and the model must give that
 * outcome. The model is what {@code TrioProgramProperties} holds Trellis to on programs trio never
 * ran, so this is what lets a property failure be blamed on Trellis rather than on the model.
 *
 * <p>The corpus holds only programs no schedule can change, so the model must also give the same
 * outcome whatever order it runs each batch of ready tasks in (trio shuffles its batches).
 */
class TrioModelTest {
    static final String CORPUS = "/trio/corpus.json";
    /** Batch orders tried per program besides first-in first-out. */
    static final int SHUFFLES = 8;

    record Entry(String name, JsonNode json, List<Stmt> program, Outcome trio) {}

    @TestFactory
    Stream<DynamicTest> modelGivesTriosOutcomeOnEveryCorpusProgram() {
        return corpus().stream().map(e -> dynamicTest(e.name(), () -> {
            check(e, "first-in first-out batches", TrioModel.run(e.program()));
            for (long s = 0; s < SHUFFLES; s++) {
                check(e, "batches shuffled with seed " + s, TrioModel.run(e.program(), s));
            }
        }));
    }

    /**
     * trio's checkpoint "has the option of ignoring this and continuing to run the current task",
     * and Trellis's strategies (PCT above all) take it; the any-order mode must too, or the
     * property takes such a program for a test of semantics. Here the owner of n2 continuing past
     * its exit checkpoint, before t3's failure cancels n1, lets n2 absorb the cancellation (found
     * by TrioProgramProperties with pct:3 when the mode drew uniformly).
     */
    @org.junit.jupiter.api.Test
    void anyOrderIncludesTheCurrentTaskGoingOnAtACheckpoint() {
        List<Stmt> program = TrioProgram.parse("[{\"nursery\":\"n1\",\"body\":[{\"nursery\":\"n2\",\"body\":["
                + "{\"start\":\"t3\",\"into\":\"n1\",\"body\":[{\"sleep\":1},{\"cancel\":\"n2\"},"
                + "{\"nursery\":\"n4\",\"body\":[{\"raise\":\"E1\"}]},{\"mark\":\"m1\"}]},{\"sleep\":2}]},"
                + "{\"mark\":\"m2\"}]},{\"mark\":\"m3\"}]");
        java.util.Set<String> outcomes = new java.util.TreeSet<>();
        for (long seed = 0; seed < TrioProgramProperties.SHUFFLES; seed++) {
            outcomes.add(TrioModel.runInAnyOrder(program, seed).toString());
        }
        org.assertj.core.api.Assertions.assertThat(outcomes).hasSize(2);
        org.assertj.core.api.Assertions.assertThat(TrioModel.run(program).marks()).isEmpty();
    }

    private static void check(Entry e, String how, Outcome model) {
        if (!model.equals(e.trio())) {
            throw new AssertionError("TrioModel (" + how + ") and trio disagree on '" + e.name() + "'\n"
                    + "  program  " + e.json() + "\n"
                    + "  trio     " + e.trio() + "\n"
                    + "  model    " + model + "\n"
                    + "trio's side: python3 harness/core/src/test/trio/oracle.py run '" + e.json() + "'");
        }
    }

    static List<Entry> corpus() {
        List<Entry> out = new ArrayList<>();
        try (InputStream in = TrioModelTest.class.getResourceAsStream(CORPUS)) {
            if (in == null) {
                throw new IllegalStateException(CORPUS + " is not on the test classpath; it is made by "
                        + "python3 harness/core/src/test/trio/oracle.py generate --seed 1 --count 400");
            }
            for (JsonNode n : new ObjectMapper().readTree(in)) {
                out.add(new Entry(n.get("name").asText(), n.get("program"), TrioProgram.block(n.get("program")),
                        TrioProgram.outcome(n.get("trio"))));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out;
    }
}

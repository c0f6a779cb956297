package dev.trellis.runtime;

import dev.trellis.runtime.TrioProgram.Cancel;
import dev.trellis.runtime.TrioProgram.FailAfter;
import dev.trellis.runtime.TrioProgram.Mark;
import dev.trellis.runtime.TrioProgram.NurseryBlock;
import dev.trellis.runtime.TrioProgram.Outcome;
import dev.trellis.runtime.TrioProgram.Raise;
import dev.trellis.runtime.TrioProgram.Sleep;
import dev.trellis.runtime.TrioProgram.Start;
import dev.trellis.runtime.TrioProgram.Stmt;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Sims;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Random {@link TrioProgram}s × seeds × strategies: Trellis's simulator must do what trio does,
 * as {@link TrioModel} (checked against trio itself by {@link TrioModelTest}) predicts: the same
 * marks at the same times (which code ran, and when), the same {@code cancelled_caught} for every
 * scope, fail-after and nursery, the same escaping failures, the same end time.
 *
 * <p>Programs are tie-free by construction: the i-th timed statement (sleep, deadline, timeout)
 * lasts a whole number of {@value #UNIT} µs units plus 2^i µs. A time in a run is a sum of the
 * durations along one causal chain, and two different chains have different sums, so two events
 * meet at one instant only when one causes the other (a cancel waking its tasks). A started child
 * sleeps before anything else, so it never acts at the instant it was started. Should a program
 * still leave its outcome to the order trio happens to run a batch of woken tasks in, it has no one
 * right answer and is skipped; the model, run with shuffled batches, tells. Trellis explores more
 * orders than trio's batches (trio's checkpoint may let the current task go on), so an outcome
 * other than trio's passes only if the model reaches it in some order of ready tasks.
 *
 * <p>Cost: {@value #TRIES} programs, one seed each, 3 to 12 s on two cores (most of it the model
 * runs that tell whether a program is schedule-proof); {@code -Dtrellis.budget=N} runs N seeds
 * per program.
 */
class TrioProgramProperties {
    static final int TRIES = 8_000;
    /** One unit of program time, µs; larger than the sum of all the 2^i offsets. */
    static final long UNIT = 100_000;
    /** Timed statements per program that get a unique offset; any more become marks. */
    static final int MAX_TIMED = 16;
    /** Shuffled batch orders the model is run with to tell whether trio's own outcome is schedule-proof. */
    static final int SHUFFLES = 6;
    /** Orders of ready tasks the model tries, on a mismatch, to reach Trellis's outcome. */
    static final int ORDERS_SEARCHED = 2_000;
    /** The start pick that targets a nursery the starter can name but does not live in. */
    static final int LATE_PICK = 5;

    // maxDiscardRatio = 1: jqwik fails the property if more programs are skipped as schedule-dependent than run.
    @Property(tries = TRIES, maxDiscardRatio = 1)
    void trellisDoesWhatTrioDoes(@ForAll("programs") Program program, @ForAll long seed,
                                 @ForAll("strategies") String strategy) {
        Outcome expected = TrioModel.run(program.stmts());
        for (long s = 0; s < SHUFFLES; s++) {
            // A program whose outcome depends on the order trio runs a batch in has no one answer.
            Assume.that(TrioModel.run(program.stmts(), s).equals(expected));
        }
        // Each try runs the program under budget() seeds: -Dtrellis.budget=N explores N times more.
        for (long k = 0; k < Sims.budget(); k++) {
            checkOneSeed(program, expected, seed + k, strategy);
        }
    }

    /**
     * Trellis must give trio's outcome, or one the model reaches in some order of ready tasks:
     * trio's checkpoint "has the option of ... continuing to run the current task", and Trellis's
     * strategies explore that, where trio's batches never do. Only a mismatch pays for the search.
     */
    private static void checkOneSeed(Program program, Outcome expected, long seed, String strategy) {
        OnTrellis.Run run = OnTrellis.simulate(program.stmts(), seed, SimConfig.defaults().withStrategy(strategy));
        Outcome[] actual = {run.outcome()};
        Result r = run.result();
        if (r.failure() == null && (expected.equals(actual[0]) || reachableInSomeOrder(program, actual[0]))) {
            return;
        }
        StringBuilder b = new StringBuilder("Trellis does not do what trio does with this program\n");
        b.append("  program  ").append(program).append('\n');
        b.append("  trio     ").append(expected).append("   (TrioModel)\n");
        b.append("  trellis  ").append(actual[0]).append('\n');
        if (actual[0] != null) {
            TrioProgram.differences(expected, actual[0], b);
            b.append("  no order of ready tasks gives Trellis's outcome in the model (").append(ORDERS_SEARCHED)
                    .append(" orders tried)\n");
        }
        if (r.failure() != null) {
            b.append("  the simulator stopped the run: ").append(r.failure().getMessage()).append('\n');
        }
        b.append("  replay   Simulation.run(body, Schedule.parse(\"").append(r.schedule()).append("\"))\n");
        b.append("  trio     python3 harness/core/src/test/trio/oracle.py run '").append(program).append("'");
        throw new AssertionError(b.toString());
    }

    private static boolean reachableInSomeOrder(Program program, Outcome outcome) {
        if (outcome == null) {
            return false;
        }
        for (long s = 0; s < ORDERS_SEARCHED; s++) {
            if (TrioModel.runInAnyOrder(program.stmts(), s).equals(outcome)) {
                return true;
            }
        }
        return false;
    }


    // ---- programs -----------------------------------------------------------------------------

    /** A generated program; prints as the JSON trio's oracle reads. */
    record Program(List<Stmt> stmts) {
        @Override
        public String toString() {
            return TrioProgram.text(stmts);
        }
    }

    /** What the generator chooses; labels, unique times and the targets of cancel and start come after. */
    sealed interface Shape {}

    record SSleep(int units) implements Shape {}

    record SMark() implements Shape {}

    record SRaise() implements Shape {}

    /** Cancels the {@code pick}-th (mod how many) scope or nursery around it. */
    record SCancel(int pick) implements Shape {}

    /** {@code deadline} in units, -1 for none. */
    record SScope(int deadline, boolean shield, List<Shape> body) implements Shape {}

    record SFailAfter(int timeout, List<Shape> body) implements Shape {}

    record SNursery(List<Shape> body) implements Shape {}

    /**
     * Starts a task, which first sleeps {@code units}, into the {@code pick}-th nursery that outlives it,
     * or (pick {@value #LATE_PICK}) into one it can name but was started out of.
     */
    record SStart(int pick, int units, List<Shape> body) implements Shape {}

    @Provide
    Arbitrary<String> strategies() {
        return Arbitraries.of("random", "pct:2", "pct:3");
    }

    @Provide
    Arbitrary<Program> programs() {
        // Half the programs are one nursery around everything, as most concurrent programs are.
        Arbitrary<List<Shape>> shapes = Arbitraries.oneOf(block(3, Where.ELSEWHERE),
                block(3, Where.NURSERY_BODY).map(b -> List.<Shape>of(new SNursery(b))));
        return shapes.map(b -> new Program(new Namer().block(b, List.of(), List.of())));
    }

    /** Where a block is, which decides how likely it is to start children. */
    enum Where { NURSERY_BODY, CHILD_BODY, ELSEWHERE }

    private Arbitrary<List<Shape>> block(int depth, Where where) {
        return Arbitraries.lazy(() -> statement(depth, where)).list().ofMinSize(1).ofMaxSize(3);
    }

    @SuppressWarnings("unchecked")
    private Arbitrary<Shape> statement(int depth, Where where) {
        Arbitrary<Integer> units = Arbitraries.integers().between(0, 12);
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 5);
        List<Tuple.Tuple2<Integer, Arbitrary<? extends Shape>>> choices = new ArrayList<>(List.of(
                Tuple.of(4, units.map(SSleep::new)),
                Tuple.of(2, Arbitraries.just(new SMark())),
                Tuple.of(1, Arbitraries.just(new SRaise())),
                Tuple.of(3, pick.map(SCancel::new))));
        if (depth > 0) {
            // Scopes (with deadlines and shields) and fail-afters wrap nurseries; nursery bodies mostly start
            // children, which sleep first and then cancel, raise, start siblings into outer nurseries, or
            // mark, often while the parent already waits in the nursery's exit.
            Arbitrary<Integer> deadline = units.injectNull(0.5).map(d -> d == null ? -1 : d);
            Arbitrary<Boolean> shield = Arbitraries.integers().between(0, 9).map(x -> x < 3);
            int starts = switch (where) {
                case NURSERY_BODY -> 10;
                case CHILD_BODY -> 3;
                case ELSEWHERE -> 1;
            };
            choices.add(Tuple.of(3, Combinators.combine(deadline, shield, block(depth - 1, Where.ELSEWHERE)).as(SScope::new)));
            choices.add(Tuple.of(1, Combinators.combine(units, block(depth - 1, Where.ELSEWHERE)).as(SFailAfter::new)));
            choices.add(Tuple.of(5, block(depth - 1, Where.NURSERY_BODY).map(SNursery::new)));
            choices.add(Tuple.of(starts, Combinators.combine(pick, units, block(depth - 1, Where.CHILD_BODY)).as(SStart::new)));
        }
        return Arbitraries.frequencyOf(choices.toArray(Tuple.Tuple2[]::new));
    }

    /**
     * Turns shapes into a program: unique labels, the 2^i µs offsets that make it tie-free, a mark
     * after every scope and nursery (so what ran after it shows), and the targets of cancels (a label
     * around the statement, perhaps across starts) and starts (a nursery that outlives the starter:
     * the innermost around it, or one enclosing the nursery it was itself started into).
     */
    static final class Namer {
        private int labels;
        private int marks;
        private int errors;
        private int timed;
        /** Every nursery so far, by label. */
        private final Map<String, Open> opened = new HashMap<>();

        /** @param around labels lexically around the block; open nurseries that outlive the code running it */
        List<Stmt> block(List<Shape> shapes, List<String> around, List<Open> open) {
            List<Stmt> out = new ArrayList<>();
            for (Shape s : shapes) {
                out.add(statement(s, around, open));
                if (s instanceof SScope || s instanceof SFailAfter || s instanceof SNursery) {
                    out.add(mark());
                }
            }
            return List.copyOf(out);
        }

        /** A nursery, with the nurseries that outlive it. */
        record Open(String label, List<Open> outer) {}

        private Stmt statement(Shape s, List<String> around, List<Open> open) {
            return switch (s) {
                case SSleep x -> {
                    long d = duration(x.units());
                    yield d < 0 ? mark() : new Sleep(d);
                }
                case SMark x -> mark();
                case SRaise x -> new Raise("E" + ++errors);
                case SCancel x -> around.isEmpty() ? mark() : new Cancel(around.get(x.pick() % around.size()));
                case SScope x -> {
                    String l = "s" + ++labels;
                    long d = x.deadline() < 0 ? -1 : duration(x.deadline());
                    yield new TrioProgram.Scope(l, d, x.shield(), block(x.body(), plus(around, l), open));
                }
                case SFailAfter x -> {
                    String l = "f" + ++labels;
                    long d = duration(x.timeout());
                    if (d < 0) {
                        yield mark();
                    }
                    yield new FailAfter(l, d, block(x.body(), plus(around, l), open));
                }
                case SNursery x -> {
                    String l = "n" + ++labels;
                    Open o = new Open(l, open);
                    opened.put(l, o);
                    yield new NurseryBlock(l, block(x.body(), plus(around, l), plus(open, o)));
                }
                case SStart x -> {
                    if (open.isEmpty()) {
                        yield mark();
                    }
                    // pick 0 (what shrinking heads for) is the innermost; others reach outward to start a sibling
                    // of an ancestor. The last pick starts into a nursery the starter can name but does not live
                    // in (it was started out of it, into an outer one), which may have closed by then: trio
                    // refuses such a start, and so must Trellis, from the moment the nursery's exit begins.
                    List<Open> late = around.stream().map(opened::get)
                            .filter(o -> o != null && !open.contains(o)).toList();
                    Open into = x.pick() == LATE_PICK && !late.isEmpty()
                            ? late.get(late.size() - 1)
                            : open.get(open.size() - 1 - x.pick() % open.size());
                    String name = "t" + ++labels;
                    List<Stmt> body = new ArrayList<>();
                    long d = duration(x.units());
                    if (d >= 0) {
                        body.add(new Sleep(d));
                    }
                    body.addAll(block(x.body(), around, plus(into.outer(), into)));
                    yield new Start(name, into.label(), List.copyOf(body));
                }
            };
        }

        /** units × UNIT + 2^i µs for the i-th timed statement; -1 once the offsets are used up. */
        private long duration(int units) {
            if (timed == MAX_TIMED) {
                return -1;
            }
            return units * UNIT + (1L << timed++);
        }

        private Mark mark() {
            return new Mark("m" + ++marks);
        }

        private static <T> List<T> plus(List<T> list, T t) {
            List<T> out = new ArrayList<>(list);
            out.add(t);
            return List.copyOf(out);
        }
    }
}

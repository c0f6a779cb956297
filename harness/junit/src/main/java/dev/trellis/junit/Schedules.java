package dev.trellis.junit;

import dev.trellis.runtime.Body;
import dev.trellis.sim.ChoiceList;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.util.List;

/**
 * Schedules as jqwik data, so a property can range over inputs and schedules together and jqwik
 * shrinks both: a schedule is a list of choices (at the i-th point where several tasks are ready,
 * run the one at that index; after the list, the lowest ready id), and jqwik shrinks it toward a
 * shorter list of smaller numbers, that is toward running in order with fewer preemptions.
 *
 * {@snippet :
 * @Property
 * void neverOverdrawn(@ForAll @IntRange(min = 1, max = 100) int amount,
 *                     @ForAll("schedules") Schedules.Sample schedule) throws Exception {
 *     schedule.run(() -> twoWithdrawals(amount));   // throws the failure, with who ran by name
 * }
 *
 * @Provide
 * Arbitrary<Schedules.Sample> schedules() {
 *     return Schedules.choices();
 * }
 * }
 *
 * <p>jqwik reports the shrunk sample by its {@link Sample#toString()}: the choice list, and once it
 * has run, the tasks that ran by name ({@code choices:1, ran main → bob (of 2 ready) → ...}).
 * Needs jqwik on the test class path (this class is the only one here that uses it).
 */
public final class Schedules {
    private Schedules() {}

    /** Lists of up to 32 choices, each below 4. */
    public static Arbitrary<Sample> choices() {
        return choices(32, 4);
    }

    /** Lists of up to {@code maxLength} choices, each in [0, {@code bound}). */
    public static Arbitrary<Sample> choices(int maxLength, int bound) {
        return Arbitraries.integers().between(0, bound - 1).list().ofMaxSize(maxLength).map(Sample::new);
    }

    /** One schedule jqwik drew, and once it ran, who ran when, by task name. */
    public static final class Sample {
        private final List<Integer> choices;
        private volatile String ran;

        Sample(List<Integer> choices) {
            this.choices = List.copyOf(choices);
        }

        /** The strategy spec: {@code choices:1,0,2}. */
        public String spec() {
            return ChoiceList.spec(choices);
        }

        /** {@code base} scheduled by this sample. */
        public SimConfig config(SimConfig base) {
            return base.withStrategy(spec());
        }

        /** Runs {@code body} on seed 0 with this schedule and throws its failure; returns the result when it passed. */
        public Result run(Body body) {
            return run(body, 0, SimConfig.defaults());
        }

        /** Runs {@code body} with this schedule (data drawn from {@code seed}) and throws its failure. */
        public Result run(Body body, long seed, SimConfig base) {
            Result r = Simulation.result(body, seed, config(base));
            ran = r.trace().schedule(40);
            return r.orThrow();
        }

        @Override
        public String toString() {
            return spec() + (ran == null ? "" : ", ran " + ran);
        }
    }
}

package dev.trellis.sim;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A schedule given as a list of numbers, for property tests: at the i-th real choice it runs the
 * ready task at index {@code choices[i] mod count}; once the list runs out it always runs the
 * lowest ready id. Let jqwik generate the list: when a property fails, jqwik shrinks the list,
 * and a shorter list of smaller numbers is a schedule closer to plain run-in-order, so the
 * failure it reports has as few preemptions as jqwik can find. Values for faults (chunk sizes)
 * still come from the seed.
 *
 * {@snippet :
 * @Property
 * void neverOverdrawn(@ForAll List<@IntRange(min = 0, max = 3) Integer> schedule) {
 *     Simulation.result(body, 0, SimConfig.defaults().withStrategy(ChoiceList.spec(schedule))).orThrow();
 * }
 * }
 */
public final class ChoiceList implements Strategy {
    private final int[] choices;
    private int next;
    private SplittableRandom random = new SplittableRandom(0);

    public ChoiceList(List<Integer> choices) {
        this.choices = choices.stream().mapToInt(c -> {
            if (c == null || c < 0) {
                throw new IllegalArgumentException("schedule choices must be zero or positive, was [" + c + "]");
            }
            return c;
        }).toArray();
    }

    @Override
    public void begin(long seed) {
        next = 0;
        random = new SplittableRandom(seed);
    }

    @Override
    public int pick(ReadySet ready, long step) {
        return next < choices.length ? choices[next++] % ready.size() : 0;
    }

    @Override
    public long draw(long bound) {
        return random.nextLong(bound);
    }

    @Override
    public String spec() {
        return spec(java.util.Arrays.stream(choices).boxed().toList());
    }

    /**
     * The spec of the schedule {@code choices}: {@code choices:1,0,2}. Run it with
     * {@code SimConfig.defaults().withStrategy(ChoiceList.spec(list))}.
     */
    public static String spec(List<Integer> choices) {
        return "choices:" + Strategies.join(choices.stream().mapToLong(Integer::longValue).toArray());
    }
}

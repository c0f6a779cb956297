package dev.trellis.readme;

import dev.trellis.sim.ChoiceList;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jqwik generates schedules as lists and shrinks them like any data. This property collects the
 * generated schedules that overdraw (it does not fail the build), and checks that the smallest
 * of them, the one jqwik's shrinking heads for, is a single preemption.
 */
class ScheduleShrinkingProperties {
    private static final List<List<Integer>> FAILING = new ArrayList<>();

    @Property(tries = 300, shrinking = net.jqwik.api.ShrinkingMode.FULL)
    boolean overdraftNeedsAPreemption(@ForAll @Size(max = 8) List<@IntRange(min = 0, max = 3) Integer> schedule) {
        Result r = Simulation.run(ReadmeExampleTest::twoWithdrawals, 0, new ChoiceList(schedule), SimConfig.defaults());
        assertThat(r.failure()).isNull();
        boolean ok = r.bodyFailure() == null;
        if (!ok) {
            FAILING.add(List.copyOf(schedule));
        }
        return true;   // collect, do not fail: the test below checks what a failing property would shrink to
    }

    @AfterProperty
    void theSmallestFailingScheduleIsOnePreemption() {
        assertThat(FAILING).as("some generated schedules overdraw").isNotEmpty();
        // The shrinking target: the shortest failing list of the smallest numbers.
        List<Integer> smallest = FAILING.stream()
                .min((a, b) -> a.size() != b.size() ? Integer.compare(a.size(), b.size())
                        : Integer.compare(a.stream().mapToInt(Integer::intValue).sum(), b.stream().mapToInt(Integer::intValue).sum()))
                .orElseThrow();
        Result r = Simulation.run(ReadmeExampleTest::twoWithdrawals, 0, new ChoiceList(smallest), SimConfig.defaults());
        assertThat(r.bodyFailure()).hasMessage("overdrawn: balance -60");
        // One non-zero choice: a single preemption, between alice's check and her write.
        assertThat(smallest.stream().filter(c -> c % 2 != 0).count()).isEqualTo(1);
    }
}

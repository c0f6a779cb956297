package dev.trellis.sim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A test that forgets to look at the result still fails: {@code run} throws, {@code result} returns. */
class RunThrowsTest {
    @Test
    void runThrowsTheBodysFailureWithItsSchedule() {
        assertThatThrownBy(() -> Simulation.run(() -> {
            throw new IllegalStateException("overdrawn");
        }, 3)).isInstanceOf(SimulationFailure.BodyFailed.class)
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("overdrawn").hasMessageContaining("seed       3");
    }

    @Test
    void resultReturnsTheFailureForCodeThatLooksAtIt() {
        Result r = Simulation.result(() -> {
            throw new IllegalStateException("overdrawn");
        }, 3);
        assertThat(r.ok()).isFalse();
        assertThat(r.bodyFailure()).hasMessage("overdrawn");
    }

    @Test
    void runReturnsTheResultOfAPassingExecution() {
        assertThat(Simulation.run(() -> { }, 3).ok()).isTrue();
    }
}

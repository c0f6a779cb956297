package dev.trellis.sim;

import dev.trellis.streams.StreamOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleTest {
    @Test
    void everySettingSurvivesItsText() {
        SimConfig c = SimConfig.defaults().withStrategy("pct:3:40").withMaxSteps(500).withMaxTime(Duration.ofSeconds(30))
                .withRunawayLimit(Duration.ofSeconds(2)).withForeignGrace(Duration.ofSeconds(3))
                .withStreams(StreamOptions.plain().withCapacity(16));
        Schedule s = new Schedule(9, c);
        Schedule back = Schedule.parse(s.text());
        assertThat(s.text()).contains("runaway=PT2S").contains("foreignGrace=PT3S");
        assertThat(back.text()).isEqualTo(s.text());
        assertThat(back.config().foreignGrace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(back.config().runawayLimit()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void defaultsAreLeftOut() {
        assertThat(new Schedule(1, SimConfig.defaults()).text()).isEqualTo("seed=1 strategy=random");
    }

    @Test
    void aNegativeForeignGraceIsRefused() {
        assertThatThrownBy(() -> SimConfig.defaults().withForeignGrace(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("foreignGrace must not be negative, was [PT-0.001S]");
        assertThatThrownBy(() -> Schedule.parse("seed=1 strategy=random foreignGrace=soon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad value for foreignGrace");
    }
}

package dev.trellis.runtime.spi;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The timer heap: cancelled timers do not stay, and nothing it does changes the order timers fire in. */
class TimersTest {
    @Test
    void cancelledTimersAreDroppedOnceTheyAreMostOfTheHeap() {
        Timers timers = new Timers();
        List<Timers.Timer> set = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            set.add(timers.add(1_000_000 + i, null, null));   // per-read idle timeouts, an hour each
        }
        set.forEach(Timers.Timer::cancel);   // every read came in time
        assertThat(timers.size()).as("timers kept after all were cancelled").isLessThanOrEqualTo(64);
        assertThat(timers.isEmpty()).isTrue();
        // and again with one live timer among them, which must still fire, first
        Timers.Timer live = timers.add(5, null, null);
        for (int i = 0; i < 10_000; i++) {
            timers.add(10 + i, null, null).cancel();
        }
        assertThat(timers.size()).isLessThanOrEqualTo(64);
        assertThat(timers.pollDue(100)).isSameAs(live);
    }

    @Test
    void compactingNeverChangesTheOrderTimersFireIn() {
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 50; round++) {
            Timers timers = new Timers();
            TreeMap<Long, Timers.Timer> model = new TreeMap<>();   // by deadline * 1e6 + sequence
            List<Timers.Timer> live = new ArrayList<>();
            long seq = 0;
            long now = 0;
            for (int op = 0; op < 2_000; op++) {
                int what = random.nextInt(10);
                if (what < 5) {
                    long deadline = now + random.nextLong(1_000);
                    Timers.Timer t = timers.add(deadline, null, null);
                    model.put(deadline * 1_000_000 + seq++, t);
                    live.add(t);
                } else if (what < 9 && !live.isEmpty()) {
                    Timers.Timer t = live.remove(random.nextInt(live.size()));
                    t.cancel();
                    model.values().remove(t);
                } else {
                    now += random.nextLong(200);
                    Timers.Timer fired;
                    while ((fired = timers.pollDue(now)) != null) {
                        var first = model.pollFirstEntry();
                        assertThat(fired).isSameAs(first.getValue());
                        live.remove(fired);
                    }
                    assertThat(model.isEmpty() || model.firstKey() / 1_000_000 > now).isTrue();
                }
            }
        }
    }
}

package dev.trellis.sim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The watchdog forgets driver threads that ended: a simulator running for days keeps a slot per live driver only. */
class WatchdogSlotsTest {
    @Test
    void slotsOfEndedDriverThreadsAreDropped() throws Exception {
        Watchdog.slot();   // this thread's, which stays
        int before = Watchdog.slots();
        for (int i = 0; i < 200; i++) {
            Thread t = new Thread(Watchdog::slot, "a driver that comes and goes");
            t.start();
            t.join();
        }
        long until = System.nanoTime() + 5_000_000_000L;
        while (Watchdog.slots() > before && System.nanoTime() < until) {
            Thread.sleep(20);   // the watchdog looks every 10 ms
        }
        assertThat(Watchdog.slots()).as("slots after 200 drivers ended").isLessThanOrEqualTo(before);
    }
}

package dev.trellis.real;

import dev.trellis.runtime.Channel;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** A real-runtime deadlock is reported, naming each task's wait, instead of hanging in a poll for ever. */
class RealDeadlockTest {
    @Test
    void twoReceiversOnOneChannelNobodySendsToAreReported() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                assertThatThrownBy(() -> RealRuntime.run(() -> {
                    Channel<String> ch = Channel.unbuffered();
                    Nursery.open(n -> {
                        n.start("alice", ch::receive);
                        n.start("bob", ch::receive);
                    });
                    return null;
                })).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("Deadlock: every task of the real runtime waits")
                        .hasMessageContaining("'alice' waits: ").hasMessageContaining("'bob' waits: "));
    }

    @Test
    void aTaskWaitingOnATimerIsNoDeadlock() throws Exception {
        String r = RealRuntime.run(() -> {
            Channel<String> ch = Channel.unbuffered();
            String[] got = new String[1];
            Nursery.open(n -> {
                n.start("receiver", () -> got[0] = ch.receive());
                n.start("sender", () -> {
                    Trellis.sleep(Duration.ofMillis(50));   // everyone else waits meanwhile: not a deadlock
                    ch.send("late");
                });
            });
            return got[0];
        });
        assertThat(r).isEqualTo("late");
    }
}

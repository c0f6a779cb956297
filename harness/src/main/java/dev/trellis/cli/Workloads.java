package dev.trellis.cli;

import dev.trellis.runtime.Body;
import dev.trellis.runtime.Channel;
import dev.trellis.runtime.Event;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;

import java.time.Duration;
import java.util.List;

/** The programs {@code trellis bench} measures, each a fresh execution per seed. */
final class Workloads {
    record Workload(String name, String description, Body body) {}

    private Workloads() {}

    static List<Workload> all() {
        return List.of(
                new Workload("pingpong-10", "two tasks, ten messages each way over an unbuffered Channel", Workloads::pingPong),
                new Workload("fanout-1000", "1,000 children sleep a random virtual time, the last sets an Event",
                        () -> fanOut(1_000)),
                new Workload("fanout-10000", "10,000 children sleep a random virtual time, the last sets an Event",
                        () -> fanOut(10_000)));
    }

    static void pingPong() throws Exception {
        Channel<Integer> ping = Channel.unbuffered();
        Channel<Integer> pong = Channel.unbuffered();
        Nursery.open(n -> {
            n.start("pinger", () -> {
                for (int i = 0; i < 10; i++) {
                    ping.send(i);
                    if (pong.receive() != i) {
                        throw new AssertionError("pong out of order");
                    }
                }
            });
            n.start("ponger", () -> {
                for (int i = 0; i < 10; i++) {
                    pong.send(ping.receive());
                }
            });
        });
    }

    static void fanOut(int children) throws Exception {
        Event allDone = new Event();
        int[] remaining = {children};
        Nursery.open(n -> {
            for (int i = 0; i < children; i++) {
                n.start("child", () -> {
                    Trellis.sleep(Duration.ofMillis(Trellis.random(1_000)));
                    if (--remaining[0] == 0) {
                        allDone.set();
                    }
                });
            }
            allDone.await();
        });
    }
}

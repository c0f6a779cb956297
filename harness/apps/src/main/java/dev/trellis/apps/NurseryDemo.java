package dev.trellis.apps;

import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The seed tutorial's first program: a parent opens a nursery, starts two children that sleep
 * 2 s and 5 s, and is done only when both have finished, at t = 5 s.
 */
public final class NurseryDemo {
    private NurseryDemo() {}

    /** Runs the demo, handing each printed line to {@code out}. */
    public static void run(Consumer<String> out) throws Exception {
        out.accept("parent: started!");
        Nursery.open(nursery -> {
            out.accept("parent: spawning child1...");
            nursery.start("child1", () -> child("child1", Duration.ofSeconds(2), out));
            out.accept("parent: spawning child2...");
            nursery.start("child2", () -> child("child2", Duration.ofSeconds(5), out));
            out.accept("parent: waiting for children to finish...");
        });
        out.accept("parent: all done!");
    }

    private static void child(String name, Duration sleep, Consumer<String> out) {
        out.accept("  " + name + ": started! sleeping now...");
        Trellis.sleep(sleep);
        out.accept("  " + name + ": exiting!");
    }
}

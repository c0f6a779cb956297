package dev.trellis.runtime.spi;

/**
 * A virtual thread started by another virtual thread inherits its scheduler. The JDK starts its
 * socket poller threads the first time any thread does socket I/O; if that first time were
 * inside a Trellis task, the JVM's pollers would run on a Trellis executor and die with it. So
 * they are started here, from a platform thread, before any task exists.
 *
 * <p>A class of its own, not a static initializer's lambda: the helper thread must not wait for
 * the class that is waiting for it.
 */
final class JdkPollers {
    private JdkPollers() {}

    static void start() {
        Thread t = new Thread(JdkPollers::load, "trellis-prepare-pollers");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void load() {
        try {
            Class.forName("sun.nio.ch.Poller", true, null);
        } catch (Throwable ignored) {
            // Another JDK may not have this class; nothing to prepare then.
        }
    }
}

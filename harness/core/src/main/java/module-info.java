/**
 * Trellis: trio's structured concurrency for Java, on a real engine and a deterministic
 * simulator. Applications use {@code dev.trellis.runtime}, run it with {@code dev.trellis.real}
 * or explore it with {@code dev.trellis.sim}; the kernel both engines share
 * ({@code dev.trellis.runtime.spi}) is not exported, so no application can spawn tasks or park
 * outside a nursery. This module needs nothing but the JDK.
 *
 * <p>On the module path the engines need {@code --add-opens java.base/java.lang=dev.trellis.core}
 * (on the class path, {@code =ALL-UNNAMED}) to schedule virtual threads themselves.
 */
module dev.trellis.core {
    exports dev.trellis.runtime;
    exports dev.trellis.real;
    exports dev.trellis.sim;
    exports dev.trellis.streams;
    exports dev.trellis.trace;
    exports dev.trellis.check;
    exports dev.trellis.testkit;
}

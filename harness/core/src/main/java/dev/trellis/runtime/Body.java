package dev.trellis.runtime;

/** The code of a task or of a block: may throw anything, like a trio async function. */
@FunctionalInterface
public interface Body {
    void run() throws Exception;
}

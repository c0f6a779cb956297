package dev.trellis.runtime.spi;

/**
 * Thrown inside a task when its execution is being torn down after a harness failure (deadlock,
 * a limit, an uncontrolled block). It unwinds the task so no thread outlives the execution.
 * Code should not catch it; if it does, the next checkpoint throws it again.
 */
public final class ExecutionAborted extends Error {
    public ExecutionAborted(String why) {
        super(why, null, false, false);
    }
}

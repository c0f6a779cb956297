package dev.trellis.sim;

import dev.trellis.runtime.spi.Task;

/**
 * Decides what a task is waiting on when it parked outside the kernel. A wait on a
 * java.util.concurrent lock, queue or condition is fine: the task that releases it runs under
 * the simulator and wakes it synchronously. A timed park (Thread.sleep, parkNanos, a timed wait)
 * or real I/O is not: a JDK thread would wake it in real time, so the run could not repeat.
 */
final class Blocking {
    private Blocking() {}

    static void classify(Execution ex, Task task) {
        Thread thread = task.thread();
        Thread.State state = thread.getState();
        switch (state) {
            case BLOCKED -> ex.fail(Failures.uncontrolled(ex, task, thread.getStackTrace(),
                    "a synchronized block another task holds across a checkpoint",
                    "Only one task runs at a time, so this monitor is held by a task that parked inside it. The JDK "
                            + "hands a monitor to a waiting virtual thread from a thread of its own, at a moment the "
                            + "simulator cannot control, so the run could not repeat. Do not hold a monitor across a "
                            + "checkpoint, or use a java.util.concurrent lock, whose waits the simulator schedules."));
            case TIMED_WAITING -> timedWait(ex, task, thread.getStackTrace());
            case WAITING -> {
                StackTraceElement[] stack = thread.getStackTrace();
                task.setBlockedAt(stack);
                if (isIo(stack)) {
                    ex.fail(Failures.uncontrolled(ex, task, stack, "real I/O",
                            "Real sockets and files complete in real time. Under the simulator use the Network and "
                                    + "ByteStream of the runtime, which the simulator provides in memory."));
                } else if (isObjectWait(stack)) {
                    ex.fail(Failures.uncontrolled(ex, task, stack, "Object.wait",
                            "A notified virtual thread is handed back by a JDK thread when the notifier leaves the "
                                    + "monitor, at a moment the simulator cannot control. Use an Event or a Channel, or a "
                                    + "java.util.concurrent Condition."));
                } else {
                    task.setState(Task.State.PARKED_ELSEWHERE);
                }
            }
            default -> {
                // RUNNABLE: it was unparked from another thread while unmounting; its continuation
                // is in flight. A short timed wait (Thread.sleep(10) on a loaded machine) ends that
                // way when the JDK's timer fires before this look: its frames still say so.
                StackTraceElement[] stack = thread.getStackTrace();
                if (isTimedPark(stack)) {
                    timedWait(ex, task, stack);
                    return;
                }
                // Otherwise treat it as parked elsewhere; the arrival decides the rest. Tasks
                // unpark tasks on the driver, synchronously: that thread was a foreign one.
                task.setBlockedAt(stack);
                task.setState(Task.State.PARKED_ELSEWHERE);
                ex.foreign.saw("a thread outside the simulator unparked " + task + " as it parked");
            }
        }
    }

    private static void timedWait(Execution ex, Task task, StackTraceElement[] stack) {
        ex.fail(Failures.uncontrolled(ex, task, stack, "a timed wait outside the virtual clock",
                "Thread.sleep, LockSupport.parkNanos and timed waits run on the JDK's real clock, which the "
                        + "simulator does not control. Use Trellis.sleep, or a CancelScope deadline around an "
                        + "untimed wait."));
    }

    /** A frame of a park with a timeout: sleep, parkNanos, parkUntil, a timed wait. */
    private static boolean isTimedPark(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            String m = e.getMethodName();
            if ((c.equals("java.lang.Thread") && m.startsWith("sleep"))
                    || (c.equals("java.lang.VirtualThread") && (m.equals("parkNanos") || m.startsWith("sleep")))
                    || (c.equals("java.util.concurrent.locks.LockSupport") && (m.equals("parkNanos") || m.equals("parkUntil")))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isIo(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (c.startsWith("sun.nio.ch.") || c.startsWith("java.net.") || c.startsWith("java.io.File")
                    || c.startsWith("sun.nio.fs.") || c.startsWith("java.lang.Process")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isObjectWait(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            if (e.getClassName().equals("java.lang.Object") && e.getMethodName().startsWith("wait")) {
                return true;
            }
        }
        return false;
    }

    /** The first frame outside the JDK and Trellis's runtime: where the user's code blocked. */
    static StackTraceElement callSite(StackTraceElement[] stack) {
        int i = callSiteIndex(stack);
        return i >= 0 ? stack[i] : stack.length > 0 ? stack[0] : null;
    }

    /** The index of {@link #callSite}'s frame, or -1 when every frame is the JDK's or the runtime's. */
    static int callSiteIndex(StackTraceElement[] stack) {
        for (int i = 0; i < stack.length; i++) {
            String c = stack[i].getClassName();
            if (!(c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")
                    || c.startsWith("dev.trellis.runtime."))) {
                return i;
            }
        }
        return -1;
    }
}

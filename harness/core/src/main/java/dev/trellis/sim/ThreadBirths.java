package dev.trellis.sim;

import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.Task;

/**
 * Notices a task constructing a thread the simulator will not run: {@code new Thread}, a thread
 * pool creating its workers, {@code Thread.ofVirtual}. Such a thread may later wake a task parked
 * on a java.util.concurrent object, so an execution that has seen one gives it the foreign grace
 * before calling a stall a deadlock (see {@link SimConfig#withForeignGrace}).
 *
 * <p>The JDK offers one synchronous hook into thread construction: a new thread copies its
 * creator's inheritable thread-locals, calling {@link InheritableThreadLocal#childValue} on the
 * creating thread. The driver carries a mark; every task thread inherits it from its spawner, so
 * whatever thread a task constructs calls back here, in the task's own step, at the same point
 * of every run of a seed. Threads the kernel constructs for tasks are told apart and ignored.
 * Costs each spawn the copy of one inheritable thread-local.
 */
final class ThreadBirths {
    private static final InheritableThreadLocal<Boolean> MARK = new InheritableThreadLocal<>() {
        @Override
        protected Boolean childValue(Boolean parent) {
            noticed();
            return parent;
        }
    };

    private ThreadBirths() {}

    /** Marks the calling driver thread, so the tasks it runs pass the mark on (once per thread). */
    static void watchFromHere() {
        if (MARK.get() == null) {
            MARK.set(Boolean.TRUE);
        }
    }

    /** On the creating thread, inside the new thread's constructor. */
    private static void noticed() {
        Task task = Kernel.currentOrNull();
        if (task != null && task.kernel() instanceof Execution ex && !ex.constructingTaskThread()) {
            ex.foreign.saw(task + " created a thread at " + creationSite(Thread.currentThread().getStackTrace()));
        }
    }

    /** The first frame of the application's below the thread constructor and any JDK factory. */
    private static StackTraceElement creationSite(StackTraceElement[] stack) {
        int from = 0;
        for (int i = 0; i < stack.length; i++) {
            if (stack[i].getClassName().equals("java.lang.Thread") && stack[i].getMethodName().equals("<init>")) {
                from = i + 1;
            }
        }
        return Blocking.callSite(java.util.Arrays.copyOfRange(stack, from, stack.length));
    }
}

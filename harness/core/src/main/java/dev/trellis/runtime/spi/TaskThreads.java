package dev.trellis.runtime.spi;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The thread container task threads are started in, instead of the JDK's root container. The root
 * container (with {@code jdk.trackAllThreads}, the JDK's default) holds every virtual thread it
 * started, in a static set, until that thread ends: a task thread abandoned in a wait nothing can
 * end ({@link Kernel#abandon}) would never be collected. A thread-per-task executor is a container
 * of its own, which holds its threads only as long as it is itself reachable.
 *
 * <p>One container may serve many kernels one after another (the simulator keeps one per driver
 * thread: a container made per execution cost a tenth of a spawn-heavy run, in its set's first
 * growth). It holds only live threads, since an ended thread leaves it; an engine that abandons
 * threads then {@linkplain #retire retires} it, and the abandoned threads go with it. Used by one
 * kernel at a time, on that kernel's carrier.
 */
public final class TaskThreads {
    private ExecutorService container = newContainer();
    /** The kernel starting a thread now: the container's factory asks it for the thread. */
    private Kernel starting;

    private ExecutorService newContainer() {
        return Executors.newThreadPerTaskExecutor(code -> starting.newTaskThread(code));
    }

    /** Makes {@code kernel}'s next task thread to run {@code code}, and starts it in the container. */
    void start(Kernel kernel, Runnable code) {
        starting = kernel;
        try {
            container.execute(code);
        } finally {
            starting = null;
        }
    }

    /**
     * Lets go of the container, with every thread still in it (abandoned ones), and starts later
     * threads in a new one. The old one ends when its last thread does, or is collected with them.
     */
    public void retire() {
        close();
        container = newContainer();
    }

    /** No thread will be started here again: the container ends when its last thread does. */
    public void close() {
        container.shutdown();
    }
}

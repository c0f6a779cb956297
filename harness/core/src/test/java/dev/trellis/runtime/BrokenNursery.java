package dev.trellis.runtime;

import dev.trellis.runtime.spi.Kernel;
import dev.trellis.runtime.spi.Scope;
import dev.trellis.runtime.spi.Task;
import dev.trellis.trace.TraceKind;

/**
 * A deliberately broken nursery, kept to prove the invariants catch it: its close waits only for
 * the children its owner started, not for those a child started into it. Everything else, the
 * trace events included, is as in {@link Nursery}.
 */
final class BrokenNursery {
    private final Kernel kernel;
    private final int id;
    private final Scope scope;
    private final Task owner;
    private int liveOwnerChildren;
    private boolean waiting;

    private BrokenNursery(Kernel kernel, int id, Scope scope, Task owner) {
        this.kernel = kernel;
        this.id = id;
        this.scope = scope;
        this.owner = owner;
    }

    static void open(java.util.function.Consumer<BrokenNursery> block) {
        Task owner = Kernel.current("BrokenNursery.open");
        Kernel kernel = owner.kernel();
        Scope scope = kernel.cancellation().enterScope(false);
        BrokenNursery n = new BrokenNursery(kernel, kernel.newNurseryId(), scope, owner);
        kernel.record(TraceKind.NURSERY_OPEN, n.id, scope.id);
        block.accept(n);
        n.waiting = true;
        while (n.liveOwnerChildren > 0) {
            kernel.park("broken nursery close", false);
        }
        kernel.cancellation().exitScope(scope, false);
        kernel.record(TraceKind.NURSERY_CLOSE, n.id, 0);
    }

    void start(String name, Body body) {
        boolean byOwner = Kernel.current("start") == owner;
        if (byOwner) {
            liveOwnerChildren++;
        }
        kernel.spawn(name, scope, id, (task, failure) -> {
            if (byOwner && --liveOwnerChildren == 0 && waiting) {
                kernel.wake(owner);
            }
        }, body::run);
    }
}

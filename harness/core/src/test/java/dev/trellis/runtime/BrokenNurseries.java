package dev.trellis.runtime;

/** Programs over {@link BrokenNursery} and {@link Nursery}, for the invariant tests. */
public final class BrokenNurseries {
    private BrokenNurseries() {}

    /** A child starts a sibling that needs a few steps; the broken close may not wait for it. */
    public static void childStartsSibling() {
        BrokenNursery.open(n -> n.start("child", () -> {
            n.start("sibling", () -> {
                Trellis.checkpoint();
                Trellis.checkpoint();
            });
            Trellis.checkpoint();
        }));
    }

    /** The same program on the real nursery. */
    public static void childStartsSiblingCorrectly() throws Exception {
        Nursery.open(n -> n.start("child", () -> {
            n.start("sibling", () -> {
                Trellis.checkpoint();
                Trellis.checkpoint();
            });
            Trellis.checkpoint();
        }));
    }
}

package dev.trellis.check;

/**
 * A rule over a recorded history {@code H} (what clients sent and received, with times), where
 * {@link Invariant} reads the execution's trace. A value with a name, so reports and scenario
 * files can name it; its violations quote the offending lines and their times.
 */
public interface HistoryInvariant<H> {
    /** A short name, such as {@code chat-total-order}. */
    String name();

    /** The first violation in {@code history}, or null when the rule holds. */
    Violation check(H history);

    /**
     * A rule called {@code name} whose {@code check} returns what broke, in words, or null when it
     * holds.
     */
    static <H> HistoryInvariant<H> of(String name, java.util.function.Function<? super H, String> check) {
        return new HistoryInvariant<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Violation check(H history) {
                String message = check.apply(history);
                return message == null ? null : new Violation(name, message, -1);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /**
     * Checks every rule in order and throws {@link HistoryViolation} for the first that breaks:
     * call it at the end of a simulated body, and the exploration stops on that seed and reports it.
     */
    static <H> void verify(H history, Iterable<? extends HistoryInvariant<? super H>> rules) {
        for (HistoryInvariant<? super H> rule : rules) {
            Violation v = rule.check(history);
            if (v != null) {
                throw new HistoryViolation(v);
            }
        }
    }
}

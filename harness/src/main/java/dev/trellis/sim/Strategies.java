package dev.trellis.sim;

/** Builds strategies from their specs: {@code random}, {@code pct:D} or {@code pct:D:K}. */
public final class Strategies {
    /** Expected steps per execution for PCT when the spec does not say. */
    public static final long DEFAULT_PCT_STEPS = 1_000;

    private Strategies() {}

    public static Strategy parse(String spec) {
        String s = spec.trim();
        if (s.equals("random")) {
            return new RandomWalk();
        }
        if (s.startsWith("pct")) {
            String[] parts = s.split(":");
            try {
                int depth = parts.length > 1 ? Integer.parseInt(parts[1]) : 3;
                long steps = parts.length > 2 ? Long.parseLong(parts[2]) : DEFAULT_PCT_STEPS;
                if (parts.length <= 3) {
                    return new Pct(depth, steps);
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("unknown strategy [" + spec + "]: expected 'random', 'pct:D' "
                + "(D = bug depth, 1 or more) or 'pct:D:K' (K = expected steps per execution)");
    }
}

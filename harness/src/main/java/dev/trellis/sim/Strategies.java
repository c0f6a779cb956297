package dev.trellis.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds strategies from their specs. Every strategy's {@link Strategy#spec()} is one of these, so
 * a spec printed in a failure always parses back to the strategy that ran:
 * <ul>
 *   <li>{@code random}: a uniform random walk;</li>
 *   <li>{@code pct:D} or {@code pct:D:K}: PCT for bugs of depth D over about K steps;</li>
 *   <li>{@code dfs:P}: every schedule with at most P preemptions, fewest first ({@link Dfs}); its
 *       executions print as {@code dfs:P:#I:data=SEED:STEP=TASK,...}, each of which runs alone;</li>
 *   <li>{@code choices:1,0,2}: a {@link ChoiceList};</li>
 *   <li>{@code replay:3,1,2/17,4}: a {@link Replay} of the task ids picked, then the values drawn.</li>
 * </ul>
 */
public final class Strategies {
    /** Expected steps per execution for PCT when the spec does not say. */
    public static final long DEFAULT_PCT_STEPS = 1_000;

    private Strategies() {}

    public static Strategy parse(String spec) {
        String s = spec.trim();
        try {
            if (s.equals("random")) {
                return new RandomWalk();
            }
            if (s.startsWith("choices:")) {
                return new ChoiceList(numbers(s.substring("choices:".length())).stream().map(Long::intValue).toList());
            }
            if (s.startsWith("replay:")) {
                String body = s.substring("replay:".length());
                int slash = body.indexOf('/');
                if (slash >= 0) {
                    return new Replay(array(numbers(body.substring(0, slash))), array(numbers(body.substring(slash + 1))));
                }
            }
            if (s.startsWith("dfs:")) {
                return Dfs.parse(s);
            }
            if (s.equals("pct") || s.startsWith("pct:")) {
                String[] parts = s.split(":");
                int depth = parts.length > 1 ? Integer.parseInt(parts[1]) : 3;
                long steps = parts.length > 2 ? Long.parseLong(parts[2]) : DEFAULT_PCT_STEPS;
                if (parts.length <= 3) {
                    return new Pct(depth, steps);
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("unknown strategy [" + spec + "]: expected 'random', 'pct:D' "
                + "(D = bug depth, 1 or more), 'pct:D:K' (K = expected steps per execution), "
                + "'choices:N,N,...' or 'replay:IDS/DRAWS'");
    }

    /** A comma-separated list of numbers; brackets allowed, empty allowed. */
    private static List<Long> numbers(String text) {
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        List<Long> out = new ArrayList<>();
        if (t.isBlank()) {
            return out;
        }
        for (String n : t.split(",")) {
            out.add(Long.parseLong(n.strip()));
        }
        return out;
    }

    private static long[] array(List<Long> list) {
        return list.stream().mapToLong(Long::longValue).toArray();
    }

    static String join(long[] values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(values[i]);
        }
        return sb.toString();
    }
}

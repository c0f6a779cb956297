package dev.trellis.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds strategies from their specs. Every strategy's {@link Strategy#spec()} is one of these, so
 * a spec printed in a failure always parses back to the strategy that ran:
 * <ul>
 *   <li>{@code random}: a uniform random walk;</li>
 *   <li>{@code pct:D}: {@link Pct} for bugs of depth D (3 if {@code pct} alone), which learns
 *       how many choices an execution offers from the executions of the exploration before;</li>
 *   <li>{@code pct:D:K}: PCT with its change points over K choices in every execution (what
 *       a {@code pct:D} execution's result names, so that it replays alone);</li>
 *   <li>{@code pos}: partial order sampling, {@link Pos};</li>
 *   <li>{@code dfs:P}: every schedule with at most P preemptions, fewest first ({@link Dfs}); its
 *       executions print as {@code dfs:P:#I:data=SEED:STEP=TASK,...}, each of which runs alone;</li>
 *   <li>{@code choices:1,0,2}: a {@link ChoiceList};</li>
 *   <li>{@code replay:3,1,2/17,4}: a {@link Replay} of the task ids picked, then the values drawn;</li>
 *   <li>{@code guided:17,4/12=2,40=1}: {@link Guided}, the default continuation but for the listed
 *       steps, with the values drawn listed: what a shrunk failure is written as.</li>
 * </ul>
 */
public final class Strategies {
    private Strategies() {}

    public static Strategy parse(String spec) {
        String s = spec.trim();
        try {
            if (s.equals("random")) {
                return new RandomWalk();
            }
            if (s.equals(Pos.SPEC)) {
                return new Pos();
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
            if (s.startsWith(Guided.PREFIX)) {
                return Guided.parse(s);
            }
            if (s.startsWith("dfs:")) {
                return Dfs.parse(s);
            }
            if (s.equals("pct") || s.startsWith("pct:")) {
                // -1: "pct:" and "pct:2:" are mistakes, not pct:3 and pct:2.
                String[] parts = s.split(":", -1);
                int depth = parts.length > 1 ? Integer.parseInt(parts[1]) : 3;
                if (parts.length <= 2) {
                    return Pct.adaptive(depth);
                }
                if (parts.length == 3) {
                    return Pct.fixed(depth, Long.parseLong(parts[2]));
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("unknown strategy [" + spec + "]: expected 'random', 'pos', 'pct:D' "
                + "(D = bug depth, 1 or more; learns the choices per execution), 'pct:D:K' (K = choices per "
                + "execution the change points are drawn over), 'dfs:P' (every schedule with at most P "
                + "preemptions), 'choices:N,N,...', 'replay:IDS/DRAWS' or 'guided:DRAWS/STEP=TASK,...'");
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

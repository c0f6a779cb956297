package dev.trellis.sim;


import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in scenario files, annotations and on the command line:
 * {@code 250ms}, {@code 1.5s}, {@code 2m}, {@code 0}.
 */
public final class Durations {
    private Durations() {}

    /** What a duration may look like, for the schema and for messages. */
    public static final String PATTERN = "^(0|[0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h|d)|P.*)$";
    public static final String ACCEPTED = "a number and a unit (ns, us, ms, s, m, h, d), such as 250ms or 1.5s; or 0";

    private static final Pattern FORM = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|ms|s|m|h|d)");

    /** Reads {@code text}; throws an {@link IllegalArgumentException} saying what is accepted. */
    public static Duration parse(String text) {
        String t = text.strip();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = FORM.matcher(t);
        if (m.matches()) {
            BigDecimal nanosPerUnit = BigDecimal.valueOf(switch (m.group(2)) {
                case "ns" -> 1L;
                case "us" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 86_400_000_000_000L;
            });
            BigDecimal nanos = new BigDecimal(m.group(1)).multiply(nanosPerUnit);
            try {
                return Duration.ofNanos(nanos.longValueExact());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("[" + text + "] is not a whole number of nanoseconds, or too long");
            }
        }
        if (t.startsWith("P") || t.startsWith("p")) {
            Duration d;
            try {
                d = Duration.parse(t);
            } catch (DateTimeParseException e) {
                d = null;
            }
            if (d != null && d.isNegative()) {
                throw new IllegalArgumentException("[" + text + "] is negative: durations in a scenario are zero or more");
            }
            if (d != null) {
                return d;
            }
        }
        throw new IllegalArgumentException("[" + text + "] is not a duration: expected " + ACCEPTED);
    }

    /** The shortest exact text {@link #parse} reads back: {@code 250ms}, {@code 1500us}, {@code 0}. */
    public static String format(Duration d) {
        long n = d.toNanos();
        if (n == 0) {
            return "0";
        }
        String[] units = {"d", "h", "m", "s", "ms", "us"};
        long[] sizes = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        for (int i = 0; i < units.length; i++) {
            if (n % sizes[i] == 0) {
                return (n / sizes[i]) + units[i];
            }
        }
        return n + "ns";
    }
}

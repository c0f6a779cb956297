package dev.trellis.sim;

import dev.trellis.streams.StreamOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything that decides one execution but the body: the seed, the strategy's spec, and the
 * settings that change what runs (step and time limits, the streams, and the two wall-time
 * settings that decide how a stuck run ends: the runaway limit and the foreign-thread grace). A
 * value with a one-line text form, which every failure prints, so that
 * {@code Simulation.result(body, Schedule.parse(text))} runs the same execution again (the same trace
 * hash), whatever the config and whatever the strategy, a {@link ChoiceList} or a replay
 * included. Invariants are not part of it: they judge an execution, they do not change it.
 *
 * {@snippet :
 * Schedule s = Schedule.parse("seed=7 strategy=pct:3:40 maxSteps=500");
 * Result again = Simulation.result(body, s);   // same hash as the run that printed it
 * }
 *
 * <p>The text is {@code key=value} pairs separated by spaces; only settings that differ from
 * {@link SimConfig#defaults()} are written. A text starting with {@code @} names a file holding
 * the text (long replay schedules are written to one).
 */
public record Schedule(long seed, SimConfig config) {
    /** Replay specs longer than this go to a file, so a failure stays readable. */
    static final int MAX_INLINE = 300;

    public Schedule {
        java.util.Objects.requireNonNull(config, "config");
    }

    /** The strategy's spec, as {@link Strategies#parse} reads it. */
    public String strategy() {
        return config.strategy();
    }

    /** The one-line text form; {@link #parse} reads it back to an equal schedule (invariants aside). */
    public String text() {
        SimConfig d = SimConfig.defaults();
        List<String> parts = new ArrayList<>();
        parts.add("seed=" + seed);
        parts.add("strategy=" + config.strategy());
        if (config.maxSteps() != d.maxSteps()) {
            parts.add("maxSteps=" + config.maxSteps());
        }
        if (!config.maxTime().equals(d.maxTime())) {
            parts.add("maxTime=" + config.maxTime());
        }
        if (!config.runawayLimit().equals(d.runawayLimit())) {
            parts.add("runaway=" + config.runawayLimit());
        }
        if (!config.foreignGrace().equals(d.foreignGrace())) {
            parts.add("foreignGrace=" + config.foreignGrace());
        }
        if (!config.streams().equals(d.streams())) {
            StreamOptions o = config.streams();
            parts.add(String.format(Locale.ROOT, "streams=%d/%d/%s/%s/%d", o.capacity(), o.maxChunk(),
                    o.randomChunks() ? "random" : "fixed", o.latency(), o.resetAfter()));
        }
        return String.join(" ", parts);
    }

    /** Reads {@link #text()}, or {@code @path} for a file holding it. */
    public static Schedule parse(String text) {
        String t = text.strip();
        if (t.startsWith("@")) {
            try {
                t = Files.readString(Path.of(t.substring(1))).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the schedule file [" + t.substring(1) + "]: " + e.getMessage(), e);
            }
        }
        SimConfig c = SimConfig.defaults();
        Long seed = null;
        for (String part : t.split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq < 1) {
                throw bad(text, "[" + part + "] is not key=value");
            }
            String key = part.substring(0, eq);
            String value = part.substring(eq + 1);
            try {
                switch (key) {
                    case "seed" -> seed = Long.parseLong(value);
                    case "strategy" -> c = c.withStrategy(value);
                    case "maxSteps" -> c = c.withMaxSteps(Long.parseLong(value));
                    case "maxTime" -> c = c.withMaxTime(Duration.parse(value));
                    case "runaway" -> c = c.withRunawayLimit(Duration.parse(value));
                    case "foreignGrace" -> c = c.withForeignGrace(Duration.parse(value));
                    case "streams" -> c = c.withStreams(streams(value));
                    default -> throw bad(text, "unknown key [" + key + "]");
                }
            } catch (RuntimeException e) {
                if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith("not a schedule")) {
                    throw iae;
                }
                throw bad(text, "bad value for " + key + ": " + e.getMessage());
            }
        }
        if (seed == null) {
            throw bad(text, "it has no seed=N");
        }
        return new Schedule(seed, c);
    }

    private static StreamOptions streams(String v) {
        String[] f = v.split("/");
        if (f.length != 5 || !(f[2].equals("random") || f[2].equals("fixed"))) {
            throw new IllegalArgumentException("expected capacity/maxChunk/random|fixed/latency/resetAfter, was [" + v + "]");
        }
        return new StreamOptions(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2].equals("random"),
                Duration.parse(f[3]), Long.parseLong(f[4]));
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("not a schedule: " + why + ", in [" + text + "]. Expected "
                + "'seed=N strategy=SPEC' and optionally maxSteps=N maxTime=ISO-8601 runaway=ISO-8601 "
                + "foreignGrace=ISO-8601 streams=capacity/maxChunk/random|fixed/latency/resetAfter");
    }

    /**
     * How a failure says to run this execution again: the text inline, or, when a replay spec
     * makes it long, a file under {@code dir} named by {@code hash}, referred to as {@code @path}.
     */
    String replayArgument(Path dir, String hash) {
        String text = text();
        if (text.length() <= MAX_INLINE) {
            return text;
        }
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(hash + ".schedule");
            Files.writeString(file, text + "\n");
            return "@" + file.toAbsolutePath();
        } catch (IOException e) {
            return text;   // cannot write: a long line still replays
        }
    }

    @Override
    public String toString() {
        return text();
    }
}

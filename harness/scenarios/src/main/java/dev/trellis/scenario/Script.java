package dev.trellis.scenario;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One client of a scenario with everything resolved: {@code count} expanded, {@code {i}} filled
 * in, the login turned into its first line, text into bytes. What {@link ScriptedWorld} plays.
 *
 * @param label    the client's name in reports
 * @param connectAt when it connects, since the start
 * @param readFrom when it starts reading, or null when it never reads
 * @param streams  its own connection's stream options, or null for the network's
 * @param actions  its script
 */
record Script(String label, Duration connectAt, Duration readFrom, dev.trellis.streams.StreamOptions streams,
              List<Action> actions) {

    boolean reads() {
        return readFrom != null;
    }

    /** One step: at {@code at} (null: at once), do {@code kind}. */
    record Action(Duration at, Kind kind, byte[] data, String expect, Pattern regex, Duration within, int number) {
        enum Kind { SEND, HALF_CLOSE, CLOSE, RECONNECT, PAUSE, RESUME, EXPECT }

        /** How an expect step reads in a message. */
        String describeExpect() {
            return expect != null ? "a line equal to [" + expect + "]" : "a line matching /" + regex.pattern() + "/";
        }

        boolean matches(String line) {
            return expect != null ? expect.equals(line) : regex.matcher(line).find();
        }
    }
}

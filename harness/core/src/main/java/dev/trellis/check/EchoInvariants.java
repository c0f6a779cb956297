package dev.trellis.check;

import java.util.Arrays;
import java.util.List;

import static dev.trellis.check.Quotes.ms;

/**
 * The rules of an echo server, judged from its clients' {@link ConnectionLog}s: each connection
 * gets back exactly what it sent, in order, and a clean close after it sends end-of-stream.
 *
 * {@snippet :
 * HistoryInvariant.verify(logs, EchoInvariants.all());
 * }
 */
public final class EchoInvariants {
    private EchoInvariants() {}

    /** Both rules. */
    public static List<HistoryInvariant<List<ConnectionLog>>> all() {
        return List.of(bytesEchoed(), cleanClose());
    }

    /**
     * Per connection, the bytes received are a prefix of the bytes sent, in order; all of them
     * once end-of-stream came back. (A send that threw part way counts as sent: the server may have
     * had any prefix of it.)
     */
    public static HistoryInvariant<List<ConnectionLog>> bytesEchoed() {
        return rule("echo-bytes", logs -> {
            for (ConnectionLog log : logs) {
                byte[] out = allSent(log);
                byte[] in = log.receivedBytes();
                int n = Math.min(out.length, in.length);
                int diff = Arrays.mismatch(Arrays.copyOf(out, n), Arrays.copyOf(in, n));
                if (diff >= 0 || in.length > out.length) {
                    int at = diff >= 0 ? diff : out.length;
                    return log.label() + " got back " + in.length + " bytes for " + out.length + " sent; they differ "
                            + "from byte " + at + ": sent [" + around(out, at) + "], received [" + around(in, at) + "]";
                }
                boolean sentAll = log.sent().stream().noneMatch(ConnectionLog.Chunk::attempted);
                if (log.eofReceivedAt() >= 0 && sentAll && in.length < out.length) {
                    return log.label() + " got end-of-stream at " + ms(log.eofReceivedAt()) + " after only " + in.length
                            + " of the " + out.length + " bytes it sent";
                }
            }
            return null;
        });
    }

    /**
     * A connection that sent end-of-stream, and did not break, gets end-of-stream back (not a
     * reset) before its session ends.
     */
    public static HistoryInvariant<List<ConnectionLog>> cleanClose() {
        return rule("echo-clean-close", logs -> {
            for (ConnectionLog log : logs) {
                if (log.eofSentAt() < 0) {
                    continue;
                }
                if (log.brokenAt() >= 0 && log.brokenAt() >= log.eofSentAt()) {
                    return log.label() + " sent end-of-stream at " + ms(log.eofSentAt()) + " and then its connection "
                            + "broke at " + ms(log.brokenAt()) + ": " + log.broken();
                }
                if (log.brokenAt() < 0 && log.eofReceivedAt() < 0) {
                    return log.label() + " sent end-of-stream at " + ms(log.eofSentAt()) + " and never got end-of-stream back"
                            + (log.closedAt() >= 0 ? " before it closed at " + ms(log.closedAt()) : "");
                }
            }
            return null;
        });
    }

    private static byte[] allSent(ConnectionLog log) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        log.sent().forEach(c -> out.writeBytes(c.bytes()));
        return out.toByteArray();
    }

    private static String around(byte[] b, int at) {
        int from = Math.max(0, at - 8);
        int to = Math.min(b.length, at + 8);
        return Quotes.escape(new String(b, from, to - from, java.nio.charset.StandardCharsets.UTF_8));
    }

    private static HistoryInvariant<List<ConnectionLog>> rule(String name,
            java.util.function.Function<List<ConnectionLog>, String> check) {
        return HistoryInvariant.of(name, check);
    }
}

package dev.trellis.apps;

import dev.trellis.runtime.ByteStream;

import java.util.Arrays;

/**
 * Splits a stream into lines ending with {@code \n}, holding at most {@code maxLine} bytes of
 * one (not counting a trailing {@code \r}, so {@code nc -C} and telnet get the same limit): a
 * longer line is discarded as it arrives, up to its {@code \n}, and reported as
 * {@link #TOO_LONG}, so a 1 MiB line costs a fixed buffer, not 1 MiB. A last line the peer ends
 * with end-of-stream instead of {@code \n} still counts as a line. Not safe for two tasks at once,
 * as the stream's receive is not.
 */
final class LineReader {
    /** One line: its bytes without the {@code \n} (a trailing {@code \r} is kept), or too long. */
    record Line(byte[] bytes, boolean tooLong) {}

    /** What {@link #next} returns for a line longer than the limit; nothing of it was kept. */
    static final Line TOO_LONG = new Line(new byte[0], true);

    private static final int RECEIVE_SIZE = 4096;

    private final ByteStream stream;
    private final byte[] received = new byte[RECEIVE_SIZE];
    private int pos;
    private int end;
    private boolean ended;
    private final int maxLine;
    /** One byte more than the limit, for a trailing {@code \r}. */
    private final byte[] line;
    private int length;
    private boolean discarding;

    LineReader(ByteStream stream, int maxLine) {
        this.stream = stream;
        this.maxLine = maxLine;
        this.line = new byte[maxLine + 1];
    }

    /**
     * The next line, receiving as needed (a checkpoint when it receives); null at end-of-stream.
     * Throws what the stream's receive throws.
     */
    Line next() {
        while (true) {
            while (pos < end) {
                byte b = received[pos++];
                if (b == '\n') {
                    return take();
                }
                if (discarding) {
                    continue;
                }
                if (length == line.length) {
                    discarding = true;
                    length = 0;
                } else {
                    line[length++] = b;
                }
            }
            if (ended) {
                return discarding || length > 0 ? take() : null;
            }
            int n = stream.receiveSome(received, 0, received.length);
            if (n < 0) {
                ended = true;
            } else {
                pos = 0;
                end = n;
            }
        }
    }

    private Line take() {
        boolean tooLong = discarding || length > maxLine && line[length - 1] != '\r';
        Line l = tooLong ? TOO_LONG : new Line(Arrays.copyOf(line, length), false);
        discarding = false;
        length = 0;
        return l;
    }
}

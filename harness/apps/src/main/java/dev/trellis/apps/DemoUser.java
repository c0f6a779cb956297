package dev.trellis.apps;

import dev.trellis.runtime.ByteStream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One scripted user of a chat demo: a connection, and the bytes received but not yet expected.
 * It says what it sends and what it got, so a demo prints its conversation as it goes.
 */
final class DemoUser implements AutoCloseable {
    final String name;
    final ByteStream stream;
    private final Consumer<String> out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    DemoUser(String name, ByteStream stream, Consumer<String> out) {
        this.name = name;
        this.stream = stream;
        this.out = out;
    }

    /** Sends {@code text} and a newline; a long line is printed by its length. */
    void send(String text) {
        stream.sendAll((text + "\n").getBytes(StandardCharsets.UTF_8));
        out.accept(name + ": sent " + (text.length() > 40 ? "a line of " + text.length() + " bytes" : text));
    }

    /** Receives until {@code text} has arrived, and fails if anything else came instead. */
    void expect(String text) {
        byte[] want = text.getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[4096];
        while (pending.size() < want.length) {
            int n = stream.receiveSome(buf, 0, buf.length);
            if (n < 0) {
                throw new IllegalStateException(name + " expected [" + text.strip() + "] but the server closed after ["
                        + pending.toString(StandardCharsets.UTF_8) + "]");
            }
            pending.write(buf, 0, n);
        }
        byte[] got = pending.toByteArray();
        if (!Arrays.equals(got, 0, want.length, want, 0, want.length)) {
            throw new IllegalStateException(name + " expected [" + text.strip() + "] but got ["
                    + new String(got, StandardCharsets.UTF_8) + "]");
        }
        pending.reset();
        pending.write(got, want.length, got.length - want.length);
        out.accept(name + ": got " + text.strip());
    }

    @Override
    public void close() {
        stream.close();
    }
}

package dev.trellis.cli;

import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Handler;

import java.util.Arrays;

/** An echo that drops the last byte of every chunk: a user's buggy handler, for scenarios that name a class. */
public final class LossyEcho implements Handler {
    @Override
    public void handle(ByteStream stream) throws Exception {
        byte[] buf = new byte[1024];
        int n;
        while ((n = stream.receiveSome(buf, 0, buf.length)) > 0) {
            stream.sendAll(Arrays.copyOf(buf, Math.max(0, n - 1)));
        }
        stream.sendEof();
    }
}

package dev.trellis.apps;

import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Handler;

/** The seed tutorial's echo server: every byte back, until end-of-stream. */
public final class EchoHandler implements Handler {
    @Override
    public void handle(ByteStream stream) {
        byte[] buf = new byte[4096];
        int n;
        while ((n = stream.receiveSome(buf, 0, buf.length)) > 0) {
            stream.sendAll(buf, 0, n);
        }
    }
}

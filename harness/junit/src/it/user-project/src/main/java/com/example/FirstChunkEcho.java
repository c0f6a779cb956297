package com.example;

import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Handler;

/** The user's server, with the classic bug: it answers the first chunk it receives as if it were the whole request. */
public class FirstChunkEcho implements Handler {
    @Override
    public void handle(ByteStream stream) {
        byte[] buf = new byte[4096];
        int n = stream.receiveSome(buf, 0, buf.length);
        if (n > 0) {
            stream.sendAll(buf, 0, n);
        }
    }
}

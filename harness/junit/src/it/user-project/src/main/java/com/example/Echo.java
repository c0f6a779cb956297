package com.example;

import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Handler;

/** The same server done right: every byte back until end-of-stream. */
public class Echo implements Handler {
    @Override
    public void handle(ByteStream stream) {
        byte[] buf = new byte[4096];
        int n;
        while ((n = stream.receiveSome(buf, 0, buf.length)) > 0) {
            stream.sendAll(buf, 0, n);
        }
    }
}

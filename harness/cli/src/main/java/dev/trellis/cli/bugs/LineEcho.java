package dev.trellis.cli.bugs;

import dev.trellis.check.ConnectionLog;
import dev.trellis.check.EchoInvariants;
import dev.trellis.check.HistoryInvariant;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.Body;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Handler;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An echo of lines that takes each receive for one whole line: it strips the line's newline and
 * sends the text back with one. Right whenever a receive is a line, as it nearly always is on a
 * quiet loopback; wrong as soon as the network splits a line ("hel", "lo\n" come back as
 * "hel\n", "lo\n"), which the simulator's streams do by default (receives of random size).
 */
public final class LineEcho implements Handler {
    @Override
    public void handle(ByteStream stream) {
        byte[] buf = new byte[1024];
        int n;
        while ((n = stream.receiveSome(buf, 0, buf.length)) > 0) {
            String line = new String(buf, 0, n, StandardCharsets.UTF_8);   // the bug: one receive, one line
            String text = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
            stream.sendAll((text + "\n").getBytes(StandardCharsets.UTF_8));
        }
        stream.sendEof();
    }

    /**
     * One client sends two lines and half-closes, reading everything back; then echo-bytes and
     * echo-clean-close judge what it got. The same body runs on the simulator and on the real
     * runtime (loopback TCP).
     */
    static Body session() {
        return () -> {
            Network net = Network.current();
            ConnectionLog log = new ConnectionLog("client");
            Nursery.open(world -> {
                Listener listener = net.listen(Address.of("127.0.0.1", 0));
                world.start("server", () -> {
                    try (listener) {
                        net.serve(listener, new LineEcho(), Network.OnHandlerFailure.CLOSE_CONNECTION);
                    }
                });
                try (ByteStream s = log.record(net.connect(listener.address()))) {
                    Nursery.open(client -> {
                        client.start("reader", () -> {
                            byte[] buf = new byte[256];
                            while (s.receiveSome(buf, 0, buf.length) > 0) {
                                // the log keeps what arrived
                            }
                        });
                        s.sendAll("hello there\n".getBytes(StandardCharsets.UTF_8));
                        s.sendAll("how are you?\n".getBytes(StandardCharsets.UTF_8));
                        s.sendEof();
                    });
                }
                world.cancelScope().cancel();
            });
            HistoryInvariant.verify(List.of(log), EchoInvariants.all());
        };
    }
}

package dev.trellis.real;

import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A caller that gives up on a run (a JUnit timeout, a shutdown) leaves no server behind. */
class InterruptedRunTest {
    @Test
    void anInterruptedRunStopsItsServerClosesItsPortAndThenSaysSo() throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                RealRuntime.run(() -> {
                    Network net = Network.current();
                    try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                        port.complete(l.address().port());
                        net.serve(l, ByteStream::close);   // serves for ever
                    }
                    return null;
                });
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "a test that times out");
        caller.start();
        int p = port.get(30, TimeUnit.SECONDS);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", p), 5_000);   // it serves
        }
        caller.interrupt();
        caller.join(30_000);
        assertThat(caller.isAlive()).as("the interrupted run returned").isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", p), 5_000);
            }
        }).as("the port is closed").isInstanceOf(IOException.class);
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().equals("trellis-carrier")).count())
                .as("carrier threads left running").isZero();
    }
}

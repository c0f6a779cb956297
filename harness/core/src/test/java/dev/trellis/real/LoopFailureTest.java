package dev.trellis.real;

import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.runtime.spi.Kernel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** A failure of the real runtime's loop tears the run down as the simulator does: nothing parked, nothing open. */
class LoopFailureTest {
    @Test
    void aBrokenSelectorEndsTheRunWithEveryTaskUnwoundAndThePortClosed() {
        AtomicInteger unwound = new AtomicInteger();
        int[] port = {0};
        assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                assertThatThrownBy(() -> RealRuntime.run(() -> {
                    RealKernel kernel = (RealKernel) Kernel.current("test").kernel();
                    Network net = Network.current();
                    try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                        port[0] = l.address().port();
                        Nursery.open(n -> {
                            n.start("server", () -> {
                                try {
                                    net.serve(l, stream -> stream.receiveSome(16));
                                } finally {
                                    unwound.incrementAndGet();
                                }
                            });
                            n.start("client", () -> {
                                try (ByteStream client = net.connect(l.address())) {
                                    client.receiveSome(16);   // parked on its socket: nobody sends
                                } finally {
                                    unwound.incrementAndGet();
                                }
                            });
                            n.start("breaker", () -> {
                                Trellis.sleep(Duration.ofMillis(50));
                                kernel.breakSelectorForTest();
                            });
                        });
                    }
                    return null;
                })).isInstanceOf(IllegalStateException.class).hasMessageContaining("the real runtime's loop failed"));
        assertThat(unwound.get()).as("the server and the client unwound").isEqualTo(2);
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port[0]), 5_000);
            }
        }).as("the listener was closed").isInstanceOf(IOException.class);
    }
}

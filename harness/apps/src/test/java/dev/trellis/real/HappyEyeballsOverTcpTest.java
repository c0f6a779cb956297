package dev.trellis.real;

import dev.trellis.apps.EchoHandler;
import dev.trellis.apps.HappyEyeballs;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.ConnectException;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.runtime.spi.Kernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Happy Eyeballs on the real runtime over loopback: 127.0.0.2 refuses (nothing listens there;
 * all of 127/8 is loopback on Linux), 127.0.0.1 serves echo. A refusal must start the next
 * attempt at once, so with a 5 s delay the connect still takes well under a second.
 */
@Timeout(60)
class HappyEyeballsOverTcpTest {
    private static final Duration PATIENT = Duration.ofSeconds(5);

    private static TcpNetwork networkResolving(String host, String... ips) {
        TcpNetwork.Resolver resolver = name -> {
            if (!name.equals(host)) {
                return TcpNetwork.SYSTEM_RESOLVER.resolve(name);
            }
            InetAddress[] out = new InetAddress[ips.length];
            for (int i = 0; i < ips.length; i++) {
                out[i] = InetAddress.getByName(ips[i]);
            }
            return List.of(out);
        };
        return ((RealKernel) Kernel.current("test").kernel()).network(resolver, 0);
    }

    @Test
    void aRefusedAddressHandsOverToTheListeningOneAtOnce() throws Exception {
        String echoed = RealRuntime.run(() -> {
            Network net = networkResolving("two.test", "127.0.0.2", "127.0.0.1");
            String[] got = new String[1];
            Nursery.open(nursery -> {
                Address at = nursery.startAndWait("server", status -> {
                    try (Listener listener = net.listen(Address.of("127.0.0.1", 0))) {
                        status.started(listener.address());
                        net.serve(listener, new EchoHandler());
                    }
                });
                Duration before = Trellis.now();
                try (ByteStream s = HappyEyeballs.connect(net, "two.test", at.port(), PATIENT)) {
                    assertThat(Trellis.now().minus(before)).as("a refusal starts the next attempt at once")
                            .isLessThan(Duration.ofSeconds(2));
                    s.sendAll("hi".getBytes(StandardCharsets.UTF_8));
                    got[0] = new String(s.receiveSome(16), StandardCharsets.UTF_8);
                }
                nursery.cancelScope().cancel();
            });
            return got[0];
        });
        assertThat(echoed).isEqualTo("hi");
    }

    @Test
    void whenEveryAddressRefusesOneConnectExceptionCarriesEachFailure() throws Exception {
        RealRuntime.run(() -> {
            Network net = networkResolving("none.test", "127.0.0.2", "127.0.0.3");
            int port;
            try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                port = l.address().port();   // a port free on 127.0.0.1; nothing listens on .2 or .3
            }
            assertThatThrownBy(() -> HappyEyeballs.connect(net, "none.test", port, PATIENT))
                    .isInstanceOf(ConnectException.class)
                    .hasMessageContaining("all 2 attempts to connect to none.test:" + port + " failed")
                    .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2)
                            .allSatisfy(s -> assertThat(s).isInstanceOf(ConnectException.class)));
            return null;
        });
    }
}

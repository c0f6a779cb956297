package dev.trellis.sim;

import dev.trellis.runtime.Body;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.Channel;
import dev.trellis.runtime.Event;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.streams.StreamOptions;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small programs that exercise every kind of event, for determinism and leak tests. */
public final class Workbench {
    private Workbench() {}

    public static Map<String, Body> programs() {
        Map<String, Body> m = new LinkedHashMap<>();
        m.put("pingpong", Workbench::pingPong);
        m.put("fanout", () -> fanOut(50));
        m.put("deadlines", Workbench::deadlines);
        m.put("failures", Workbench::failures);
        m.put("network-echo", Workbench::networkEcho);
        m.put("jvm-specific-notes", Workbench::jvmSpecificNotes);
        return m;
    }

    /**
     * Notes that carry what differs between JVMs: an identity hash ({@code Object@1b2c3d}, which
     * -XX:hashCode=2 makes 1 in the child JVM of the determinism test) and a lambda's hidden-class
     * address. The trace hash must not depend on either.
     */
    static void jvmSpecificNotes() throws Exception {
        Runnable lambda = () -> { };
        Nursery.open(n -> {
            n.start("a", () -> Trellis.note("an object: " + new Object()));
            n.start("b", () -> Trellis.note("a lambda: " + lambda));
        });
        Trellis.note("done with " + new IllegalStateException("state of " + new Object()));
    }

    static void pingPong() throws Exception {
        Channel<Integer> ping = Channel.unbuffered();
        Channel<Integer> pong = Channel.bounded(1);
        Nursery.open(n -> {
            n.start("pinger", () -> {
                for (int i = 0; i < 10; i++) {
                    ping.send(i);
                    pong.receive();
                }
            });
            n.start("ponger", () -> {
                for (int i = 0; i < 10; i++) {
                    pong.send(ping.receive());
                }
            });
        });
    }

    static void fanOut(int children) throws Exception {
        Event done = new Event();
        int[] left = {children};
        Nursery.open(n -> {
            for (int i = 0; i < children; i++) {
                n.start("child-" + i, () -> {
                    Trellis.sleep(Duration.ofMillis(Trellis.random(20)));
                    Trellis.checkpoint();
                    if (--left[0] == 0) {
                        done.set();
                    }
                });
            }
            done.await();
        });
    }

    static void deadlines() throws Exception {
        Nursery.open(n -> {
            for (int i = 0; i < 4; i++) {
                int k = i;
                n.start("worker-" + i, () -> CancelScope.moveOnAfter(Duration.ofMillis(10 * k + Trellis.random(15)), () -> {
                    while (true) {
                        Trellis.sleep(Duration.ofMillis(1 + Trellis.random(5)));
                    }
                }));
            }
        });
    }

    static void networkEcho() throws Exception {
        SimNetwork net = SimNetwork.current();
        net.link("10.0.0.7", StreamOptions.adversarial().withLatency(Duration.ofMillis(3)).withCapacity(16));
        dev.trellis.runtime.Listener listener = net.listen(dev.trellis.runtime.Address.of("10.0.0.7", 7));
        Nursery.open(n -> {
            n.start("server", () -> net.serve(listener, Workbench::echo));
            n.start("clients", () -> {
                Nursery.open(cs -> {
                    for (int c = 0; c < 2; c++) {
                        int id = c;
                        cs.start("client-" + c, () -> {
                            // Send and receive at once: with 16-byte buffers a client that sends
                            // everything before reading deadlocks with the echo (Trellis finds it).
                            try (dev.trellis.runtime.ByteStream s = net.connect(listener.address())) {
                                byte[] msg = dev.trellis.testkit.StreamConformance.pattern(100, id);
                                Nursery.open(io -> {
                                    io.start("send", () -> s.sendAll(msg));
                                    io.start("receive", () -> dev.trellis.testkit.StreamConformance.receiveExactly(s, msg.length));
                                });
                            }
                        });
                    }
                });
                n.cancelScope().cancel();
            });
        });
    }

    static void failures() throws Exception {
        try {
            Nursery.open(n -> {
                for (int i = 0; i < 4; i++) {
                    int k = i;
                    n.start("maybe-fails-" + i, () -> {
                        Trellis.sleep(Duration.ofMillis(Trellis.random(3)));
                        if (k % 2 == 1) {
                            throw new IllegalStateException("fail " + k);
                        }
                        Trellis.sleep(Duration.ofSeconds(1));
                    });
                }
            });
        } catch (IllegalStateException expected) {
            Trellis.note("caught " + expected.getMessage() + " with " + expected.getSuppressed().length + " suppressed");
        }
    }

    /** The tutorial's echo, every byte back until end-of-stream (the apps module's EchoHandler is above this one). */
    static void echo(dev.trellis.runtime.ByteStream stream) {
        byte[] buf = new byte[4096];
        int n;
        while ((n = stream.receiveSome(buf, 0, buf.length)) > 0) {
            stream.sendAll(buf, 0, n);
        }
    }
}

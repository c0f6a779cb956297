package dev.trellis.junit.examples;

import dev.trellis.junit.RealRuntimeTest;
import dev.trellis.junit.Seed;
import dev.trellis.junit.SimulationTest;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Handler;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.SimNetwork;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Test classes a user would write, run by the kit in {@code SimulationTestExtensionTest}, not by the build itself. */
public final class Examples {
    private Examples() {}

    /** The README's overdraft: a check and a write with a checkpoint between. */
    static void twoWithdrawals() throws Exception {
        int[] balance = {100};
        Nursery.open(n -> {
            for (String who : List.of("alice", "bob")) {
                n.start(who, () -> {
                    if (balance[0] >= 80) {
                        Trellis.checkpoint();   // an audit-log write
                        balance[0] -= 80;
                    }
                });
            }
        });
        if (balance[0] < 0) {
            throw new IllegalStateException("overdrawn: balance " + balance[0]);
        }
    }

    /** An echo server that sends back what it receives, on whichever network runs it. */
    public static final class Echo implements Handler {
        @Override
        public void handle(ByteStream stream) throws Exception {
            byte[] buf = new byte[256];
            int n;
            while ((n = stream.receiveSome(buf, 0, buf.length)) > 0) {
                stream.sendAll(java.util.Arrays.copyOf(buf, n));
            }
        }
    }

    /** Serves {@link Echo}, sends a line, and checks it comes back whole. */
    static void echoOnce(Network net) throws Exception {
        Nursery.open(n -> {
            Address at = n.startAndWait("server", status -> {
                try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                    status.started(l.address());
                    net.serve(l, new Echo());
                }
            });
            try (ByteStream s = net.connect(at)) {
                byte[] line = "hello, trellis\n".getBytes(StandardCharsets.UTF_8);
                s.sendAll(line);
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] buf = new byte[64];
                while (got.size() < line.length) {
                    int k = s.receiveSome(buf, 0, buf.length);
                    if (k < 0) {
                        break;
                    }
                    got.write(buf, 0, k);
                }
                if (!got.toString(StandardCharsets.UTF_8).equals("hello, trellis\n")) {
                    throw new AssertionError("echoed [" + got + "]");
                }
            }
            n.cancelScope().cancel();
        });
    }

    public static class Passing {
        /** Seeds each execution ran with, in order: what a test of the kit looks at. */
        public static final List<Long> SEEDS = Collections.synchronizedList(new ArrayList<>());

        @SimulationTest(seeds = 40)
        void echoesOverAdversarialStreams(SimNetwork net, @Seed long seed) throws Exception {
            SEEDS.add(seed);
            echoOnce(net);
        }

        @RealRuntimeTest
        void echoesOverRealTcp(Network net) throws Exception {
            echoOnce(net);
        }

        @SimulationTest(seeds = 20, strategy = "pct:2:20", streams = "plain")
        void echoesUnderPct(Network net) throws Exception {
            echoOnce(net);
        }
    }

    public static class Failing {
        @SimulationTest(seeds = 100)
        void neverOverdrawn() throws Exception {
            twoWithdrawals();
        }
    }

    public static class PerSeed {
        @SimulationTest(seeds = 8, invocationPerSeed = true)
        void neverOverdrawn() throws Exception {
            twoWithdrawals();
        }
    }

    public static class Misdeclared {
        @SimulationTest(seeds = 0)
        void noSeeds() {
        }
    }
}

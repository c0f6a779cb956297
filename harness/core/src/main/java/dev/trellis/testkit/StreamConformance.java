package dev.trellis.testkit;

import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.BusyResourceException;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.ClosedResourceException;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What every two-way byte stream must do, in the spirit of trio's check_two_way_stream: a test
 * kit, run against memory pairs under every adversary setting, lockstep pairs and real TCP.
 * Each check is a body to run inside a Trellis task (real or simulated); it opens its own pair
 * with the factory and throws {@link AssertionError} when the stream misbehaves.
 *
 * {@snippet :
 * for (var check : StreamConformance.checks(() -> MemoryStreams.pair(StreamOptions.adversarial())).entrySet()) {
 *     Simulation.explore(check.getValue(), 0, 100, SimConfig.defaults()).orThrow();
 * }
 * }
 */
public final class StreamConformance {
    /** Opens a connected pair; called inside a task. */
    @FunctionalInterface
    public interface PairFactory {
        ByteStream[] open() throws Exception;
    }

    /** A check, runnable as a task body. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    private StreamConformance() {}

    /** Every check, by name, for pairs from {@code factory}; {@code largeBytes} sizes the big transfer. */
    public static Map<String, dev.trellis.runtime.Body> checks(PairFactory factory, int largeBytes) {
        Map<String, dev.trellis.runtime.Body> m = new LinkedHashMap<>();
        m.put("sends and receives both ways", () -> bothWays(factory));
        m.put("half-close: end-of-stream after every byte, the other way still open", () -> halfClose(factory));
        m.put("close while the peer waits in receive gives it end-of-stream", () -> closeWhilePeerReceives(factory));
        m.put("sending after the peer closed breaks", () -> sendAfterPeerClosed(factory));
        m.put("use after close is a ClosedResourceException", () -> useAfterClose(factory));
        m.put("two receivers at once is a BusyResourceException", () -> concurrentReceive(factory));
        m.put("large transfer both ways at once arrives intact", () -> largeTransfer(factory, largeBytes));
        m.put("a cancelled receive leaves the stream usable: a retry gets the bytes", () -> retryAfterCancelledReceive(factory));
        m.put("a receive cancelled as bytes arrive loses none of them", () -> receiveCancelledAsBytesArrive(factory));
        return m;
    }

    /**
     * Backpressure: with nobody reading, sending {@code bytes} (more than the stream can buffer)
     * must not complete; once the peer reads, every byte arrives. {@code wait} is how long the
     * reader stays away (virtual under the simulator).
     */
    public static void backpressureHolds(PairFactory factory, int bytes, Duration wait) throws Exception {
        ByteStream[] p = factory.open();
        byte[] payload = pattern(bytes, 11);
        boolean[] sent = {false};
        byte[][] got = new byte[1][];
        Nursery.open(n -> {
            n.start("sender", () -> {
                p[0].sendAll(payload);
                sent[0] = true;
                p[0].sendEof();
            });
            n.start("late-reader", () -> {
                Trellis.sleep(wait);
                check(!sent[0], "sendAll of " + bytes + " bytes completed while nobody was reading");
                got[0] = receiveAll(p[1]);
            });
        });
        check(Arrays.equals(got[0], payload), "bytes were lost under backpressure");
        p[0].close();
        p[1].close();
    }

    /** A check for pairs that reset after {@code resetAfter} bytes: both sides must see the reset. */
    public static void resetIsSeenByBothSides(PairFactory factory, long resetAfter) throws Exception {
        ByteStream[] p = factory.open();
        byte[] payload = pattern((int) resetAfter + 100, 7);
        boolean[] senderSaw = {false};
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean[] receiverSaw = {false};
        Nursery.open(n -> {
            n.start("sender", () -> {
                try {
                    p[0].sendAll(payload);
                    p[0].sendAll(payload);
                } catch (BrokenStreamException e) {
                    senderSaw[0] = true;
                }
            });
            n.start("receiver", () -> {
                byte[] buf = new byte[1024];
                try {
                    int r;
                    while ((r = p[1].receiveSome(buf, 0, buf.length)) > 0) {
                        got.write(buf, 0, r);
                    }
                } catch (BrokenStreamException e) {
                    receiverSaw[0] = true;
                }
            });
        });
        check(senderSaw[0], "the sender did not see the reset");
        check(receiverSaw[0], "the receiver did not see the reset (it saw end-of-stream or nothing)");
        check(Arrays.equals(got.toByteArray(), Arrays.copyOf(payload, (int) resetAfter)),
                "the receiver got " + got.size() + " bytes before the reset, expected the first " + resetAfter);
    }

    static void bothWays(PairFactory factory) throws Exception {
        ByteStream[] p = factory.open();
        byte[][] got = new byte[2][];
        try {
            // Sends and receives in separate tasks: a lockstep or tiny-buffer stream completes a
            // send only as the peer receives.
            Nursery.open(n -> {
                n.start("a-sends", () -> p[0].sendAll(bytes("hello")));
                n.start("b-receives", () -> got[0] = receiveExactly(p[1], 5));
            });
            Nursery.open(n -> {
                n.start("b-sends", () -> p[1].sendAll(bytes("world!")));
                n.start("a-receives", () -> got[1] = receiveExactly(p[0], 6));
            });
            check(Arrays.equals(got[0], bytes("hello")), "a→b lost or changed bytes");
            check(Arrays.equals(got[1], bytes("world!")), "b→a lost or changed bytes");
        } finally {
            p[0].close();
            p[1].close();
        }
    }

    static void halfClose(PairFactory factory) throws Exception {
        ByteStream[] p = factory.open();
        byte[][] got = new byte[2][];
        int[] after = {0};
        try {
            Nursery.open(n -> {
                n.start("a-sends", () -> {
                    p[0].sendAll(bytes("last words"));
                    p[0].sendEof();
                    p[0].sendEof();   // idempotent
                });
                n.start("b-receives", () -> {
                    got[0] = receiveAll(p[1]);
                    after[0] = p[1].receiveSome(new byte[8], 0, 8);
                });
            });
            check(Arrays.equals(got[0], bytes("last words")), "bytes before end-of-stream were lost");
            check(after[0] == -1, "end-of-stream is not sticky");
            Nursery.open(n -> {
                n.start("b-replies", () -> p[1].sendAll(bytes("reply")));
                n.start("a-receives", () -> got[1] = receiveExactly(p[0], 5));
            });
            check(Arrays.equals(got[1], bytes("reply")), "the other direction closed with the half-close");
            expect(ClosedResourceException.class, () -> p[0].sendAll(bytes("x")), "send after sendEof");
        } finally {
            p[0].close();
            p[1].close();
        }
    }

    static void closeWhilePeerReceives(PairFactory factory) throws Exception {
        ByteStream[] p = factory.open();
        int[] result = {0};
        Nursery.open(n -> {
            n.start("receiver", () -> result[0] = p[1].receiveSome(new byte[16], 0, 16));
            n.start("closer", () -> {
                Trellis.sleep(Duration.ofMillis(20));
                p[0].close();
            });
        });
        check(result[0] == -1, "the waiting receiver got " + result[0] + " instead of end-of-stream");
        p[1].close();
    }

    static void sendAfterPeerClosed(PairFactory factory) throws Exception {
        ByteStream[] p = factory.open();
        p[1].close();
        boolean broken = false;
        for (int i = 0; i < 1_000 && !broken; i++) {
            try {
                p[0].sendAll(pattern(1_024, i));
                Trellis.sleep(Duration.ofMillis(1));
            } catch (BrokenStreamException e) {
                broken = true;
            }
        }
        check(broken, "1,000 sends to a closed peer all succeeded");
        p[0].close();
    }

    static void useAfterClose(PairFactory factory) throws Exception {
        ByteStream[] p = factory.open();
        p[0].close();
        p[0].close();   // idempotent
        expect(ClosedResourceException.class, () -> p[0].sendAll(bytes("x")), "send after close");
        expect(ClosedResourceException.class, () -> p[0].receiveSome(new byte[1], 0, 1), "receive after close");
        expect(ClosedResourceException.class, p[0]::sendEof, "sendEof after close");
        p[1].close();
    }

    static void concurrentReceive(PairFactory factory) throws Exception {
        ByteStream[] p = factory.open();
        List<Class<?>> outcomes = new ArrayList<>();
        Nursery.open(n -> {
            for (int i = 0; i < 2; i++) {
                n.start("receiver-" + i, () -> {
                    try {
                        byte[] buf = new byte[4];
                        int got = p[1].receiveSome(buf, 0, 4);
                        outcomes.add(Integer.class);
                        while (got < 4) {   // take all of "wake", so a lockstep sender can finish
                            got += p[1].receiveSome(buf, got, 4 - got);
                        }
                    } catch (BusyResourceException e) {
                        outcomes.add(BusyResourceException.class);
                        p[0].sendAll(bytes("wake"));   // release the receiver that got in first
                    }
                });
            }
        });
        check(outcomes.contains(BusyResourceException.class), "two receivers at once were both allowed: " + outcomes);
        p[0].close();
        p[1].close();
    }

    static void largeTransfer(PairFactory factory, int size) throws Exception {
        ByteStream[] p = factory.open();
        byte[] ab = pattern(size, 1);
        byte[] ba = pattern(size / 2, 2);
        byte[][] got = new byte[2][];
        Nursery.open(n -> {
            n.start("a-sends", () -> { p[0].sendAll(ab); p[0].sendEof(); });
            n.start("b-sends", () -> { p[1].sendAll(ba); p[1].sendEof(); });
            n.start("b-receives", () -> got[0] = receiveAll(p[1]));
            n.start("a-receives", () -> got[1] = receiveAll(p[0]));
        });
        check(Arrays.equals(got[0], ab), "a→b: " + got[0].length + " bytes arrived of " + ab.length + ", or in the wrong order");
        check(Arrays.equals(got[1], ba), "b→a: " + got[1].length + " bytes arrived of " + ba.length + ", or in the wrong order");
        p[0].close();
        p[1].close();
    }

    /** trio's "time out a read, then retry": the timeout must end the wait, not the stream. */
    static void retryAfterCancelledReceive(PairFactory factory) throws Exception {
        ByteStream[] p = factory.open();
        try {
            CancelScope timedOut = CancelScope.moveOnAfter(Duration.ofMillis(20), () -> p[1].receiveSome(new byte[16], 0, 16));
            check(timedOut.cancelledCaught(), "a receive with nothing sent returned before its deadline");
            byte[][] got = new byte[2][];
            Nursery.open(n -> {
                n.start("a-sends", () -> p[0].sendAll(bytes("after")));
                n.start("b-retries", () -> got[0] = receiveExactly(p[1], 5));
            });
            check(Arrays.equals(got[0], bytes("after")), "the retry after a cancelled receive did not get the bytes sent later");
            Nursery.open(n -> {
                n.start("b-sends", () -> p[1].sendAll(bytes("reply")));
                n.start("a-receives", () -> got[1] = receiveExactly(p[0], 5));
            });
            check(Arrays.equals(got[1], bytes("reply")), "the other direction broke with the cancelled receive");
        } finally {
            p[0].close();
            p[1].close();
        }
    }

    /**
     * The bytes land just as the receive's deadline passes: whichever wins, the receive either
     * returns some of them or is cancelled having taken none, and the rest arrive after.
     */
    static void receiveCancelledAsBytesArrive(PairFactory factory) throws Exception {
        ByteStream[] p = factory.open();
        byte[] payload = pattern(100, 5);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            Nursery.open(n -> {
                n.start("a-sends-at-the-deadline", () -> {
                    Trellis.sleep(Duration.ofMillis(20));
                    p[0].sendAll(payload);
                    p[0].sendEof();
                });
                n.start("b-receives-with-a-timeout", () -> {
                    byte[] buf = new byte[64];
                    CancelScope.moveOnAfter(Duration.ofMillis(20), () -> {
                        int r = p[1].receiveSome(buf, 0, buf.length);
                        check(r > 0, "end-of-stream before any byte");
                        got.write(buf, 0, r);
                    });
                    got.writeBytes(receiveAll(p[1]));
                });
            });
            check(Arrays.equals(got.toByteArray(), payload),
                    "a receive cancelled as bytes arrived lost or changed some: got " + got.size() + " of " + payload.length);
        } finally {
            p[0].close();
            p[1].close();
        }
    }

    /** Receives until end-of-stream. */
    public static byte[] receiveAll(ByteStream s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = s.receiveSome(buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Receives exactly {@code n} bytes; end-of-stream before that is a failure. */
    public static byte[] receiveExactly(ByteStream s, int n) {
        byte[] out = new byte[n];
        receiveExactly(s, out, n);
        return out;
    }

    /** Receives exactly {@code n} bytes into the start of {@code into}; end-of-stream before that is a failure. */
    public static void receiveExactly(ByteStream s, byte[] into, int n) {
        int got = 0;
        while (got < n) {
            int r = s.receiveSome(into, got, n - got);
            check(r > 0, "end-of-stream after " + got + " of " + n + " bytes");
            got += r;
        }
    }

    /** Deterministic bytes for a size and a salt. */
    public static byte[] pattern(int size, long salt) {
        byte[] b = new byte[size];
        new SplittableRandom(salt).nextBytes(b);
        return b;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("stream conformance: " + what);
        }
    }

    private static void expect(Class<? extends Throwable> type, Check body, String what) {
        try {
            body.run();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                return;
            }
            throw new AssertionError("stream conformance: " + what + " threw " + t + ", expected " + type.getSimpleName(), t);
        }
        throw new AssertionError("stream conformance: " + what + " did not throw " + type.getSimpleName());
    }
}

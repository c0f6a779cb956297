package dev.trellis.apps;

import dev.trellis.check.HappyEyeballsEvents;

import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.Cancelled;
import dev.trellis.runtime.ConnectException;
import dev.trellis.runtime.Event;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Happy Eyeballs (RFC 8305 §5) as trio's {@code open_tcp_stream} does it: try a host's addresses
 * one at a time, but start the next one as soon as the previous attempt fails or {@code delay}
 * after it started, whichever comes first; the first connection to succeed wins and every other
 * attempt is cancelled, any stream it opened closed. The attempts run in a nursery, so none
 * outlives the call.
 *
 * {@snippet :
 * try (ByteStream s = HappyEyeballs.connect("example.com", 80)) {   // 250 ms stagger
 *     s.sendAll(request);
 * }
 * }
 *
 * <p>Records typed trace events for checks to read ({@link HappyEyeballsEvents}, judged by
 * {@code dev.trellis.check.HappyEyeballsInvariants}):
 * {@value #BEGIN} (subject: how many addresses, value: the delay in ns), then per attempt i
 * (the subject) {@value #START}, and one of {@value #FAIL}, {@value #CONNECTED} or
 * {@value #CANCEL}; after {@code CONNECTED} either {@value #WIN} or, for a connection that lost a
 * race at the same instant, {@value #CLOSE}; {@value #END} when its task ends; finally
 * {@value #RESULT} (subject: the winner, or -1 when every attempt failed). One connect per
 * execution is what the invariants read.
 */
public final class HappyEyeballs {
    /** RFC 8305's recommended "Connection Attempt Delay", and trio's default. */
    public static final Duration DEFAULT_DELAY = Duration.ofMillis(250);

    public static final String BEGIN = HappyEyeballsEvents.BEGIN;
    public static final String START = HappyEyeballsEvents.START;
    public static final String FAIL = HappyEyeballsEvents.FAIL;
    public static final String CONNECTED = HappyEyeballsEvents.CONNECTED;
    public static final String WIN = HappyEyeballsEvents.WIN;
    public static final String CANCEL = HappyEyeballsEvents.CANCEL;
    public static final String CLOSE = HappyEyeballsEvents.CLOSE;
    public static final String END = HappyEyeballsEvents.END;
    public static final String RESULT = HappyEyeballsEvents.RESULT;

    private HappyEyeballs() {}

    /** Connects to {@code host} with the default 250 ms delay between attempts. */
    public static ByteStream connect(String host, int port) throws Exception {
        return connect(host, port, DEFAULT_DELAY);
    }

    /** Connects to {@code host} over the current runtime's network, staggering attempts by {@code delay}. */
    public static ByteStream connect(String host, int port, Duration delay) throws Exception {
        return connect(Network.current(), host, port, delay);
    }

    /**
     * Connects to {@code host} over {@code net}. Never returns null.
     *
     * @throws ConnectException when the host is unknown, or when every attempt failed: then one
     *                          exception with each attempt's failure suppressed, in address order
     */
    public static ByteStream connect(Network net, String host, int port, Duration delay) throws Exception {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("the Happy Eyeballs delay must not be negative, was [" + delay + "]");
        }
        List<String> ips = net.resolve(host);
        if (ips.isEmpty()) {
            throw new ConnectException("no addresses for " + host + ":" + port);
        }
        Trellis.event(BEGIN, ips.size(), delay.toNanos());
        Race race = new Race(ips.size());
        try {
            Nursery.open(nursery -> {
                for (int i = 0; i < ips.size(); i++) {
                    Event failed = new Event();
                    int index = i;
                    Address target = Address.of(ips.get(i), port);
                    Trellis.event(START, i, 0);
                    nursery.start("he-attempt-" + i + " " + target, () -> attempt(net, target, index, race, failed, nursery));
                    // Give this attempt until it fails or the delay passes. A win cancels the
                    // nursery's scope, which ends this wait too and starts nothing more.
                    CancelScope.moveOnAfter(delay, failed::await);
                }
            });
        } catch (Throwable t) {
            // Cancelled from outside (or a bug in an attempt) after a win: the stream is nobody's.
            ByteStream won = race.winnerStream();
            if (won != null) {
                won.close();
            }
            throw t;
        }
        ByteStream won = race.winnerStream();
        if (won != null) {
            Trellis.event(RESULT, race.winner.get(), 0);
            return won;
        }
        Trellis.event(RESULT, -1, 0);
        ConnectException all = new ConnectException("all " + ips.size() + " attempts to connect to " + host + ":"
                + port + " failed");
        for (int i = 0; i < ips.size(); i++) {
            all.addSuppressed(race.failures.get(i));
        }
        throw all;
    }

    private static void attempt(Network net, Address target, int index, Race race, Event failed, Nursery nursery) {
        try {
            ByteStream stream;
            try {
                stream = net.connect(target);
            } catch (ConnectException e) {
                // Kept for the final report; the next attempt may go ahead now.
                race.failures.set(index, e);
                Trellis.event(FAIL, index, 0);
                failed.set();
                return;
            } catch (Cancelled c) {
                Trellis.event(CANCEL, index, 0);
                throw c;
            }
            Trellis.event(CONNECTED, index, 0);
            // Two connects can finish in the same batch; tasks run one at a time on either engine,
            // so a read then a write would do, but a compare-and-set says so without a comment
            // about the scheduler. The loser of that race closes its own.
            if (race.winner.compareAndSet(-1, index)) {
                race.streams.set(index, stream);
                Trellis.event(WIN, index, 0);
                nursery.cancelScope().cancel();
            } else {
                stream.close();
                Trellis.event(CLOSE, index, 0);
            }
        } finally {
            Trellis.event(END, index, 0);
        }
    }

    /** What the attempts share: who won, their streams, their failures, each slot by attempt index. */
    private static final class Race {
        final AtomicInteger winner = new AtomicInteger(-1);
        final AtomicReferenceArray<ByteStream> streams;
        final AtomicReferenceArray<Throwable> failures;

        Race(int n) {
            streams = new AtomicReferenceArray<>(n);
            failures = new AtomicReferenceArray<>(n);
        }

        ByteStream winnerStream() {
            int w = winner.get();
            return w < 0 ? null : streams.get(w);
        }
    }
}

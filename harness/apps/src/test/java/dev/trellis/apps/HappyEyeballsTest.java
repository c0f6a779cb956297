package dev.trellis.apps;

import dev.trellis.check.AddressBehaviour;
import dev.trellis.check.HappyEyeballsInvariants;
import dev.trellis.check.Invariant;
import dev.trellis.check.StructuralInvariants;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.Body;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.ConnectException;
import dev.trellis.runtime.Event;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.SimNetwork;
import dev.trellis.sim.Simulation;
import dev.trellis.sim.Sims;
import dev.trellis.trace.Trace;
import dev.trellis.trace.TraceKind;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.trellis.check.AddressBehaviour.hangs;
import static dev.trellis.check.AddressBehaviour.refusedAfter;
import static dev.trellis.check.AddressBehaviour.succeedsAfter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Happy Eyeballs under the simulator, against {@link HappyEyeballsModel}: every scripted mix of
 * addresses gives the model's winner at the model's virtual time on every seed and strategy, and
 * the invariants of {@link HappyEyeballsInvariants} hold, and catch a variant that forgets to
 * cancel the losers.
 */
class HappyEyeballsTest {
    static final Duration DELAY = HappyEyeballs.DEFAULT_DELAY;
    static final Duration GIVE_UP = Duration.ofSeconds(10);
    static final String HOST = "he.test";
    static final int PORT = 443;
    static final String RETURNED = "test.connect-returned";

    /**
     * The times are chosen so that no two successes and no success and a start coincide (100 and
     * 400 against a 250 ms delay): the winner is then one attempt, not a race the schedule decides.
     * {@code everyMixIsTieFree} keeps it so.
     */
    static final List<AddressBehaviour> BEHAVIOURS = List.of(
            succeedsAfter(Duration.ofMillis(100)), succeedsAfter(Duration.ofMillis(400)),
            refusedAfter(Duration.ofMillis(100)), refusedAfter(Duration.ofMillis(400)), hangs());

    /** (strategy, seeds) pairs every mix runs under. */
    static final List<String> STRATEGIES = List.of("random", "pct:2");
    static final int SEEDS = 3;

    interface Connector {
        ByteStream connect(String host, int port, Duration delay) throws Exception;
    }

    /** What the client and the servers saw, written by the body of one execution. */
    static final class Observed {
        int winner;
        long timeNanos;
        ConnectException failure;
        boolean gaveUp;

        void reset() {
            winner = -1;
            timeNanos = -1;
            failure = null;
            gaveUp = false;
        }
    }

    /**
     * One client connecting to {@link #HOST}, whose addresses behave as {@code addresses} say. A
     * server on each address that succeeds names the winner: the client sends one byte on the
     * stream it got, and only the server at the far end receives it.
     */
    static Body scenario(List<AddressBehaviour> addresses, Connector connector, Observed obs) {
        return () -> {
            obs.reset();
            SimNetwork net = SimNetwork.current();
            String[] ips = new String[addresses.size()];
            for (int i = 0; i < ips.length; i++) {
                ips[i] = "10.0.0." + (i + 1);
            }
            net.addHost(HOST, ips);
            Nursery.open(nursery -> {
                Event served = new Event();
                for (int i = 0; i < ips.length; i++) {
                    AddressBehaviour b = addresses.get(i);
                    switch (b.kind()) {
                        case SUCCEEDS -> {
                            net.connectRule(ips[i], b.after(), false);
                            Listener listener = net.listen(Address.of(ips[i], PORT));
                            int index = i;
                            nursery.start("server-" + i, () -> serve(listener, index, obs, served));
                        }
                        case REFUSED -> net.connectRule(ips[i], b.after(), true);
                        case HANGS -> net.connectHangs(ips[i]);
                    }
                }
                CancelScope client = CancelScope.moveOnAfter(GIVE_UP, () -> {
                    ByteStream stream;
                    try {
                        stream = connector.connect(HOST, PORT, DELAY);
                    } catch (ConnectException e) {
                        obs.timeNanos = Trellis.now().toNanos();
                        obs.failure = e;
                        return;
                    } finally {
                        Trellis.event(RETURNED, 0, 0);
                    }
                    obs.timeNanos = Trellis.now().toNanos();
                    try (stream) {
                        stream.sendAll(new byte[] {1});
                        served.await();
                    }
                });
                obs.gaveUp = client.cancelledCaught();
                nursery.cancelScope().cancel();
            });
        };
    }

    private static void serve(Listener listener, int index, Observed obs, Event served) {
        try (listener) {
            while (true) {
                try (ByteStream s = listener.accept()) {
                    // A loser that connected and closed sends nothing: end-of-stream.
                    if (s.receiveSome(1).length == 1) {
                        obs.winner = index;
                        served.set();
                    }
                }
            }
        }
    }

    static Result run(Body body, List<AddressBehaviour> addresses, String strategy, long seed) {
        List<Invariant> invariants = new ArrayList<>(StructuralInvariants.all());
        invariants.addAll(HappyEyeballsInvariants.all(addresses));
        return Simulation.result(body, seed, SimConfig.defaults().withStrategy(strategy).withInvariants(invariants));
    }

    /**
     * Times on the boundaries: a refusal exactly at the delay (both reasons to go on at once) and
     * a success at the instant the next attempt is due (whether that one starts is the schedule's
     * choice; the winner and the time are not).
     */
    static final List<AddressBehaviour> BOUNDARIES = List.of(
            succeedsAfter(DELAY), refusedAfter(DELAY), hangs());

    /** Every list of 1 to 4 behaviours drawn from {@code behaviours}, in a fixed order. */
    static List<List<AddressBehaviour>> everyMix(List<AddressBehaviour> behaviours) {
        List<List<AddressBehaviour>> out = new ArrayList<>();
        List<List<AddressBehaviour>> shorter = List.of(List.of());
        for (int n = 1; n <= 4; n++) {
            List<List<AddressBehaviour>> longer = new ArrayList<>();
            for (List<AddressBehaviour> prefix : shorter) {
                for (AddressBehaviour b : behaviours) {
                    List<AddressBehaviour> mix = new ArrayList<>(prefix);
                    mix.add(b);
                    longer.add(List.copyOf(mix));
                }
            }
            out.addAll(longer);
            shorter = longer;
        }
        return out;
    }

    @Nested
    class AgainstTheModel {
        @Test
        void everyMixIsTieFree() {
            List<List<AddressBehaviour>> mixes = everyMix(BEHAVIOURS);
            assertThat(mixes).hasSize(5 + 25 + 125 + 625);
            for (List<AddressBehaviour> mix : mixes) {
                assertThat(HappyEyeballsModel.of(mix, DELAY.toNanos()).winners()).as("%s", mix).hasSizeLessThanOrEqualTo(1);
            }
        }

        @Test
        void everyMixGivesTheModelsWinnerAndTimeOnEverySeedWithNoAttemptLeft() {
            assertThat(runEveryMix(BEHAVIOURS, true)).isEqualTo(780 * STRATEGIES.size() * SEEDS * Sims.budget());
        }

        @Test
        void mixesOnTheBoundariesToo() {
            assertThat(runEveryMix(BOUNDARIES, false)).isEqualTo(120 * STRATEGIES.size() * SEEDS * Sims.budget());
        }

        /** Runs every mix on every seed; {@code exactStarts} when no success coincides with a start. */
        private int runEveryMix(List<AddressBehaviour> behaviours, boolean exactStarts) {
            Observed obs = new Observed();
            int runs = 0;
            for (List<AddressBehaviour> mix : everyMix(behaviours)) {
                HappyEyeballsModel expected = HappyEyeballsModel.of(mix, DELAY.toNanos());
                Body body = scenario(mix, HappyEyeballs::connect, obs);
                for (String strategy : STRATEGIES) {
                    for (long seed = 0; seed < (long) SEEDS * Sims.budget(); seed++) {
                        Result r = run(body, mix, strategy, seed);
                        String where = mix + " on seed " + seed + " with " + strategy;
                        if (!r.ok()) {
                            fail(where + ": " + (r.failure() != null ? r.failure().getMessage() : r.bodyFailure()));
                        }
                        assertMatches(expected, obs, mix, where);
                        assertNoAttemptOutlivesConnect(r.trace(), where);
                        int started = spawned(r.trace(), "he-attempt-");
                        assertThat(started).as("attempts started, " + where)
                                .isBetween(expected.started(), exactStarts ? expected.started() : expected.started() + 1);
                        runs++;
                    }
                }
            }
            return runs;
        }

        @Test
        void twoConnectionsAtTheSameInstantGiveOneWinnerAndTheOtherStreamClosed() {
            // Attempt 1 starts at 250 ms and connects at 500 ms, as attempt 0 does: a race.
            List<AddressBehaviour> mix = List.of(succeedsAfter(Duration.ofMillis(500)), succeedsAfter(Duration.ofMillis(250)));
            HappyEyeballsModel expected = HappyEyeballsModel.of(mix, DELAY.toNanos());
            assertThat(expected.winners()).containsExactly(0, 1);
            Observed obs = new Observed();
            Body body = scenario(mix, HappyEyeballs::connect, obs);
            for (long seed = 0; seed < 50; seed++) {
                Result r = run(body, mix, "random", seed);
                assertThat(r.ok()).as("seed %d: %s", seed, r).isTrue();
                assertMatches(expected, obs, mix, "seed " + seed);
            }
        }
    }

    @Nested
    class TheInvariantsCatchACarelessVariant {
        @Test
        void aHangingLoserLeftRunningIsReportedWithTheEventsAndTime() {
            List<AddressBehaviour> mix = List.of(hangs(), succeedsAfter(Duration.ofMillis(100)));
            Body body = scenario(mix, CarelessHappyEyeballs::connect, new Observed());
            for (long seed = 0; seed < 10; seed++) {
                Result r = run(body, mix, seed % 2 == 0 ? "random" : "pct:2", seed);
                assertThat(r.failure()).as("seed %d", seed).isNotNull();
                assertThat(r.failure().getMessage())
                        .contains("he-losers-cancelled-and-closed")
                        .contains("attempt 0 was still connecting when attempt 1 won at 350ms and was not cancelled then; it ended at 10000ms")
                        .contains("he.win 1 0");
            }
        }

        @Test
        void aLoserThatConnectsAfterTheWinKeepingItsStreamIsReported() {
            List<AddressBehaviour> mix = List.of(succeedsAfter(Duration.ofMillis(400)), succeedsAfter(Duration.ofMillis(100)));
            Body body = scenario(mix, CarelessHappyEyeballs::connect, new Observed());
            for (long seed = 0; seed < 10; seed++) {
                Result r = run(body, mix, "random", seed);
                assertThat(r.failure()).as("seed %d", seed).isNotNull();
                assertThat(r.failure().getMessage())
                        .contains("attempt 0 connected at 400ms after attempt 1 had won, and never closed its stream");
            }
        }

        @Test
        void theCorrectConnectPassesTheSameMixes() {
            for (List<AddressBehaviour> mix : List.of(List.of(hangs(), succeedsAfter(Duration.ofMillis(100))),
                    List.of(succeedsAfter(Duration.ofMillis(400)), succeedsAfter(Duration.ofMillis(100))))) {
                Body body = scenario(mix, HappyEyeballs::connect, new Observed());
                for (long seed = 0; seed < 10; seed++) {
                    assertThat(run(body, mix, "random", seed).ok()).isTrue();
                }
            }
        }
    }

    @Nested
    class Reports {
        @Test
        void theSameSeedGivesTheSameTraceTwice() {
            List<AddressBehaviour> mix = List.of(hangs(), refusedAfter(Duration.ofMillis(100)), succeedsAfter(Duration.ofMillis(400)));
            Body body = scenario(mix, HappyEyeballs::connect, new Observed());
            for (long seed = 0; seed < 5; seed++) {
                assertThat(run(body, mix, "pct:2", seed).traceHash()).isEqualTo(run(body, mix, "pct:2", seed).traceHash());
            }
        }

        /**
         * The careless variant's report, word for word, against a golden file (as the other failure
         * texts are): after a deliberate change, regenerate with -Dtrellis.updateGolden=true.
         */
        @Test
        void aViolationQuotesTheEventsWithTheirVirtualTimes() throws IOException {
            List<AddressBehaviour> mix = List.of(hangs(), succeedsAfter(Duration.ofMillis(100)));
            String actual = run(scenario(mix, CarelessHappyEyeballs::connect, new Observed()), mix, "random", 0)
                    .failure().getMessage();
            dev.trellis.golden.GoldenFiles.assertGolden("happy-eyeballs-careless.txt", actual, "the careless variant's report");
        }
    }

    static void assertMatches(HappyEyeballsModel expected, Observed obs, List<AddressBehaviour> mix, String where) {
        switch (expected.outcome()) {
            case CONNECTED -> {
                assertThat(obs.failure).as("failure, " + where).isNull();
                assertThat(obs.gaveUp).as("gave up, " + where).isFalse();
                assertThat(expected.winners()).as("winner, " + where).contains(obs.winner);
                assertThat(obs.timeNanos).as("time, " + where).isEqualTo(expected.timeNanos());
            }
            case ALL_FAILED -> {
                assertThat(obs.failure).as("failure, " + where).isNotNull();
                assertThat(obs.failure.getSuppressed()).as("suppressed, " + where).hasSize(mix.size())
                        .allMatch(t -> t instanceof ConnectException);
                assertThat(obs.timeNanos).as("time, " + where).isEqualTo(expected.timeNanos());
            }
            case HANGS -> {
                assertThat(obs.gaveUp).as("gave up, " + where).isTrue();
                assertThat(obs.timeNanos).as("time, " + where).isEqualTo(-1);
            }
        }
    }

    /** From the kernel's own records, not Happy Eyeballs' events: each attempt task ended before connect came back. */
    static void assertNoAttemptOutlivesConnect(Trace t, String where) {
        int returned = t.events(RETURNED).get(0).index();
        for (Trace.Event spawn : t.events(TraceKind.SPAWN)) {
            if (!spawn.text().startsWith("he-attempt-")) {
                continue;
            }
            int end = -1;
            for (Trace.Event e : t.events(TraceKind.END)) {
                if (e.task() == spawn.task()) {
                    end = e.index();
                }
            }
            assertThat(end).as("end of '" + spawn.text() + "', " + where).isBetween(0, returned);
        }
    }

    static int spawned(Trace t, String prefix) {
        return (int) t.events(TraceKind.SPAWN).stream().filter(e -> e.text().startsWith(prefix)).count();
    }
}

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
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Nursery;
import dev.trellis.sim.SimNetwork;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static dev.trellis.check.AddressBehaviour.hangs;
import static dev.trellis.check.AddressBehaviour.succeedsAfter;

/**
 * The buggy programs of these tests as the bug benchmark ({@code trellis bench --bugs}, which
 * ships them in the CLI's jar) sees them: public, and free of JUnit and AssertJ, so that loading
 * them needs nothing a test run alone brings.
 */
public final class BenchSubjects {
    private BenchSubjects() {}

    /** A seed-chat bug: its workload (which runs on either runtime) and whether a throwable is that bug. */
    public record SeedChatBug(String name, Body buggy, Predicate<Throwable> isTheBug) {}

    /** Every bug of {@link SeedChatBugs}, in its order. */
    public static List<SeedChatBug> seedChatBugs() {
        return SeedChatBugs.all().stream().map(b -> new SeedChatBug(b.name(), b.buggy(), b.isTheBug())).toList();
    }

    /** The addresses of the careless Happy Eyeballs' scenario: the first hangs, the second answers after 100 ms. */
    public static final List<AddressBehaviour> CARELESS_MIX = List.of(hangs(), succeedsAfter(Duration.ofMillis(100)));

    /**
     * {@link CarelessHappyEyeballs} connecting to a host whose addresses behave as
     * {@link #CARELESS_MIX} says, as {@code HappyEyeballsTest} runs it: the winner never cancels the
     * hanging loser, which {@link #happyEyeballsInvariants} reports. Simulator only: the addresses'
     * behaviour is the simulated network's.
     */
    public static Body carelessHappyEyeballs() {
        return () -> {
            SimNetwork net = SimNetwork.current();
            String[] ips = {"10.0.0.1", "10.0.0.2"};
            net.addHost("he.test", ips);
            Nursery.open(nursery -> {
                net.connectHangs(ips[0]);
                net.connectRule(ips[1], Duration.ofMillis(100), false);
                Listener listener = net.listen(Address.of(ips[1], 443));
                nursery.start("server-1", () -> {
                    try (listener) {
                        while (true) {
                            try (ByteStream s = listener.accept()) {
                                s.receiveSome(1);
                            }
                        }
                    }
                });
                CancelScope.moveOnAfter(Duration.ofSeconds(10), () -> {
                    try (ByteStream stream = CarelessHappyEyeballs.connect("he.test", 443, HappyEyeballs.DEFAULT_DELAY)) {
                        stream.sendAll(new byte[] {1});
                    } catch (ConnectException e) {
                        // judged by the invariants, from the trace
                    }
                });
                nursery.cancelScope().cancel();
            });
        };
    }

    /** The rules that judge {@link #carelessHappyEyeballs}: the structural ones and Happy Eyeballs'. */
    public static List<Invariant> happyEyeballsInvariants() {
        List<Invariant> all = new ArrayList<>(StructuralInvariants.all());
        all.addAll(HappyEyeballsInvariants.all(CARELESS_MIX));
        return all;
    }
}

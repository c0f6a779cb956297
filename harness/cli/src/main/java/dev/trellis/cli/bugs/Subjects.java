package dev.trellis.cli.bugs;

import dev.trellis.apps.BenchSubjects;
import dev.trellis.check.HistoryViolation;
import dev.trellis.lincheck.Linearizability;
import dev.trellis.real.RealRuntime;
import dev.trellis.runtime.Body;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimulationFailure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** The benchmark's subjects, each with what every tool needs, in a fixed order. */
final class Subjects {
    private Subjects() {}

    /**
     * StrategyCorpus's programs (given, with their Trellis side, by the command, which owns the
     * corpus), the seed chat's bugs, the careless Happy Eyeballs, the line echo, and
     * trellis-lincheck's broken channel and registry.
     */
    static List<Subject> all(List<Subject> corpus) {
        List<Subject> out = new ArrayList<>();
        for (Subject s : corpus) {
            StressRun.Trial port = ThreadPorts.CORPUS.get(s.name());
            Subject full = port == null ? s.notPorted("no port written") : s.withStress(port);
            if (s.name().equals("lost-update")) {
                full = full.withLincheck(new LincheckRun.Target(LincheckTargets.CounterTest.class, null));
            } else if (s.name().equals("broadcast-join")) {
                full = full.withLincheck(new LincheckRun.Target(LincheckTargets.ChatRoomTest.class,
                        LincheckTargets.ChatRoomSpec.class));
            }
            out.add(full);
        }
        for (BenchSubjects.SeedChatBug b : BenchSubjects.seedChatBugs()) {
            String name = "seed-chat/" + b.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
            out.add(Subject.of(name, "seed chat", b.name() + " (SeedChatBugs)", b.buggy(),
                            r -> r.failure() == null && r.bodyFailure() != null && b.isTheBug().test(r.bodyFailure()))
                    .withStress(onRealTcp(b.buggy(), b.isTheBug())));
        }
        out.add(Subject.of("careless-happy-eyeballs", "apps tests", "Happy Eyeballs that never cancels the losing "
                        + "attempts", BenchSubjects.carelessHappyEyeballs(),
                        r -> r.failure() instanceof SimulationFailure.InvariantViolated
                                && r.failure().getMessage().contains("he-losers-cancelled-and-closed"))
                .withInvariants(BenchSubjects.happyEyeballsInvariants())
                .notPorted("its addresses hang or answer after 100 ms by the simulated network's connect rules "
                        + "(SimNetwork), and its rules read the trace, which the real runtime does not keep"));
        Predicate<Throwable> echoBytes = t -> t instanceof HistoryViolation v && v.invariant().equals("echo-bytes");
        out.add(Subject.of("line-echo", "cli", "an echo handler that takes one receive for one line",
                        LineEcho.session(), r -> r.failure() == null && echoBytes.test(r.bodyFailure()))
                .withStress(onRealTcp(LineEcho.session(), echoBytes)));
        dev.trellis.lincheck.BenchSubjects.startVerifier();   // Lincheck's agent, before any execution
        out.add(linearizability("racy-channel", "a bounded channel that loses a value when two sends race",
                dev.trellis.lincheck.BenchSubjects.racyChannel())
                .withStress(ThreadPorts::racyChannel)
                .withLincheck(new LincheckRun.Target(LincheckTargets.ChannelTest.class, LincheckTargets.ChannelSpec.class)));
        out.add(linearizability("racy-registry", "a name registry whose join checks, then adds",
                dev.trellis.lincheck.BenchSubjects.racyRegistry())
                .withStress(ThreadPorts::racyRegistry)
                .withLincheck(new LincheckRun.Target(LincheckTargets.RegistryTest.class, dev.trellis.lincheck.Specs.Names.class)));
        return out;
    }

    private static Subject linearizability(String name, String description, Linearizability<?> check) {
        Predicate<Result> caught = r -> r.failure() instanceof SimulationFailure.InvariantViolated
                && r.failure().headline().startsWith(Linearizability.NAME);
        return Subject.of(name, "trellis-lincheck", description, dev.trellis.lincheck.BenchSubjects.body(check), caught)
                .withInvariants(List.of(dev.trellis.lincheck.BenchSubjects.invariant(check)));
    }

    /**
     * The same body on the real runtime, over loopback TCP: what a team that tests its server
     * for real would run in a loop. The simulator's stream options (chunking, resets, small
     * buffers) do not apply there; real TCP decides.
     */
    private static StressRun.Trial onRealTcp(Body body, Predicate<Throwable> isTheBug) {
        return () -> {
            try {
                RealRuntime.run(() -> {
                    body.run();
                    return null;
                });
                return false;
            } catch (Exception | AssertionError e) {
                if (anywhere(e, isTheBug)) {
                    return true;
                }
                throw e;
            }
        };
    }

    /** Whether {@code t}, a cause or a suppressed exception of it (as a nursery gathers them) passes {@code test}. */
    private static boolean anywhere(Throwable t, Predicate<Throwable> test) {
        if (t == null) {
            return false;
        }
        if (test.test(t)) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (anywhere(s, test)) {
                return true;
            }
        }
        return t.getCause() != t && anywhere(t.getCause(), test);
    }
}

package dev.trellis.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * Smaller versions of a scenario, each one change away, smallest effect on the scenario's size
 * first: a client gone, a client's count halved, a script step gone, a fault gone (a reset, a
 * latency, a partition, a connect rule, a client's own streams). What scenario shrinking tries.
 */
public final class ScenarioVariants {
    private ScenarioVariants() {}

    /** A variant and what it changed, in words. */
    public record Variant(Scenario scenario, String change) {}

    public static List<Variant> of(Scenario s) {
        List<Variant> out = new ArrayList<>();
        List<Scenario.Client> clients = s.clients();
        for (int i = 0; i < clients.size() && clients.size() > 1; i++) {
            List<Scenario.Client> fewer = new ArrayList<>(clients);
            Scenario.Client gone = fewer.remove(i);
            out.add(new Variant(withClients(s, fewer), "client " + label(gone) + " removed"));
        }
        for (int i = 0; i < clients.size(); i++) {
            Scenario.Client c = clients.get(i);
            if (c.count() != null && c.count() > 1) {
                out.add(new Variant(withClient(s, i, new Scenario.Client(c.name(), c.count() / 2, c.connectAt(), c.login(),
                        c.reads(), c.readFrom(), c.streams(), c.script())), "client " + label(c) + ": count " + c.count()
                        + " → " + c.count() / 2));
            }
        }
        for (int i = 0; i < clients.size(); i++) {
            Scenario.Client c = clients.get(i);
            boolean expects = c.script().stream().anyMatch(st -> st.expect() != null || st.expectRegex() != null);
            for (int j = 0; j < c.script().size(); j++) {
                Scenario.Step st = c.script().get(j);
                boolean sends = st.line() != null || st.text() != null || st.hex() != null || Boolean.TRUE.equals(st.halfClose());
                if (expects && sends) {
                    continue;   // what a client expects back depends on what it sent: keep its sends with its expects
                }
                List<Scenario.Step> steps = new ArrayList<>(c.script());
                steps.remove(j);
                out.add(new Variant(withClient(s, i, new Scenario.Client(c.name(), c.count(), c.connectAt(), c.login(),
                        c.reads(), c.readFrom(), c.streams(), steps)), "client " + label(c) + ": script step " + (j + 1)
                        + " removed"));
            }
            if (c.streams() != null) {
                out.add(new Variant(withClient(s, i, new Scenario.Client(c.name(), c.count(), c.connectAt(), c.login(),
                        c.reads(), c.readFrom(), null, c.script())), "client " + label(c) + ": its own streams removed"));
            }
        }
        Scenario.NetworkSpec n = s.network();
        Scenario.Streams st = n.streams();
        if (st != null && (st.resetAt() != null || st.resetWithin() != null)) {
            out.add(new Variant(withNetwork(s, new Scenario.NetworkSpec(new Scenario.Streams(st.preset(), st.capacity(),
                    st.chunking(), st.maxChunk(), st.latency(), null, null), n.connect(), n.partition())), "reset removed"));
        }
        if (st != null && st.latency() != null) {
            out.add(new Variant(withNetwork(s, new Scenario.NetworkSpec(new Scenario.Streams(st.preset(), st.capacity(),
                    st.chunking(), st.maxChunk(), null, st.resetAt(), st.resetWithin()), n.connect(), n.partition())),
                    "latency removed"));
        }
        if (n.partition() != null) {
            out.add(new Variant(withNetwork(s, new Scenario.NetworkSpec(st, n.connect(), null)), "partition removed"));
        }
        if (n.connect() != null) {
            out.add(new Variant(withNetwork(s, new Scenario.NetworkSpec(st, null, n.partition())), "connect rule removed"));
        }
        return out;
    }

    /** How many clients and script steps {@code s} has, counting each of a {@code count} as one. */
    public static int[] size(Scenario s) {
        int clients = 0;
        int steps = 0;
        for (Scenario.Client c : s.clients()) {
            int n = c.count() == null ? 1 : c.count();
            clients += n;
            steps += n * (c.script().size() + (c.login() == null ? 0 : 1));
        }
        return new int[] {clients, steps};
    }

    private static String label(Scenario.Client c) {
        return "'" + (c.name() != null ? c.name() : c.login()) + "'";
    }

    private static Scenario withClients(Scenario s, List<Scenario.Client> clients) {
        return new Scenario(s.description(), s.subject(), s.explore(), s.network(), clients, s.happyEyeballs(), s.runFor(),
                s.invariants(), s.expected());
    }

    private static Scenario withClient(Scenario s, int i, Scenario.Client c) {
        List<Scenario.Client> clients = new ArrayList<>(s.clients());
        clients.set(i, c);
        return withClients(s, clients);
    }

    private static Scenario withNetwork(Scenario s, Scenario.NetworkSpec n) {
        return new Scenario(s.description(), s.subject(), s.explore(), n, s.clients(), s.happyEyeballs(), s.runFor(),
                s.invariants(), s.expected());
    }
}

package dev.trellis.report;

import dev.trellis.apps.SeedChat;
import dev.trellis.check.ChatInvariants;
import dev.trellis.check.ConnectionLog;
import dev.trellis.check.HistoryViolation;
import dev.trellis.runtime.Body;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.Result;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.sim.SimulationFailure;
import dev.trellis.streams.StreamOptions;
import dev.trellis.testkit.ChatWorkload;
import dev.trellis.trace.Trace;

import java.time.Duration;
import java.util.List;

import static dev.trellis.testkit.ChatWorkload.line;

/** Real failing executions, made into reports the way a producer would. */
final class ReportFixtures {
    private ReportFixtures() {}

    /** Two withdrawals of 80 from 100, check and write split by a checkpoint (README's example). */
    static void overdraft() throws Exception {
        int[] balance = {100};
        Nursery.open(n -> {
            for (String who : new String[] {"alice", "bob"}) {
                n.start(who, () -> {
                    if (balance[0] >= 80) {
                        Trellis.checkpoint();
                        balance[0] -= 80;
                    }
                });
            }
        });
        if (balance[0] < 0) {
            throw new IllegalStateException("overdrawn: balance " + balance[0]);
        }
    }

    /** The first failing seed of the overdraft, as a report that expects a pass. */
    static ExecutionReport overdraftReport() {
        Result r = Simulation.explore(ReportFixtures::overdraft, 0, 100, SimConfig.defaults()).last();
        return report("bank/overdraft", "pass", "BodyFailed", r, List.of(), -1);
    }

    static ChatWorkload racyChat() {
        return new ChatWorkload(Duration.ofSeconds(1)).streams(StreamOptions.plain())
                .user("alice", 0, line(100, "from alice"))
                .user("bob", 10, line(100, "from bob"))
                .user("carol", 20)
                .user("dave", 30);
    }

    static Body chatBody(ChatWorkload w) {
        return w.body(SeedChat::new, Network.OnHandlerFailure.PROPAGATE, List.of(ChatInvariants.totalOrder()));
    }

    /** Seed chat's broadcast-order bug, a known one: the scenario expects chat-total-order to break. */
    static ExecutionReport chatReport() {
        ChatWorkload w = racyChat();
        for (long seed = 0; seed < 100; seed++) {
            Result r = Simulation.result(chatBody(w), seed, SimConfig.defaults());
            if (r.bodyFailure() instanceof HistoryViolation v) {
                List<ConnectionLog> logs = w.lastHistory().clients().stream().map(c -> c.log()).toList();
                return report("seed-chat/broadcast-order", v.invariant(), v.invariant(), r, logs,
                        v.violation().eventIndex());
            }
        }
        throw new AssertionError("no seed in 0..99 broke chat-total-order");
    }

    static ExecutionReport report(String scenario, String expected, String outcome, Result r,
                                  List<ConnectionLog> clients, int violation) {
        Throwable failure = r.failure() != null ? r.failure() : r.bodyFailure();
        String headline = failure instanceof SimulationFailure f ? f.headline() : failure.toString();
        String message = failure.getMessage();
        String replay = "./trellis replay reports/" + scenario + "/seed-" + r.seed() + "/trace.json";
        return new ExecutionReport(scenario, "scenarios/" + scenario + ".yaml", "name: " + scenario + "\n",
                r.schedule().text(), r.seed(), expected, outcome, headline, message, violation, r.trace(), clients, replay, null);
    }

    /** {@code r} with another trace and violating event: for hand-made traces. */
    static ExecutionReport withTrace(ExecutionReport r, Trace trace, int violation) {
        return new ExecutionReport(r.scenario(), r.scenarioFile(), r.scenarioText(), r.schedule(), r.seed(), r.expected(),
                r.outcome(), r.headline(), r.message(), violation, trace, r.clients(), r.replayCommand(), r.shrinking());
    }
}

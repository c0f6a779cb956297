package dev.trellis.sim;

import dev.trellis.runtime.Body;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.trace.TraceKind;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code dfs:P}, checked against counts worked out without it: by hand, by a formula for two
 * tasks, and by enumerating every schedule through {@link ChoiceList} and counting each one's
 * preemptions from the order its steps ran in.
 */
class DfsTest {
    /** More than any search here runs: the searches below end by exhaustion, not by this. */
    private static final long LIMIT = 10_000;

    private static SimConfig dfs(int bound) {
        return SimConfig.defaults().withStrategy("dfs:" + bound);
    }

    /**
     * Tasks a, b, c, ... started by main; task i takes {@code steps[i]} steps (a checkpoint between
     * each two). Adds to {@code log} the order the steps ran in ("a1 b1 a2 b2"), and throws when
     * that order is {@code bug}.
     */
    static Body tasks(List<String> log, String bug, int... steps) {
        return () -> {
            StringBuilder order = new StringBuilder();
            Nursery.open(n -> {
                for (int t = 0; t < steps.length; t++) {
                    String name = String.valueOf((char) ('a' + t));
                    int k = steps[t];
                    n.start(name, () -> {
                        for (int s = 1; s <= k; s++) {
                            if (s > 1) {
                                Trellis.checkpoint();
                            }
                            order.append(name).append(s).append(' ');
                        }
                    });
                }
            });
            String o = order.toString().strip();
            log.add(o);
            if (o.equals(bug)) {
                throw new IllegalStateException("the bug: " + o);
            }
        };
    }

    /**
     * The preemptions in an order of steps, from the program's meaning alone: a switch away from a
     * task that has steps left is one (it was ready); a switch away from a task that ended is not.
     */
    static int preemptions(String order, int... steps) {
        String[] s = order.split(" ");
        int p = 0;
        for (int i = 1; i < s.length; i++) {
            char prev = s[i - 1].charAt(0);
            int prevStep = Integer.parseInt(s[i - 1].substring(1));
            if (s[i].charAt(0) != prev && prevStep < steps[prev - 'a']) {
                p++;
            }
        }
        return p;
    }

    /**
     * Every schedule of {@code tasks(steps)}, found without dfs: run a {@link ChoiceList}, read the
     * choices it made from the trace, and move to the next list in lexicographic order. Maps each
     * order of steps to its trace hash.
     */
    static Map<String, Long> everySchedule(int... steps) {
        Map<String, Long> out = new LinkedHashMap<>();
        List<String> log = new ArrayList<>();
        List<Integer> choices = new ArrayList<>();
        while (true) {
            Result r = Simulation.result(tasks(log, null, steps), 0, SimConfig.defaults().withStrategy(ChoiceList.spec(choices)));
            assertThat(r.ok()).isTrue();
            assertThat(out.put(log.get(log.size() - 1), r.traceHash())).as("each list a new schedule").isNull();
            List<long[]> made = new ArrayList<>();
            for (int i = 0; i < r.trace().size(); i++) {
                if (r.trace().kind(i) == TraceKind.STEP && r.trace().a(i) > 1) {
                    made.add(new long[] {r.trace().a(i), r.trace().b(i)});
                }
            }
            int deepest = made.size() - 1;
            while (deepest >= 0 && made.get(deepest)[1] + 1 >= made.get(deepest)[0]) {
                deepest--;
            }
            if (deepest < 0) {
                return out;
            }
            choices = new ArrayList<>();
            for (int i = 0; i < deepest; i++) {
                choices.add((int) made.get(i)[1]);
            }
            choices.add((int) made.get(deepest)[1] + 1);
        }
    }

    /** Interleavings of two tasks of m and n steps with exactly c preemptions: c + 2 runs of steps. */
    static long twoTaskCount(int m, int n, int c) {
        int runs = c + 2;
        int k = runs / 2;
        return runs % 2 == 0
                ? 2 * binomial(m - 1, k - 1) * binomial(n - 1, k - 1)
                : binomial(m - 1, k) * binomial(n - 1, k - 1) + binomial(m - 1, k - 1) * binomial(n - 1, k);
    }

    private static long binomial(int n, int k) {
        if (k < 0 || k > n) {
            return 0;
        }
        long r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }

    /** The orders a clean dfs:bound search ran, in its order; fails if it did not end by exhaustion. */
    static List<String> search(int bound, long first, int... steps) {
        List<String> log = new ArrayList<>();
        Simulation.Exploration e = Simulation.explore(tasks(log, null, steps), first, LIMIT, dfs(bound));
        assertThat(e.ok()).isTrue();
        assertThat(e.exhausted()).isTrue();
        assertThat(e.executions()).isEqualTo(log.size());
        return log;
    }

    @Nested
    class Counts {
        @Test
        void twoTasksOfTwoStepsHaveTwoFourAndSixSchedulesWithinZeroOneAndTwoPreemptions() {
            // By hand: a1 a2 b1 b2 and b1 b2 a1 a2 need none; a1 b1 b2 a2 and b1 a1 a2 b2 one
            // (the switch back after the other task ends is free); a1 b1 a2 b2 and b1 a1 b2 a2 two.
            assertThat(search(0, 0, 2, 2)).containsExactlyInAnyOrder("a1 a2 b1 b2", "b1 b2 a1 a2");
            assertThat(search(1, 0, 2, 2)).hasSize(4);
            assertThat(search(2, 0, 2, 2)).hasSize(6);
            assertThat(search(3, 0, 2, 2)).hasSize(6);
        }

        @Test
        void choicesWhenNoTaskCouldContinueAreFree() {
            // Three one-step tasks: every order of them (3! = 6) and not one preemption.
            assertThat(search(0, 0, 1, 1, 1)).hasSize(6).doesNotHaveDuplicates();
        }

        @Test
        void twoTasksMatchTheFormulaAtEveryBound() {
            int[][] shapes = {{2, 2}, {3, 3}, {2, 4}, {4, 3}};
            for (int[] s : shapes) {
                long expected = 0;
                for (int p = 0; p <= 4; p++) {
                    expected += twoTaskCount(s[0], s[1], p);
                    assertThat(search(p, 0, s).size()).as("tasks of %d and %d steps, dfs:%d", s[0], s[1], p)
                            .isEqualTo(expected);
                }
            }
            assertThat(twoTaskCount(3, 3, 0) + twoTaskCount(3, 3, 1) + twoTaskCount(3, 3, 2)).isEqualTo(14);
        }

        @Test
        void eachSearchRunsExactlyTheSchedulesWithinItsBoundFewestPreemptionsFirst() {
            int[][] shapes = {{2, 2, 2}, {3, 1, 2}, {2, 3}};
            for (int[] s : shapes) {
                Map<String, Long> all = everySchedule(s);
                for (int p = 0; p <= 3; p++) {
                    int bound = p;
                    List<String> ran = search(p, 0, s);
                    List<String> within = all.keySet().stream().filter(o -> preemptions(o, s) <= bound).toList();
                    assertThat(ran).as("dfs:%d on %s", p, java.util.Arrays.toString(s))
                            .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(within);
                    List<Integer> counts = ran.stream().map(o -> preemptions(o, s)).toList();
                    assertThat(counts).as("fewest preemptions first").isSorted();
                }
            }
        }
    }

    @Nested
    class Bugs {
        @Test
        void everyScheduleWithinTwoPreemptionsIsFoundAfterAllWithFewer() {
            int[] steps = {3, 2, 2};
            Map<String, Long> all = everySchedule(steps);
            long[] upTo = new long[4];
            for (String o : all.keySet()) {
                for (int p = preemptions(o, steps); p < upTo.length; p++) {
                    upTo[p]++;
                }
            }
            int tried = 0;
            for (String bug : all.keySet()) {
                int p = preemptions(bug, steps);
                if (p > 2) {
                    continue;
                }
                List<String> log = new ArrayList<>();
                Simulation.Exploration e = Simulation.explore(tasks(log, bug, steps), 0, LIMIT, dfs(2));
                assertThat(e.ok()).as("dfs:2 finds %s", bug).isFalse();
                assertThat(e.last().bodyFailure()).hasMessage("the bug: " + bug);
                assertThat(e.executions()).as("%s, %d preemptions", bug, p)
                        .isGreaterThan(p == 0 ? 0 : upTo[p - 1]).isLessThanOrEqualTo(upTo[p]);
                assertThat(e.exhausted()).isFalse();
                tried++;
            }
            assertThat(tried).isEqualTo(upTo[2]).isGreaterThan(20);
        }

        @Test
        void aBugThatNeedsThreePreemptionsIsBeyondDfsTwo() {
            String bug = "a1 b1 a2 b2 a3";
            assertThat(preemptions(bug, 3, 2)).isEqualTo(3);
            Simulation.Exploration e = Simulation.explore(tasks(new ArrayList<>(), bug, 3, 2), 0, LIMIT, dfs(2));
            assertThat(e.ok()).isTrue();
            assertThat(e.summary()).isEqualTo("all 9 schedules with ≤ 2 preemptions explored, no failure");
            assertThat(Simulation.explore(tasks(new ArrayList<>(), bug, 3, 2), 0, LIMIT, dfs(3)).ok()).isFalse();
        }

        /** Each task reads what the other wrote: wrong only if they alternate a, b, a, b. */
        static void seeEachOther() throws Exception {
            int[] x = {0};
            Nursery.open(n -> {
                n.start("a", () -> {
                    x[0] = 1;
                    Trellis.checkpoint();
                    if (x[0] == 2) {
                        x[0] = 3;
                    }
                });
                n.start("b", () -> {
                    if (x[0] == 1) {
                        x[0] = 2;
                    }
                    Trellis.checkpoint();
                    if (x[0] == 3) {
                        throw new IllegalStateException("each saw the other");
                    }
                });
                n.start("noise", () -> {
                    Trellis.checkpoint();
                    Trellis.checkpoint();
                });
            });
        }

        @Test
        void aTwoPreemptionBugAmongNoiseIsFoundByDfsTwoAndNotByDfsOne() {
            Simulation.Exploration one = Simulation.explore(Bugs::seeEachOther, 0, LIMIT, dfs(1));
            assertThat(one.ok()).isTrue();
            assertThat(one.exhausted()).isTrue();
            Simulation.Exploration two = Simulation.explore(Bugs::seeEachOther, 0, LIMIT, dfs(2));
            assertThat(two.ok()).isFalse();
            assertThat(two.last().bodyFailure()).hasMessageContaining("each saw the other");
            assertThat(two.executions()).isGreaterThan(one.executions());
            assertThat(two.summary()).startsWith("execution " + two.executions() + " failed: the body threw");
        }
    }

    @Nested
    class Replays {
        private static final Pattern REPLAY = Pattern.compile("Schedule\\.parse\\(\"([^\"]*)\"\\)");

        @Test
        void aFailurePrintsAScheduleThatRunsItAloneWithTheSameHash() {
            String bug = "a1 b1 a2 b2";
            Body body = tasks(new ArrayList<>(), bug, 2, 2);
            Simulation.Exploration e = Simulation.explore(body, 0, LIMIT, dfs(2));
            String message = org.assertj.core.api.Assertions.catchThrowable(e::orThrow).getMessage();
            Matcher m = REPLAY.matcher(message);
            assertThat(m.find()).as(message).isTrue();
            assertThat(m.group(1)).startsWith("seed=" + (e.executions() - 1) + " strategy=dfs:2:#" + (e.executions() - 1) + ":data=0:");
            assertThat(message).contains("-D" + SimConfig.SCHEDULE_PROPERTY + "='" + m.group(1) + "'")
                    .doesNotContain("-D" + SimConfig.SEED_PROPERTY);
            Result alone = Simulation.result(body, Schedule.parse(m.group(1)));
            assertThat(alone.bodyFailure()).hasMessage("the bug: " + bug);
            assertThat(alone.traceHash()).isEqualTo(e.last().traceHash());
        }

        @Test
        void everyExecutionOfASearchRunsAloneFromItsSchedule() {
            int[] steps = {2, 2, 1};
            Map<String, Long> all = everySchedule(steps);
            int n = search(2, 0, steps).size();
            for (long k = 1; k <= n; k++) {
                List<String> log = new ArrayList<>();
                Result kth = Simulation.explore(tasks(log, null, steps), 0, k, dfs(2)).last();
                assertThat(kth.traceHash()).isEqualTo(all.get(log.get(log.size() - 1)));
                Result alone = Simulation.result(tasks(new ArrayList<>(), null, steps), Schedule.parse(kth.schedule().text()));
                assertThat(alone.traceHash()).as(kth.schedule().text()).isEqualTo(kth.traceHash());
            }
        }

        @Test
        void searchesOfTheWorkbenchProgramsRepeatAndReplay() {
            // Channels, timers, cancellation, failures, streams with drawn chunk sizes.
            for (Map.Entry<String, Body> p : Workbench.programs().entrySet()) {
                for (long k : new long[] {7, 40}) {
                    Simulation.Exploration e = Simulation.explore(p.getValue(), 0, k, dfs(2));
                    assertThat(e.ok()).as("%s: %s", p.getKey(), e.summary()).isTrue();
                    Result last = e.last();
                    assertThat(Simulation.explore(p.getValue(), 0, k, dfs(2)).last().traceHash()).as(p.getKey())
                            .isEqualTo(last.traceHash());
                    Result alone = Simulation.result(p.getValue(), Schedule.parse(last.schedule().text()));
                    assertThat(alone.traceHash()).as("%s: %s", p.getKey(), last.schedule()).isEqualTo(last.traceHash());
                }
            }
        }

        @Test
        void twoSearchesRunTheSameSchedulesInTheSameOrder() {
            int[] steps = {2, 2, 2};
            List<String> first = search(2, 0, steps);
            assertThat(search(2, 0, steps)).containsExactlyElementsOf(first);
            // The seed only feeds the data: without draws, every first seed gives the same search.
            assertThat(search(2, 1234, steps)).containsExactlyElementsOf(first);
            List<Long> hashes = new ArrayList<>();
            List<Long> again = new ArrayList<>();
            for (long k = 1; k <= 12; k++) {
                hashes.add(Simulation.explore(tasks(new ArrayList<>(), null, steps), 0, k, dfs(2)).last().traceHash());
                again.add(Simulation.explore(tasks(new ArrayList<>(), null, steps), 0, k, dfs(2)).last().traceHash());
            }
            assertThat(again).containsExactlyElementsOf(hashes);
            assertThat(new HashSet<>(hashes)).hasSize(12);
        }

        @Test
        void dataComesFromTheFirstSeedInEverySchedule() {
            List<Long> drawn = new ArrayList<>();
            Body body = () -> {
                drawn.add(Trellis.random(1_000_000_000));
                tasks(new ArrayList<>(), null, 2, 2).run();
            };
            Simulation.Exploration e = Simulation.explore(body, 7, LIMIT, dfs(1));
            assertThat(e.executions()).isEqualTo(4);
            assertThat(new HashSet<>(drawn)).hasSize(1);
            assertThat(e.last().strategy()).contains(":data=7");
            Result alone = Simulation.result(body, Schedule.parse(e.last().schedule().text()));
            assertThat(alone.traceHash()).isEqualTo(e.last().traceHash());
            assertThat(drawn.get(drawn.size() - 1)).isEqualTo(drawn.get(0));
            Simulation.explore(body, 8, 1, dfs(1));
            assertThat(drawn.get(drawn.size() - 1)).isNotEqualTo(drawn.get(0));
        }
    }

    @Nested
    class Endings {
        @Test
        void aCleanSearchSaysItRanEverySchedule() {
            Simulation.Exploration e = Simulation.explore(tasks(new ArrayList<>(), null, 2, 2), 0, LIMIT, dfs(2));
            assertThat(e.exhausted()).isTrue();
            assertThat(e.executions()).isEqualTo(6);
            assertThat(e.summary()).isEqualTo("all 6 schedules with ≤ 2 preemptions explored, no failure");
        }

        @Test
        void aSearchCutShortByTheCountSaysItWasNotExhausted() {
            Simulation.Exploration cut = Simulation.explore(tasks(new ArrayList<>(), null, 2, 2), 0, 5, dfs(2));
            assertThat(cut.ok()).isTrue();
            assertThat(cut.exhausted()).isFalse();
            assertThat(cut.summary()).isEqualTo("5 executions, no failure; the search was not exhausted: it stopped at "
                    + "the exploration's limit before every schedule with ≤ 2 preemptions had run");
            // A limit that is exactly the number of schedules is enough.
            assertThat(Simulation.explore(tasks(new ArrayList<>(), null, 2, 2), 0, 6, dfs(2)).exhausted()).isTrue();
        }

        @Test
        void samplingStrategiesAreNeverExhausted() {
            Simulation.Exploration e = Simulation.explore(tasks(new ArrayList<>(), null, 2, 2), 0, 50,
                    SimConfig.defaults());
            assertThat(e.exhausted()).isFalse();
            assertThat(e.summary()).isEqualTo("50 executions, no failure");
        }

        @Test
        void aProgramThatChangesBetweenRunsIsReportedAsNondeterministic() {
            AtomicInteger runs = new AtomicInteger();
            Simulation.Exploration e = Simulation.explore(() -> {
                int[] steps = runs.incrementAndGet() == 1 ? new int[] {2, 2} : new int[] {2, 2, 2};
                tasks(new ArrayList<>(), null, steps).run();
            }, 0, LIMIT, dfs(2));
            assertThat(e.last().failure()).isInstanceOf(SimulationFailure.Nondeterminism.class);
            assertThat(e.executions()).isEqualTo(2);
            assertThat(e.last().failure().getMessage()).contains("did not repeat itself")
                    .contains("The program is nondeterministic");
        }

        @Test
        void aPrintedScheduleRunAgainstAnotherProgramIsReportedAsNondeterministic() {
            Body body = tasks(new ArrayList<>(), null, 2, 2);
            Result notReady = Simulation.result(body, Schedule.parse("seed=3 strategy=dfs:2:#3:data=0:1=9"));
            assertThat(notReady.failure()).isInstanceOf(SimulationFailure.Nondeterminism.class);
            assertThat(notReady.failure().getMessage()).contains("dfs:2:#3:data=0:1=9 replays the choices its spec names")
                    .contains("at step 1 the schedule runs task 9, which is not ready; ready: [1, 2]");
            Result noChoice = Simulation.result(body, Schedule.parse("seed=3 strategy=dfs:2:#3:data=0:0=1"));
            assertThat(noChoice.failure()).isInstanceOf(SimulationFailure.Nondeterminism.class);
            assertThat(noChoice.failure().getMessage()).contains("the program offered no choice there");
        }

        /** A program that shrinks between runs: the run that comes up short is the one blamed. */
        @Test
        void aSearchBlamesTheExecutionThatCameUpShortByItsOwnSpec() {
            AtomicInteger runs = new AtomicInteger();
            Simulation.Exploration e = Simulation.explore(() -> {
                int k = runs.incrementAndGet() <= 2 ? 3 : 1;   // from the third run on, one step each
                tasks(new ArrayList<>(), null, k, k).run();
            }, 0, 100, SimConfig.defaults().withStrategy("dfs:2"));
            assertThat(e.last().failure()).isInstanceOf(SimulationFailure.Nondeterminism.class);
            Matcher m = Pattern.compile("dfs:2:#(\\d+):").matcher(e.last().strategy());
            assertThat(m.find()).isTrue();
            assertThat(e.last().failure().getMessage()).contains("execution #" + m.group(1) + " ended before its choice");
            assertThat(Long.parseLong(m.group(1))).isEqualTo(e.executions() - 1);
        }

        @Test
        void anExecutionThatEndsBeforeItsReplayedChoiceFailsItself() {
            Dfs dfs = new Dfs(1);
            ReadySet abc = ready(-1, 1, 2, 3);
            ReadySet bc = ready(-1, 2, 3);
            dfs.begin(0);
            dfs.pick(abc, 1);
            dfs.pick(bc, 2);
            assertThat(dfs.exhausted()).isFalse();
            dfs.begin(0);   // replays the choice at step 1, then tries task 3 at step 2
            assertThat(dfs.spec()).isEqualTo("dfs:1:#1:data=0:2=3");
            dfs.pick(abc, 1);
            // ...but the program ends here, before step 2: this execution is the one that fails.
            assertThatThrownBy(dfs::end).isInstanceOf(Replay.ReplayDiverged.class)
                    .hasMessageContaining("execution #1 ended before its choice at step 2");
            // The search goes on from a consistent state, and the next execution is not blamed.
            assertThat(dfs.exhausted()).isFalse();
            dfs.begin(0);
            dfs.pick(abc, 1);
        }

        private static ReadySet ready(int last, int... ids) {
            ReadySet r = new ReadySet();
            for (int id : ids) {
                r.add(id);
            }
            r.last = last;
            return r;
        }

        @Test
        void badSpecsSayWhatIsExpected() {
            for (String bad : new String[] {"dfs:", "dfs:x", "dfs:-1", "dfs:2:#1", "dfs:2:#1:data=0:5", "dfs:2:#1:data=0:9=1,5=2"}) {
                assertThatThrownBy(() -> Strategies.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("dfs:P");
            }
            assertThat(Strategies.parse("dfs:2:#17:data=42:5=2,9=1").spec()).isEqualTo("dfs:2:#17:data=42:5=2,9=1");
        }
    }
}

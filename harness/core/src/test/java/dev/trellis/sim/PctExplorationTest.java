package dev.trellis.sim;

import dev.trellis.runtime.Body;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code pct:D} learns how many choices an execution offers from the executions before, names the
 * K each execution drew over so that it replays alone, and says what a clean exploration promises.
 */
class PctExplorationTest {
    /** A depth-3 program that never fails: hits are dropped. About 13 choices among 3 tasks. */
    private static final Body QUIET = () -> DepthPrograms.crossingWindows(4, 1, 3, () -> {});

    private static SimConfig pct(String spec) {
        return SimConfig.defaults().withStrategy(spec);
    }

    @Nested
    class Specs {
        @Test
        void pctWithoutKStaysAsWrittenInTheConfig() {
            assertThat(pct("pct:3").strategy()).isEqualTo("pct:3");
            assertThat(pct("pct").strategy()).isEqualTo("pct:3");
            assertThat(pct("pct:2:40").strategy()).isEqualTo("pct:2:40");
        }

        @Test
        void aSingleRunDrawsOverTheFirstRangeAndSaysSo() {
            Result r = Simulation.result(QUIET, 5, pct("pct:3"));
            assertThat(r.strategy()).isEqualTo("pct:3:" + Pct.FIRST_CHOICES);
            Result fixed = Simulation.result(QUIET, 5, pct("pct:3:" + Pct.FIRST_CHOICES));
            assertThat(fixed.traceHash()).isEqualTo(r.traceHash());
        }

        @Test
        void theSecondExecutionDrawsOverTheChoicesTheFirstOffered() {
            Simulation.Exploration one = Simulation.explore(QUIET, 0, 1, pct("pct:3"));
            long firstChoices = one.confidence().orElseThrow().choices();
            Simulation.Exploration two = Simulation.explore(QUIET, 0, 2, pct("pct:3"));
            assertThat(two.last().strategy()).isEqualTo("pct:3:" + firstChoices);
        }

        @Test
        void aBadKIsRefusedWithTheRule() {
            assertThat(catchThrowable(() -> pct("pct:3:0"))).hasMessageContaining("must be positive, was [0]");
            assertThat(catchThrowable(() -> pct("pct:x"))).hasMessageContaining("'pct:D:K' (K = choices per");
        }
    }

    @Nested
    class Replay {
        /** Every execution of an adaptive exploration, run alone from its printed schedule, is itself. */
        @Test
        void everyExecutionOfAnExplorationReplaysAloneFromItsSchedule() {
            for (int count = 1; count <= 25; count++) {
                Result last = Simulation.explore(QUIET, 100, count, pct("pct:3")).last();
                Result alone = Simulation.result(QUIET, Schedule.parse(last.schedule().text()));
                assertThat(alone.traceHash()).as("execution %d, %s", count, last.schedule()).isEqualTo(last.traceHash());
            }
        }

        @Test
        void learningRunsTheBodyOncePerExecution() {
            int[] runs = {0};
            Simulation.Exploration e = Simulation.explore(() -> {
                runs[0]++;
                QUIET.run();
            }, 0, 50, pct("pct:2"));
            assertThat(runs[0]).isEqualTo(50);
            assertThat(e.executions()).isEqualTo(50);
        }

        @Test
        void anExplorationRunTwiceLearnsTheSameAndEndsTheSame() {
            Simulation.Exploration a = Simulation.explore(QUIET, 0, 300, pct("pct:3"));
            Simulation.Exploration b = Simulation.explore(QUIET, 0, 300, pct("pct:3"));
            assertThat(b.last().traceHash()).isEqualTo(a.last().traceHash());
            assertThat(b.last().strategy()).isEqualTo(a.last().strategy());
            assertThat(b.confidence()).isEqualTo(a.confidence());
        }
    }

    @Nested
    class Accounting {
        @Test
        void aCleanExplorationReportsNKDAndTheChanceOfAMiss() {
            Simulation.Exploration e = Simulation.explore(QUIET, 0, 500, pct("pct:3"));
            Confidence c = e.confidence().orElseThrow();
            assertThat(c.depth()).isEqualTo(3);
            assertThat(c.tasks()).isEqualTo(3);
            assertThat(c.choices()).isBetween(8L, 14L);
            assertThat(c.range()).isEqualTo(c.choices());
            assertThat(c.executions()).isEqualTo(500);
            double p = 1.0 / (3 * c.choices() * c.choices());
            assertThat(c.perExecution()).isCloseTo(p, within(1e-15));
            assertThat(c.expectedExecutions()).isCloseTo(3.0 * c.choices() * c.choices(), within(1e-6));
            // Each covered execution may miss with chance 1 - p at most (the first, drawn over more
            // choices than n, with a little more): (1 - p)^covered, give or take that one.
            assertThat(c.missed()).isBetween(Math.pow(1 - p, c.covered()), Math.pow(1 - p, c.covered() - 1));
            assertThat(c.executionsFor(0.01)).isEqualTo((long) Math.ceil(Math.log(0.01) / Math.log1p(-p)));
            assertThat(e.summary()).startsWith("500 executions, no failure\n")
                    .contains("PCT for depth 3: executions offered up to n = " + c.choices() + " choices (steps with two or more tasks ready) among k = 3 tasks")
                    .contains("p >= 1/(k n^2) = 1/" + Math.round(1 / p))
                    .contains("the chance that they all missed such a bug is at most");
            assertThat(e.toString()).isEqualTo(e.summary());
        }

        @Test
        void aFixedKAboveTheExecutionsLengthPromisesTheBoundAtK() {
            Confidence c = Simulation.explore(QUIET, 0, 50, pct("pct:3:40")).confidence().orElseThrow();
            assertThat(c.range()).isEqualTo(40);
            assertThat(c.covered()).isEqualTo(50);
            assertThat(c.perExecution()).isCloseTo(1.0 / (3 * 40 * 40), within(1e-15));
            assertThat(c.missed()).isCloseTo(Math.pow(1 - 1.0 / 4_800, 50), within(1e-12));
            assertThat(c.bound()).contains("with change points drawn over K = 40 choices")
                    .contains("p >= 1/(k K^2) = 1/4800");
        }

        @Test
        void aKBelowTheExecutionsLengthPromisesNothing() {
            Simulation.Exploration e = Simulation.explore(QUIET, 0, 50, pct("pct:3:4"));
            Confidence c = e.confidence().orElseThrow();
            assertThat(c.covered()).isZero();
            assertThat(c.missed()).isEqualTo(1.0);
            assertThat(c.summary()).contains("None of the 50 executions drew its change points over all "
                    + c.choices() + " choices").contains("give K of at least " + c.choices());
        }

        @Test
        void aProgramWithoutChoicesHasOneScheduleAndItRan() {
            Confidence c = Simulation.explore(() -> dev.trellis.runtime.Trellis.checkpoint(), 0, 3, pct("pct:3"))
                    .confidence().orElseThrow();
            assertThat(c.choices()).isZero();
            assertThat(c.perExecution()).isEqualTo(1.0);
            assertThat(c.missed()).isZero();
            assertThat(c.summary()).contains("no execution offered a choice");
        }

        @Test
        void otherStrategiesPromiseNothing() {
            assertThat(Simulation.explore(QUIET, 0, 10, SimConfig.defaults()).confidence()).isEmpty();
        }

        /** The failure says after how many executions it was found, with PCT's bound, and replays as printed. */
        @Test
        void aFailureFoundByAnExplorationSaysAfterHowManyExecutions() {
            Body failing = DepthPrograms.failing(hit -> DepthPrograms.lookInsideWindow(8, 1, 4, hit));
            Simulation.Exploration e = Simulation.explore(failing, 0, 5_000, pct("pct:2"));
            assertThat(e.ok()).isFalse();
            Confidence c = e.confidence().orElseThrow();
            String text = catchThrowable(e::orThrow).getMessage();
            assertThat(text).contains("  explored   " + e.executions() + " executions, stopped at this one, the first to fail\n")
                    .contains("  pct bound  depth 2, n = " + c.choices() + " choices, k = 3 tasks: each execution "
                            + "finds a given depth-2 bug with p >= 1/" + 3 * c.choices() + "\n")
                    // One seed rerun alone would not learn K: the hint is the whole schedule.
                    .contains("-D" + SimConfig.SCHEDULE_PROPERTY + "='seed=" + e.last().seed() + " strategy=pct:2:");
            assertThat(e.summary()).startsWith("execution " + e.executions() + " failed: the body threw java.lang.IllegalStateException")
                    .contains(c.bound()).doesNotContain("missed");
            Matcher m = Pattern.compile("Schedule\\.parse\\(\"([^\"]+)\"\\)").matcher(text);
            assertThat(m.find()).isTrue();
            assertThat(Simulation.result(failing, Schedule.parse(m.group(1))).traceHash()).isEqualTo(e.last().traceHash());
        }

        @Test
        @ResourceLock("system-properties")
        void theScheduleHintRunsThatExecutionAloneInsteadOfTheExploration() {
            Body failing = DepthPrograms.failing(hit -> DepthPrograms.lookInsideWindow(8, 1, 4, hit));
            Result found = Simulation.explore(failing, 0, 5_000, pct("pct:2")).last();
            System.setProperty(SimConfig.SCHEDULE_PROPERTY, found.schedule().text());
            try {
                Simulation.Exploration again = Simulation.explore(failing, 0, 5_000, pct("pct:2"));
                assertThat(again.executions()).isEqualTo(1);
                assertThat(again.last().traceHash()).isEqualTo(found.traceHash());
            } finally {
                System.clearProperty(SimConfig.SCHEDULE_PROPERTY);
            }
        }
    }
}

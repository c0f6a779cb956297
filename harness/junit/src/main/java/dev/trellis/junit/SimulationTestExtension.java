package dev.trellis.junit;

import dev.trellis.report.ExecutionReport;
import dev.trellis.report.ReportWriter;
import dev.trellis.sim.Durations;
import dev.trellis.sim.Outcome;
import dev.trellis.sim.Result;
import dev.trellis.sim.Schedule;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.Simulation;
import dev.trellis.sim.SimulationFailure;
import dev.trellis.streams.StreamOptions;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * {@link SimulationTest}: gives the template one invocation for all its seeds (or one a seed), and
 * runs each invocation's seeds under the simulator instead of calling the method directly.
 */
final class SimulationTestExtension implements TestTemplateInvocationContextProvider {
    /** Where reports go unless {@code -Dtrellis.reports} says: Maven's build folder. */
    static final String DEFAULT_REPORTS = "target/trellis-reports";

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getRequiredTestMethod().isAnnotationPresent(SimulationTest.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        SimulationTest a = context.getRequiredTestMethod().getAnnotation(SimulationTest.class);
        SimConfig config = config(a, context.getRequiredTestMethod());
        String schedule = System.getProperty(SimConfig.SCHEDULE_PROPERTY);
        String seed = System.getProperty(SimConfig.SEED_PROPERTY);
        if (schedule != null && !schedule.isBlank()) {
            Schedule s = Schedule.parse(schedule);
            Schedule judged = new Schedule(s.seed(), s.config().withInvariants(config.invariants()));
            return Stream.of(invocation("schedule " + s.text(), List.of(judged), judged.strategy()));
        }
        if (seed != null && !seed.isBlank()) {
            long only = Long.parseLong(seed.strip());
            return Stream.of(invocation("seed " + only, List.of(new Schedule(only, config)), config.strategy()));
        }
        if (a.invocationPerSeed()) {
            return LongStream.range(a.firstSeed(), a.firstSeed() + a.seeds())
                    .mapToObj(s -> invocation("seed " + s, List.of(new Schedule(s, config)), config.strategy()));
        }
        List<Schedule> all = LongStream.range(a.firstSeed(), a.firstSeed() + a.seeds())
                .mapToObj(s -> new Schedule(s, config)).toList();
        return Stream.of(invocation("seeds " + a.firstSeed() + " to " + (a.firstSeed() + a.seeds() - 1) + " ("
                + config.strategy() + ")", all, config.strategy()));
    }

    private static SimConfig config(SimulationTest a, Method m) {
        if (a.seeds() < 1) {
            throw new IllegalArgumentException("@SimulationTest on " + m.getName() + " must be declared with a positive "
                    + "'seeds', was [" + a.seeds() + "]");
        }
        StreamOptions streams = switch (a.streams()) {
            case "adversarial" -> StreamOptions.adversarial();
            case "plain" -> StreamOptions.plain();
            case "lockstep" -> StreamOptions.lockstep();
            default -> throw new IllegalArgumentException("@SimulationTest on " + m.getName() + ": streams is adversarial, "
                    + "plain or lockstep, was [" + a.streams() + "]");
        };
        try {
            return SimConfig.defaults().withStrategy(a.strategy()).withMaxSteps(a.maxSteps())
                    .withMaxTime(Durations.parse(a.maxTime())).withStreams(streams);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("@SimulationTest on " + m.getName() + ": " + e.getMessage(), e);
        }
    }

    private static TestTemplateInvocationContext invocation(String name, List<Schedule> schedules, String configured) {
        return new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int index) {
                return name;
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new MethodBody.Placeholders(), new Runner(schedules, configured));
            }
        };
    }

    /** Runs the invocation's schedules instead of the method, and fails with the first that fails. */
    private static final class Runner implements InvocationInterceptor {
        private final List<Schedule> schedules;
        private final String configured;

        Runner(List<Schedule> schedules, String configured) {
            this.schedules = schedules;
            this.configured = configured;
        }

        @Override
        public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                                ExtensionContext context) throws Throwable {
            invocation.skip();   // the method runs inside the simulator, once a seed, below
            Method method = call.getExecutable();
            Object target = call.getTarget().orElse(null);
            for (Schedule s : schedules) {
                Result r = Simulation.result(MethodBody.of(method, target, s.seed(), true), s);
                if (!r.ok()) {
                    throw failure(context, method, r, configured);
                }
            }
        }
    }

    /** The failure as a test shows it: the simulator's report, the report folder, the commands that replay it. */
    static AssertionError failure(ExtensionContext context, Method method, Result r, String configured) {
        String message;
        try {
            r.orThrow();
            message = "";
        } catch (SimulationFailure f) {
            message = f.getMessage();
        }
        String test = context.getRequiredTestClass().getName() + "#" + method.getName();
        // The seed alone repeats it when the strategy decides each execution from its seed, as the
        // test declares it; a strategy that learns (pct:D) names the K this one drew over: the schedule.
        String only = r.strategy().equals(configured) ? "-Dtrellis.seed=" + r.seed()
                : "-Dtrellis.schedule='" + r.schedule().text() + "'";
        String replay = "mvn -Dtest=" + context.getRequiredTestClass().getSimpleName() + "#" + method.getName() + " " + only
                + " verify";
        Outcome o = Outcome.of(r);
        Path reports = Path.of(System.getProperty("trellis.reports", DEFAULT_REPORTS));
        ExecutionReport report = new ExecutionReport(test.replace('#', '/'), null, "", r.schedule().text(), r.seed(), "pass",
                o.name(), o.headline(), message, -1, r.trace(), List.of(), replay, null);
        String where;
        try {
            where = ReportWriter.write(ReportWriter.folder(reports, report), report).toString();
        } catch (IOException e) {
            where = "not written (" + e.getMessage() + ")";
        }
        // The simulator's footer says how to replay a body from Java; a test replays by its property.
        message = message.replaceFirst("(?m)^  replay     Simulation\\.run\\(.*\\n(?: {13}or .*\\n)?",
                java.util.regex.Matcher.quoteReplacement("  replay     " + only + " (see below)\n"));
        StringBuilder sb = new StringBuilder(message);
        sb.append("\nreport     ").append(where).append(" (report.md, timeline.html, trace.json)");
        sb.append("\nreplay     ").append(replay);
        sb.append("\n           or in the IDE, run ").append(test).append(" with ").append(only).append(" in its VM options");
        return new SimulationTestFailure(sb.toString(), r.failure() != null ? r.failure() : r.bodyFailure());
    }

    /** A failed {@link SimulationTest}: an {@link AssertionError}, so JUnit shows a failure. */
    static final class SimulationTestFailure extends AssertionError {
        SimulationTestFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

package dev.trellis.explore;

import dev.trellis.report.RecordedExecution;
import dev.trellis.report.ReportWriter;
import dev.trellis.report.TraceJson;
import dev.trellis.scenario.ScenarioException;
import dev.trellis.scenario.ScenarioPlan;
import dev.trellis.scenario.ScenarioReader;
import dev.trellis.sim.Schedule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs one explored execution again: from its report ({@code trace.json}, which holds the
 * scenario's text and the schedule), or from a scenario file and a seed. Says whether the rerun's
 * trace hash matches the recorded one and, when it does not, where the two first departed.
 */
public final class Replayer {
    private Replayer() {}

    /**
     * A replay: what ran, the hash it was meant to have (null when nothing was recorded), where it
     * departed from the recording (null when it did not), and a warning about the scenario file
     * (it changed since the recording), or null.
     */
    public record Replay(ScenarioPlan plan, ScenarioRunner.Replayed run, String recordedHash, String departure,
                         String warning) {
        public boolean matches() {
            return departure == null && (recordedHash == null || recordedHash.equals(run.result().traceHashHex()));
        }

        /** Whether the execution showed what the scenario expects of every seed. */
        public boolean asExpected() {
            return run.outcome().is(plan.expected());
        }
    }

    /** Replays the execution recorded in {@code target}: a report folder or its {@code trace.json}. */
    public static Replay recorded(Path target, ClassLoader loader) throws IOException {
        Path file = Files.isDirectory(target) ? target.resolve(ReportWriter.TRACE_JSON) : target;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no " + ReportWriter.TRACE_JSON + " in " + target
                    + ": give a report folder (reports/<scenario>/seed-<n>), its trace.json, or a scenario file with --seed");
        }
        RecordedExecution rec;
        try {
            rec = TraceJson.read(file);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a Trellis trace.json: " + e.getMessage());
        }
        Path scenarioFile = rec.scenarioFile() == null ? null : Path.of(rec.scenarioFile());
        ScenarioPlan plan = ScenarioPlan.of(ScenarioReader.parse(rec.scenarioText(), scenarioFile, rec.scenario()), loader);
        String warning = null;
        if (scenarioFile != null && Files.isRegularFile(scenarioFile)
                && !Files.readString(scenarioFile).equals(rec.scenarioText())) {
            warning = scenarioFile + " has changed since this execution was recorded; replaying the recorded text";
        }
        ScenarioRunner.Replayed run = ScenarioRunner.runOne(plan, Schedule.parse(rec.schedule()));
        return new Replay(plan, run, rec.traceHash(), rec.firstDeparture(run.result().trace()), warning);
    }

    /**
     * Replays seed {@code seed} of the scenario in {@code file} with {@code strategy} (null: the
     * file's, calibrated as an exploration calibrates it); compares with the report under
     * {@code reports} if an exploration wrote one for that seed.
     */
    public static Replay seed(Path file, long seed, String strategy, Path reports, ClassLoader loader) throws IOException {
        ScenarioPlan plan = Explorer.plan(file, loader);
        String resolved = ScenarioRunner.resolveStrategy(plan, strategy != null ? strategy : plan.config().strategy());
        ScenarioRunner.Replayed run = ScenarioRunner.runOne(plan, seed, resolved);
        Path recorded = reports == null ? null : reports.resolve(plan.name()).resolve("seed-" + seed).resolve(ReportWriter.TRACE_JSON);
        if (recorded != null && Files.isRegularFile(recorded)) {
            RecordedExecution rec = TraceJson.read(recorded);
            String ran = run.result().schedule().text();
            if (rec.scenarioText().equals(plan.loaded().text())) {
                if (rec.schedule().equals(ran)) {
                    return new Replay(plan, run, rec.traceHash(), rec.firstDeparture(run.result().trace()), null);
                }
                if (ran.equals(rec.originalSchedule())) {
                    // the report holds the shrunk execution; this is the one exploring found, whose hash it keeps
                    String hash = run.result().traceHashHex();
                    return new Replay(plan, run, rec.originalTraceHash(), hash.equals(rec.originalTraceHash()) ? null
                            : "the execution exploring found had trace " + rec.originalTraceHash() + "; this one has " + hash, null);
                }
            }
        }
        return new Replay(plan, run, null, null, null);
    }

    /** For messages: a scenario mistake is one line, anything else its message. */
    static String describe(RuntimeException e) {
        return e instanceof ScenarioException se ? se.getMessage() : e.toString();
    }
}

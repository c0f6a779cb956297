package dev.trellis.explore;

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
        RecordedExecution rec = read(file);
        Path scenarioFile = rec.scenarioFile() == null ? null : Path.of(rec.scenarioFile());
        // A mistake in the recorded text is the recording's, not the file's on disk: name where it is.
        ScenarioPlan plan;
        try {
            plan = ScenarioPlan.of(ScenarioReader.parse(rec.scenarioText(), scenarioFile, rec.scenario()), loader);
        } catch (ScenarioException e) {
            throw new ScenarioException(Path.of(file + " (its scenarioText)"), e.line(), e.column(), e.problem());
        }
        String warning = null;
        boolean shrunkScenario = rec.scenarioText().startsWith("# shrunk from ") || rec.scenarioText().contains("\n# shrunk from ");
        if (!shrunkScenario && scenarioFile != null && Files.isRegularFile(scenarioFile)
                && !Files.readString(scenarioFile).equals(rec.scenarioText())) {
            warning = scenarioFile + " has changed since this execution was recorded; replaying the recorded text";
        }
        Schedule schedule;
        try {
            schedule = Schedule.parse(rec.schedule());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": its schedule cannot be read: " + e.getMessage());
        }
        if (schedule.seed() != rec.seed()) {
            warning = (warning == null ? "" : warning + "; ") + file + " says seed " + rec.seed() + " but its schedule is of seed "
                    + schedule.seed() + ", which is what replays";
        }
        ScenarioRunner.Replayed run = ScenarioRunner.runOne(plan, schedule);
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
            RecordedExecution rec = RecordedExecution.read(recorded);
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

    /** Reads a trace.json, every mistake in it one line naming the file. */
    private static RecordedExecution read(Path file) throws IOException {
        if (Files.size(file) == 0) {
            throw new IllegalArgumentException(file + " is empty: it is not a Trellis trace.json");
        }
        RecordedExecution rec;
        try {
            rec = RecordedExecution.read(file);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var at = e.getLocation();
            throw new IllegalArgumentException(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
                    + ": not JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + "); it is not a Trellis trace.json");
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        for (String[] field : new String[][] {{"scenarioText", rec.scenarioText()}, {"schedule", rec.schedule()},
                {"traceHash", rec.traceHash()}, {"scenario", rec.scenario()}}) {
            if (field[1] == null) {
                throw new IllegalArgumentException(file + " has no \"" + field[0] + "\": it is not a whole Trellis trace.json");
            }
        }
        if (!rec.traceHash().matches("[0-9a-f]{16}")) {
            throw new IllegalArgumentException(file + ": its traceHash [" + rec.traceHash() + "] is not 16 hex digits");
        }
        return rec;
    }

    /** For messages: a scenario mistake is one line, anything else its message. */
    static String describe(RuntimeException e) {
        return e instanceof ScenarioException se ? se.getMessage() : e.toString();
    }
}

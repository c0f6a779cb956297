package dev.trellis.explore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code summary.json}: every scenario's summary, for tools and for comparing two machines' runs
 * (by each scenario's digest). Everything but {@code timing} is decided by the scenarios and seeds;
 * {@link #read} gives back the summaries, so runs of slices can be merged.
 */
public final class SummaryJson {
    public static final String FORMAT = "trellis-summary";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {}

    public static void write(Path file, RunSummary run) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, JSON.writeValueAsString(tree(run, file.toAbsolutePath().getParent()))
                .replace("\r\n", "\n") + "\n", StandardCharsets.UTF_8);
    }

    /** A report folder as the summary names it: relative to the summary's own folder when under it, so the two move together. */
    private static String relative(Path base, String report) {
        if (report == null) {
            return null;
        }
        Path r = Path.of(report).toAbsolutePath().normalize();
        return r.startsWith(base.normalize()) ? base.normalize().relativize(r).toString().replace('\\', '/') : report;
    }

    static ObjectNode tree(RunSummary run, Path base) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("met", run.exitCode() == 0);
        root.put("complete", run.complete());
        root.put("planned", run.planned());
        if (run.shard() != null) {
            root.put("shard", run.shard().toString());
        }
        ArrayNode list = root.putArray("scenarios");
        for (ScenarioSummary s : run.scenarios()) {
            ObjectNode o = list.addObject();
            o.put("scenario", s.scenario());
            o.put("file", s.file());
            o.put("expected", s.expected());
            o.put("met", run.met(s));
            o.put("verdict", run.verdict(s));
            o.put("strategy", s.strategy());
            o.put("firstSeed", s.firstSeed());
            o.put("seeds", s.seedsAsked());
            o.put("executions", s.executions());
            o.put("keepGoing", s.keepGoing());
            List<Long> range = run.ranges().get(s.scenario());
            if (range != null) {
                o.putObject("sliceOf").put("firstSeed", range.get(0)).put("seeds", range.get(1));
            }
            o.put("stoppedEarly", s.stoppedEarly());
            o.put("steps", s.steps());
            o.put("distinctSchedules", s.traceHashes().size());
            o.put("digest", s.digestHex());
            o.put("failures", s.failures());
            ArrayNode seeds = o.putArray("failingSeeds");
            s.failingSeeds().forEach(seeds::add);
            if (s.first() != null) {
                ObjectNode f = o.putObject("firstFailure");
                f.put("seed", s.first().seed());
                f.put("outcome", s.first().outcome());
                f.put("asExpected", s.first().asExpected());
                f.put("headline", s.first().headline());
                f.put("schedule", s.first().schedule());
                f.put("traceHash", s.first().traceHash());
                f.put("report", relative(base, s.first().report()));
                f.put("replay", s.first().replay());
            }
            if (s.pct() != null) {
                ObjectNode p = o.putObject("pct");
                p.put("depth", s.pct().depth());
                p.put("k", s.pct().range());
                p.put("choices", s.pct().choices());
                p.put("tasks", s.pct().tasks());
                p.put("executions", s.pct().executions());
                p.put("bound", s.pctSummary());
            }
            ArrayNode hashes = o.putArray("traceHashes");
            s.traceHashes().stream().map(h -> String.format("%016x", h)).sorted().forEach(hashes::add);
            ObjectNode timing = o.putObject("timing");
            timing.put("wallMillis", s.wallNanos() / 1_000_000);
            timing.put("executionsPerSecond", Math.round(s.executionsPerSecond()));
        }
        ArrayNode bad = root.putArray("badFiles");
        for (RunSummary.BadFile b : run.badFiles()) {
            bad.addObject().put("file", b.file()).put("message", b.message());
        }
        return root;
    }

    /** Reads a summary written by {@link #write}. */
    public static RunSummary read(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        Path base = file.toAbsolutePath().getParent();
        if (!FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != VERSION) {
            throw new IOException(file + " is not a " + FORMAT + " version " + VERSION + " file");
        }
        List<ScenarioSummary> out = new ArrayList<>();
        java.util.Map<String, List<Long>> ranges = new java.util.LinkedHashMap<>();
        for (JsonNode o : root.path("scenarios")) {
            if (o.has("sliceOf")) {
                ranges.put(o.path("scenario").asText(), List.of(o.path("sliceOf").path("firstSeed").asLong(),
                        o.path("sliceOf").path("seeds").asLong()));
            }
            TreeSet<Long> hashes = new TreeSet<>();
            o.path("traceHashes").forEach(h -> hashes.add(Long.parseUnsignedLong(h.asText(), 16)));
            List<Long> seeds = new ArrayList<>();
            o.path("failingSeeds").forEach(n -> seeds.add(n.asLong()));
            JsonNode f = o.path("firstFailure");
            ScenarioSummary.Failure first = f.isMissingNode() ? null : new ScenarioSummary.Failure(f.path("seed").asLong(),
                    f.path("outcome").asText(), f.path("asExpected").asBoolean(), f.path("headline").asText(),
                    f.path("schedule").asText(), f.path("traceHash").asText(),
                    text(f.path("report")) == null ? null : base.resolve(text(f.path("report"))).normalize().toString(),
                    text(f.path("replay")));
            JsonNode p = o.path("pct");
            ScenarioSummary.PctFigures pct = p.isMissingNode() || p.isNull() ? null : new ScenarioSummary.PctFigures(
                    p.path("depth").asInt(), p.path("k").asLong(), p.path("choices").asLong(), p.path("tasks").asInt(),
                    p.path("executions").asLong());
            out.add(new ScenarioSummary(o.path("scenario").asText(), text(o.path("file")), o.path("expected").asText(),
                    o.path("strategy").asText(), o.path("firstSeed").asLong(), o.path("seeds").asLong(),
                    o.path("keepGoing").asBoolean(), o.path("executions").asLong(), o.path("steps").asLong(), hashes,
                    Long.parseUnsignedLong(o.path("digest").asText(), 16), o.path("failures").asLong(), seeds, first,
                    pct, o.path("timing").path("wallMillis").asLong() * 1_000_000));
        }
        List<RunSummary.BadFile> bad = new ArrayList<>();
        root.path("badFiles").forEach(b -> bad.add(new RunSummary.BadFile(b.path("file").asText(), b.path("message").asText())));
        String shard = text(root.path("shard"));
        return new RunSummary(out, bad, shard == null ? null : Shard.parse(shard, k -> null),
                root.path("complete").asBoolean(true), root.path("planned").asInt(out.size() + bad.size()), ranges);
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }
}

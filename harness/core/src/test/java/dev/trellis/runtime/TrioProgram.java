package dev.trellis.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny language of nurseries, cancel scopes, sleeps and failures, run three ways: by trio
 * itself ({@code src/test/trio/oracle.py}, whose recorded outcomes are the reference), by Trellis
 * ({@link OnTrellis}) and by {@link TrioModel}. The JSON form is the one the Python oracle reads
 * and writes; times are integer microseconds.
 *
 * <pre>
 * {"sleep": 120}                                        trio.sleep(120 µs)
 * {"mark": "a"}                                         record ("a", now)
 * {"raise": "E1"}                                       raise Boom("E1")
 * {"cancel": "s1"}                                      cancel the enclosing scope or nursery labelled s1
 * {"scope": "s1", "deadline": 300, "shield": true, "body": [...]}
 *                                                       with CancelScope(deadline=now+300, shield=True)
 * {"failAfter": "s2", "timeout": 200, "body": [...]}    with fail_after(200 µs) (TooSlow)
 * {"nursery": "n1", "body": [...]}                      async with open_nursery() as n1
 * {"start": "t1", "into": "n1", "body": [...]}          n1.start_soon(t1), t1 running body
 * </pre>
 *
 * Labels are unique in a program. A {@code cancel} names a scope or nursery that lexically
 * encloses it (perhaps across {@code start}s); {@code start} names a nursery that lexically
 * encloses it.
 */
final class TrioProgram {
    private TrioProgram() {}

    sealed interface Stmt {}

    record Sleep(long micros) implements Stmt {}

    record Mark(String name) implements Stmt {}

    record Raise(String name) implements Stmt {}

    record Cancel(String label) implements Stmt {}

    /** {@code deadline} is relative to entering the scope, in µs; -1 for none. */
    record Scope(String label, long deadline, boolean shield, List<Stmt> body) implements Stmt {}

    record FailAfter(String label, long timeout, List<Stmt> body) implements Stmt {}

    record NurseryBlock(String label, List<Stmt> body) implements Stmt {}

    record Start(String name, String into, List<Stmt> body) implements Stmt {}

    /**
     * What running a program did, in a form the three runners agree on.
     *
     * @param marks   every mark as {@code name@micros}, sorted
     * @param caught  for every scope, fail-after and nursery that was entered: its
     *                {@code cancelled_caught} when it exited, by label
     * @param errors  the leaf exceptions that escaped the program, by name ({@code E1},
     *                {@code TooSlow}, {@code Cancelled}), sorted; empty when it returned
     * @param end     the time the program ended, µs
     */
    record Outcome(List<String> marks, Map<String, Boolean> caught, List<String> errors, long end) {
        Outcome {
            marks = List.copyOf(marks.stream().sorted().toList());
            caught = new TreeMap<>(caught);
            errors = List.copyOf(errors.stream().sorted().toList());
        }
    }

    // ---- JSON ---------------------------------------------------------------------------------

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Stmt> parse(String json) {
        try {
            return block(JSON.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a program: " + e.getMessage(), e);
        }
    }

    static List<Stmt> block(JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("a block is a JSON array, was " + array);
        }
        List<Stmt> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(stmt(n));
        }
        return List.copyOf(out);
    }

    private static Stmt stmt(JsonNode n) {
        if (n.has("sleep")) {
            return new Sleep(n.get("sleep").asLong());
        }
        if (n.has("mark")) {
            return new Mark(n.get("mark").asText());
        }
        if (n.has("raise")) {
            return new Raise(n.get("raise").asText());
        }
        if (n.has("cancel")) {
            return new Cancel(n.get("cancel").asText());
        }
        if (n.has("scope")) {
            JsonNode d = n.get("deadline");
            return new Scope(n.get("scope").asText(), d == null || d.isNull() ? -1 : d.asLong(),
                    n.path("shield").asBoolean(false), block(n.get("body")));
        }
        if (n.has("failAfter")) {
            return new FailAfter(n.get("failAfter").asText(), n.get("timeout").asLong(), block(n.get("body")));
        }
        if (n.has("nursery")) {
            return new NurseryBlock(n.get("nursery").asText(), block(n.get("body")));
        }
        if (n.has("start")) {
            return new Start(n.get("start").asText(), n.get("into").asText(), block(n.get("body")));
        }
        throw new IllegalArgumentException("unknown statement " + n);
    }

    static ArrayNode toJson(List<Stmt> body) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Stmt s : body) {
            ObjectNode o = a.addObject();
            switch (s) {
                case Sleep x -> o.put("sleep", x.micros());
                case Mark x -> o.put("mark", x.name());
                case Raise x -> o.put("raise", x.name());
                case Cancel x -> o.put("cancel", x.label());
                case Scope x -> {
                    o.put("scope", x.label());
                    if (x.deadline() >= 0) {
                        o.put("deadline", x.deadline());
                    }
                    if (x.shield()) {
                        o.put("shield", true);
                    }
                    o.set("body", toJson(x.body()));
                }
                case FailAfter x -> {
                    o.put("failAfter", x.label());
                    o.put("timeout", x.timeout());
                    o.set("body", toJson(x.body()));
                }
                case NurseryBlock x -> {
                    o.put("nursery", x.label());
                    o.set("body", toJson(x.body()));
                }
                case Start x -> {
                    o.put("start", x.name());
                    o.put("into", x.into());
                    o.set("body", toJson(x.body()));
                }
            }
        }
        return a;
    }

    static String text(List<Stmt> body) {
        return toJson(body).toString();
    }

    static Outcome outcome(JsonNode n) {
        List<String> marks = new ArrayList<>();
        n.get("marks").forEach(m -> marks.add(m.asText()));
        Map<String, Boolean> caught = new TreeMap<>();
        n.get("caught").properties().forEach(e -> caught.put(e.getKey(), e.getValue().asBoolean()));
        List<String> errors = new ArrayList<>();
        n.get("errors").forEach(m -> errors.add(m.asText()));
        return new Outcome(marks, caught, errors, n.get("end").asLong());
    }

    /** Appends a line for each part of two outcomes that differs, trio's first. */
    static void differences(Outcome trio, Outcome trellis, StringBuilder b) {
        if (!trio.marks().equals(trellis.marks())) {
            b.append("  marks differ:  trio ").append(trio.marks()).append(", trellis ").append(trellis.marks()).append('\n');
        }
        if (!trio.caught().equals(trellis.caught())) {
            b.append("  caught differ: trio ").append(trio.caught()).append(", trellis ").append(trellis.caught()).append('\n');
        }
        if (!trio.errors().equals(trellis.errors())) {
            b.append("  errors differ: trio ").append(trio.errors()).append(", trellis ").append(trellis.errors()).append('\n');
        }
        if (trio.end() != trellis.end()) {
            b.append("  end differs:   trio ").append(trio.end()).append(" µs, trellis ").append(trellis.end()).append(" µs\n");
        }
    }
}

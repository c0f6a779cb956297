package dev.trellis.scenario;

import dev.trellis.sim.Outcome;
import dev.trellis.sim.Durations;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trellis.apps.Programs;
import dev.trellis.check.AddressBehaviour;
import dev.trellis.check.ChatInvariants;
import dev.trellis.check.EchoInvariants;
import dev.trellis.check.HappyEyeballsInvariants;
import dev.trellis.check.StructuralInvariants;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The JSON Schema of scenario files, generated from the {@link Scenario} records themselves (their
 * components, types and {@link JsonPropertyDescription}s), so the schema an editor checks against
 * and the model the reader binds cannot drift apart: a test compares the committed
 * {@code scenarios/scenario.schema.json} with {@link #json()}.
 */
public final class ScenarioSchema {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Keys of which exactly one must be present, by record. */
    private static final Map<Class<?>, List<String>> EXACTLY_ONE = Map.of(
            Scenario.Subject.class, List.of("program", "handler"),
            Scenario.Step.class, Scenario.Step.ACTIONS,
            Scenario.AddressSpec.class, List.of("succeeds", "refused", "hangs"));

    private ScenarioSchema() {}

    /** The schema as pretty-printed JSON, keys in a fixed order, ending with a newline. */
    public static String json() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(schema())
                    .replace("\r\n", "\n") + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode schema() {
        ObjectNode root = F.objectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("$id", "https://trellis.dev/scenario.schema.json");
        root.put("title", "Trellis scenario");
        root.put("description", "One scenario file: a subject explored under the simulator over seeded schedules, with "
                + "scripted clients, faults, the rules that judge every execution and the outcome it expects. "
                + "See scenarios/README.md.");
        ObjectNode body = object(Scenario.class);
        root.setAll(body);
        return root;
    }

    private static ObjectNode object(Class<?> record) {
        ObjectNode o = F.objectNode();
        o.put("type", "object");
        ObjectNode props = o.putObject("properties");
        for (RecordComponent rc : record.getRecordComponents()) {
            ObjectNode p = type(rc.getGenericType());
            JsonPropertyDescription d = rc.getAccessor().getAnnotation(JsonPropertyDescription.class);
            if (d != null) {
                p.put("description", d.value());
            }
            refine(record, rc.getName(), p);
            props.set(rc.getName(), p);
        }
        o.put("additionalProperties", false);
        if (record == Scenario.class) {
            o.putArray("required").add("subject");
        }
        if (record == Scenario.Partition.class) {
            o.putArray("required").add("from").add("until");
        }
        if (record == Scenario.HappyEyeballs.class) {
            o.putArray("required").add("addresses");
        }
        List<String> one = EXACTLY_ONE.get(record);
        if (one != null) {
            ArrayNode oneOf = o.putArray("oneOf");
            for (String key : one) {
                ObjectNode alt = oneOf.addObject();
                alt.putArray("required").add(key);
                // A flag set to false is no action: only 'true' counts, as in the reader.
                if (props.get(key).path("type").asText().equals("boolean")) {
                    alt.putObject("properties").putObject(key).put("const", true);
                }
            }
        }
        return o;
    }

    private static ObjectNode type(Type t) {
        ObjectNode p = F.objectNode();
        if (t instanceof ParameterizedType pt && pt.getRawType() == List.class) {
            p.put("type", "array");
            p.set("items", type(pt.getActualTypeArguments()[0]));
            return p;
        }
        Class<?> c = (Class<?>) t;
        if (c == String.class) {
            p.put("type", "string");
        } else if (c == Long.class || c == Integer.class) {
            p.put("type", "integer");
        } else if (c == Boolean.class) {
            p.put("type", "boolean");
        } else if (c == Duration.class) {
            ArrayNode any = p.putArray("anyOf");
            any.addObject().put("type", "string").put("pattern", Durations.PATTERN);
            any.addObject().put("const", 0);
        } else if (c.isRecord()) {
            return object(c);
        } else {
            throw new IllegalStateException("no schema for " + c);
        }
        return p;
    }

    /** What the reader accepts beyond the type: names, ranges, patterns. */
    private static void refine(Class<?> record, String name, ObjectNode p) {
        String key = record.getSimpleName() + "." + name;
        switch (key) {
            case "Subject.program" -> strings(p.putArray("enum"), Programs.all().stream().map(Programs.Program::name).toList());
            case "Subject.handler" -> p.put("pattern", "^[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)+$");
            case "Subject.protocol" -> strings(p.putArray("enum"), List.of("chat", "echo", "none"));
            case "Subject.onHandlerFailure" -> strings(p.putArray("enum"), List.of("propagate", "close-connection"));
            case "Streams.preset" -> strings(p.putArray("enum"), List.of("adversarial", "plain", "lockstep"));
            case "Streams.chunking" -> strings(p.putArray("enum"), List.of("whole", "fixed", "random"));
            case "Explore.strategy" -> p.put("pattern", "^(random|pos|pct(:[0-9]+(:[0-9]+)?)?|dfs:[0-9]+)$");
            case "Explore.firstSeed", "Streams.capacity", "Streams.maxChunk", "Streams.resetAt" -> p.put("minimum", 0);
            case "Explore.seeds", "Explore.maxSteps", "Streams.resetWithin" -> p.put("minimum", 1);
            case "Client.count" -> p.put("minimum", 1).put("maximum", 10_000);
            case "Step.hex" -> p.put("pattern", "^\\s*([0-9a-fA-F]{2}\\s*)+$");
            case "Scenario.invariants" -> strings(((ObjectNode) p.get("items")).putArray("enum"), ruleNames(true));
            case "Scenario.expected" -> {
                ArrayNode any = p.putArray("anyOf");
                TreeSet<String> names = new TreeSet<>(ruleNames(false));
                names.addAll(Outcome.KINDS);
                names.add(Outcome.PASS);
                names.add("expect");
                strings(any.addObject().putArray("enum"), List.copyOf(names));
                any.addObject().put("pattern", "(\\.|Exception$|Error$)");
            }
            default -> { }
        }
    }

    /** Every rule a scenario can name, sorted; with {@code all}, for the invariants list. */
    static List<String> ruleNames(boolean withAll) {
        TreeSet<String> names = new TreeSet<>();
        StructuralInvariants.all().forEach(r -> names.add(r.name()));
        ChatInvariants.all(ChatInvariants.Limits.simulated()).forEach(r -> names.add(r.name()));
        EchoInvariants.all().forEach(r -> names.add(r.name()));
        HappyEyeballsInvariants.all(List.of(AddressBehaviour.hangs())).forEach(r -> names.add(r.name()));
        if (withAll) {
            names.add("all");
        }
        return List.copyOf(names);
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}

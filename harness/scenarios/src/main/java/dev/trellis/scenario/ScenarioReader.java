package dev.trellis.scenario;

import dev.trellis.sim.Durations;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads scenario files. Every mistake becomes a {@link ScenarioException} naming the file, line
 * and column, what was found and what is accepted there; an unknown key names the nearest known
 * one ({@code chunkin} → {@code did you mean chunking?}).
 */
public final class ScenarioReader {
    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .addModule(new SimpleModule("trellis-durations").addDeserializer(Duration.class, new DurationDeserializer()))
            .build();

    private ScenarioReader() {}

    /** A scenario as read: its name, where it came from, its text, and the model. */
    public record Loaded(String name, Path file, String text, Scenario scenario) {}

    /**
     * Reads {@code file}; its name is its path under {@code root} without the extension
     * ({@code seed-chat/broadcast-order}), or the file name's stem when it is not under root.
     */
    public static Loaded read(Path file, Path root) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ScenarioException(file, 0, 0, "is not UTF-8 text");
        } catch (IOException e) {
            throw new ScenarioException(file, 0, 0, "cannot be read: " + e);
        }
        return parse(text, file, nameOf(file, root));
    }

    /** Reads scenario {@code text}; {@code file} only names it in messages (may be null). */
    public static Loaded parse(String text, Path file, String name) {
        YamlShape shape = YamlShape.check(text, file);
        Scenario s;
        try {
            s = YAML.readValue(text, Scenario.class);
        } catch (UnrecognizedPropertyException e) {
            List<String> known = e.getKnownPropertyIds() == null ? List.of()
                    : e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
            String where = parent(e);
            throw atKey(file, text, e.getLocation(), e.getPropertyName(), "unknown key '" + e.getPropertyName() + "'"
                    + (where.isEmpty() ? "" : " in " + where) + Suggest.hint(e.getPropertyName(), known)
                    + "Accepted here: " + String.join(", ", known));
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String where = path(e);
            String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            // A record's own check names the field first ("seeds must be at least 1"): point at it.
            String field = message.split("[ ,:]", 2)[0].replace("'", "");
            throw placed(file, shape, e, where, field, (where.isEmpty() ? "" : "in " + where + ": ") + message);
        } catch (InvalidFormatException e) {
            Object v = e.getValue();
            String shown = v instanceof byte[] ? "binary data" : "[" + v + "]";
            throw placed(file, shape, e, path(e), null, "in " + path(e) + ": " + shown + " is not " + typeName(e.getTargetType()));
        } catch (MismatchedInputException e) {
            String problem = e.getOriginalMessage();
            if (problem != null && (problem.startsWith("Cannot deserialize") || problem.startsWith("Cannot coerce"))) {
                Matcher v = QUOTED_VALUE.matcher(problem);
                problem = "expected " + typeName(e.getTargetType()) + " here" + (v.find() ? ", found [" + v.group(1) + "]" : "");
            }
            String where = path(e);
            throw placed(file, shape, e, where, null, (where.isEmpty() ? "" : "in " + where + ": ") + problem);
        } catch (JsonMappingException e) {
            String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            if (m.contains("\n in 'reader'")) {
                // a YAML syntax error met while binding a value
                throw at(file, e.getLocation(), "not valid YAML: " + yamlProblem(m));
            }
            throw at(file, e.getLocation(), m);
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            Matcher dup = DUPLICATE.matcher(m);
            if (dup.find()) {
                throw atKey(file, text, e.getLocation(), dup.group(1), "duplicate key '" + dup.group(1)
                        + "': each key appears once in a mapping");
            }
            // YAML syntax: the parser's own words say what it was doing and what it found.
            throw at(file, e.getLocation(), "not valid YAML: " + yamlProblem(m));
        }
        if (s == null) {
            throw new ScenarioException(file, 0, 0, "is empty: a scenario needs at least a 'subject'");
        }
        return new Loaded(name, file, text, s);
    }

    /** The scenario's name: its path under root, without the extension, with forward slashes. */
    public static String nameOf(Path file, Path root) {
        Path f = file.toAbsolutePath().normalize();
        Path r = root == null ? null : root.toAbsolutePath().normalize();
        Path rel = r != null && f.startsWith(r) && !f.equals(r) ? r.relativize(f) : f.getFileName();
        String s = rel.toString().replace('\\', '/');
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }

    /** A mistake at the node {@code path} names (and its {@code field}, if it has one), else where Jackson stopped. */
    private static ScenarioException placed(Path file, YamlShape shape, JsonMappingException e, String path, String field,
                                            String problem) {
        org.yaml.snakeyaml.error.Mark m = shape.locate(path, field);
        return m != null ? YamlShape.at(file, m, problem) : at(file, e.getLocation(), problem);
    }

    static ScenarioException at(Path file, JsonLocation loc, String problem) {
        return loc == null ? new ScenarioException(file, 0, 0, problem)
                : new ScenarioException(file, loc.getLineNr(), loc.getColumnNr(), problem);
    }

    /** For deserializers: a mistake at the parser's place. */
    static JsonMappingException bad(JsonParser p, String problem) {
        return MismatchedInputException.from(p, Duration.class, problem);
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "a mapping";
            case START_ARRAY -> "a list";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case VALUE_EMBEDDED_OBJECT -> "binary data";
            default -> "[" + t.asString() + "]";
        };
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "a value";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text";
        }
        if (type == Duration.class) {
            return "a duration (" + Durations.ACCEPTED + ")";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a mapping (" + type.getSimpleName() + ")";
    }

    /** Where in the document: {@code clients[1].script[0].line}. */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** The path to the object holding the unknown key. */
    private static String parent(JsonMappingException e) {
        List<JsonMappingException.Reference> refs = new ArrayList<>(e.getPath());
        if (!refs.isEmpty()) {
            refs.removeLast();
        }
        return refs.stream().map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
    }

    private static final Pattern QUOTED_VALUE = Pattern.compile("String value \\(\"([^\"]*)\"\\)");
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']+)'");

    /** SnakeYAML's report without its quotes of the source: "while parsing a flow mapping; expected ',' or '}', but got <stream end>". */
    private static String yamlProblem(String m) {
        return m.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)) && !l.startsWith(" in '"))
                .map(String::strip).collect(Collectors.joining("; "));
    }

    /**
     * A mistake about {@code key}: Jackson places it where it stopped reading (past the key's value,
     * often the next line), so look back from there for the line that holds the key.
     */
    static ScenarioException atKey(Path file, String text, JsonLocation loc, String key, String problem) {
        String[] lines = text.split("\n", -1);
        int from = loc == null ? lines.length : Math.min(loc.getLineNr(), lines.length);
        Pattern k = Pattern.compile("(^|[\\s{,-])" + Pattern.quote(key) + "\\s*:");
        for (int i = from - 1; i >= 0; i--) {
            Matcher m = k.matcher(lines[i]);
            int col = -1;
            while (m.find()) {
                col = m.start() + m.group(1).length();   // the last on the line: nearest before Jackson's place
            }
            if (col >= 0) {
                return new ScenarioException(file, i + 1, col + 1, problem);
            }
        }
        return at(file, loc, problem);
    }
}

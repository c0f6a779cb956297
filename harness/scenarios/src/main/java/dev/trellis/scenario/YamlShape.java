package dev.trellis.scenario;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scenario file as a YAML node tree, each node with its line and column: read before the
 * model is bound, so that every key the model does not have is named at its own place (with the
 * nearest one it has), YAML's own mistakes come in one line, and a mistake found while binding
 * (a value a record refuses) can be placed at the node it is about.
 */
final class YamlShape {
    private final Path file;
    private final Node root;

    private YamlShape(Path file, Node root) {
        this.file = file;
        this.root = root;
    }

    /** Reads {@code text} and checks its keys against the {@link Scenario} records. */
    static YamlShape check(String text, Path file) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true);   // found below, with their place
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = (e.getContext() == null ? "" : e.getContext() + ": ") + (e.getProblem() == null ? "" : e.getProblem());
            throw at(file, m, "not valid YAML: " + what.strip());
        } catch (RuntimeException e) {
            throw new ScenarioException(file, 0, 0, "not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new ScenarioException(file, 0, 0, "is empty: a scenario needs at least a 'subject'");
        }
        YamlShape shape = new YamlShape(file, root);
        if (!(root instanceof MappingNode)) {
            throw at(file, root.getStartMark(), "a scenario is a mapping of keys (subject:, explore:, clients:, ...), "
                    + "found " + kind(root));
        }
        shape.walk(root, Scenario.class, "");
        return shape;
    }

    private void walk(Node node, Class<?> record, String path) {
        if (node.getAnchor() != null) {
            throw at(file, node.getStartMark(), "YAML anchors and aliases (&" + node.getAnchor() + ", *"
                    + node.getAnchor() + ") are not read in scenario files: write the value out where it is used");
        }
        if (!(node instanceof MappingNode map)) {
            return;   // a scalar or a list where a mapping goes: binding names the expected type
        }
        List<String> known = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).sorted().toList();
        Set<String> seen = new HashSet<>();
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw at(file, t.getKeyNode().getStartMark(), "a key is a plain word, found " + kind(t.getKeyNode()));
            }
            String k = key.getValue();
            String where = path.isEmpty() ? "" : " in " + path;
            if (!known.contains(k)) {
                throw at(file, key.getStartMark(), "unknown key '" + k + "'" + where + Suggest.hint(k, known)
                        + "Accepted here: " + String.join(", ", known));
            }
            if (!seen.add(k)) {
                throw at(file, key.getStartMark(), "duplicate key '" + k + "'" + where + ": each key appears once in a mapping");
            }
            if (t.getValueNode().getAnchor() != null) {
                walk(t.getValueNode(), record, path);   // refuses it
            }
            Type type = component(record, k).getGenericType();
            String sub = path.isEmpty() ? k : path + "." + k;
            if (type instanceof Class<?> c && c.isRecord()) {
                walk(t.getValueNode(), c, sub);
            } else if (type instanceof ParameterizedType p && p.getRawType() == List.class
                    && p.getActualTypeArguments()[0] instanceof Class<?> item && item.isRecord()
                    && t.getValueNode() instanceof SequenceNode seq) {
                for (int i = 0; i < seq.getValue().size(); i++) {
                    walk(seq.getValue().get(i), item, sub + "[" + i + "]");
                }
            }
        }
    }

    private static RecordComponent component(Class<?> record, String name) {
        for (RecordComponent rc : record.getRecordComponents()) {
            if (rc.getName().equals(name)) {
                return rc;
            }
        }
        throw new IllegalStateException(name);
    }

    private static final Pattern PART = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    /**
     * The node at {@code path} ({@code clients[0].script[1]}), and in it the value of key
     * {@code key} when there is one (the field a record's own check names); null when not found.
     */
    Mark locate(String path, String key) {
        Node node = root;
        Matcher m = PART.matcher(path);
        while (m.find() && node != null) {
            if (m.group(1) != null) {
                node = value(node, m.group(1));
            } else if (node instanceof SequenceNode seq) {
                int i = Integer.parseInt(m.group(2));
                node = i < seq.getValue().size() ? seq.getValue().get(i) : null;
            } else {
                node = null;
            }
        }
        if (node == null) {
            return null;
        }
        Node field = key == null ? null : value(node, key);
        return (field != null ? field : node).getStartMark();
    }

    private static Node value(Node node, String key) {
        if (node instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return t.getValueNode();
                }
            }
        }
        return null;
    }

    /** A mistake at {@code mark}, or at the file when there is none. */
    static ScenarioException at(Path file, Mark mark, String problem) {
        return mark == null ? new ScenarioException(file, 0, 0, problem)
                : new ScenarioException(file, mark.getLine() + 1, mark.getColumn() + 1, problem);
    }

    private static String kind(Node n) {
        return switch (n.getNodeId()) {
            case scalar -> "a single value [" + ((ScalarNode) n).getValue() + "]";
            case sequence -> "a list";
            case mapping -> "a mapping";
            default -> "an alias";
        };
    }
}

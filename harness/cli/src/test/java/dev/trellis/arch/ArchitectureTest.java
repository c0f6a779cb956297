package dev.trellis.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layering the artifacts, their module descriptors and the packages promise, read off the
 * compiled classes of every module: the kernel sits below the runtime's API, the trace below
 * both, applications on the module path see the API and not the kernel, and each artifact uses
 * only the artifacts and libraries its pom brings (a user's {@code trellis-junit} brings no
 * picocli, no Jackson databind, no YAML).
 */
class ArchitectureTest {
    /** Each module's classes, from harness/cli where this test runs; in reactor order. */
    private static final Map<String, Path> MODULES = modules("core", "report", "apps", "junit", "lincheck", "scenarios", "cli");

    /** What each module may use: Trellis modules (with theirs) and the packages of outside libraries. */
    private static final Map<String, List<String>> ALLOWED = Map.of(
            "core", List.of(),
            "report", List.of("core", "com/fasterxml/jackson/core/"),
            "apps", List.of("core"),
            "junit", List.of("core", "report", "org/junit/", "net/jqwik/"),
            "lincheck", List.of("core", "org/jetbrains/kotlinx/lincheck/", "org/jetbrains/lincheck/", "kotlin/"),
            "scenarios", List.of("apps", "report", "core", "com/fasterxml/jackson/", "org/yaml/snakeyaml/"),
            // the bug benchmark runs trellis-lincheck's checks and Lincheck's own model checker
            "cli", List.of("scenarios", "apps", "lincheck", "report", "core", "picocli/", "com/fasterxml/jackson/",
                    "org/jetbrains/kotlinx/lincheck/", "org/jetbrains/lincheck/", "kotlin/"));

    private static Map<String, Path> modules(String... names) {
        Map<String, Path> out = new java.util.LinkedHashMap<>();
        for (String n : names) {
            out.put(n, Path.of("..", n, "target", "classes"));
        }
        return out;
    }

    /** The module whose classes hold package {@code dir} (dev/trellis/...). */
    private static Path classesOf(String dir) {
        for (Path classes : MODULES.values()) {
            if (Files.isDirectory(classes.resolve(dir))) {
                return classes;
            }
        }
        throw new AssertionError("no module's target/classes holds " + dir + " (run from harness/cli after the modules compiled)");
    }

    @Test
    void eachModuleUsesOnlyWhatItsPomBrings() throws IOException {
        Map<String, String> packageToModule = new TreeMap<>();
        for (var m : MODULES.entrySet()) {
            for (String pkg : packages(m.getValue())) {
                String before = packageToModule.put(pkg, m.getKey());
                assertThat(before).as("package " + pkg + " is in two modules, " + before + " and " + m.getKey()).isNull();
            }
        }
        List<String> strays = new ArrayList<>();
        for (var m : MODULES.entrySet()) {
            List<String> allowed = ALLOWED.get(m.getKey());
            for (String pkg : packages(m.getValue())) {
                for (String ref : references(m.getValue(), pkg)) {
                    String name = elementType(ref);
                    if (name == null) {
                        continue;
                    }
                    String slash = name.substring(0, name.lastIndexOf('/') + 1);
                    String owner = packageToModule.get(slash.isEmpty() ? "" : slash.substring(0, slash.length() - 1));
                    boolean ok = name.startsWith("java/") || name.startsWith("javax/") || name.startsWith("jdk/")
                            || (owner != null && (owner.equals(m.getKey()) || allowed.contains(owner)))
                            || allowed.stream().anyMatch(a -> a.endsWith("/") && name.startsWith(a));
                    if (!ok) {
                        strays.add(m.getKey() + ": " + pkg + " uses " + name);
                    }
                }
            }
        }
        assertThat(strays).as("classes that use a module or library their artifact's pom does not bring "
                + "(see docs/layout.md#artifacts)").isEmpty();
    }

    /** The class an array type names ({@code [[Ljava/lang/String;} is java/lang/String), null for a primitive's. */
    private static String elementType(String name) {
        String n = name;
        while (n.startsWith("[")) {
            n = n.substring(1);
        }
        if (n.length() == name.length()) {
            return name;
        }
        return n.startsWith("L") && n.endsWith(";") ? n.substring(1, n.length() - 1) : null;
    }

    @Test
    void theCoreNeedsNothingButTheJdk() throws IOException {
        ModuleDescriptor core = descriptor("core");
        assertThat(core.requires()).extracting(ModuleDescriptor.Requires::name).containsOnly("java.base");
    }
    private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([\\w$]+/[\\w/$]+)[;<]");

    @Test
    void theKernelDoesNotDependOnTheRuntimeItServes() throws IOException {
        assertThat(references("dev/trellis/runtime/spi"))
                .as("classes of dev.trellis.runtime.spi may use the trace and the JDK, not the runtime's API")
                .noneMatch(name -> name.startsWith("dev/trellis/") && !name.startsWith("dev/trellis/runtime/spi/")
                        && !name.startsWith("dev/trellis/trace/"));
    }

    @Test
    void theTraceDependsOnNothingOfTrellis() throws IOException {
        assertThat(references("dev/trellis/trace"))
                .noneMatch(name -> name.startsWith("dev/trellis/") && !name.startsWith("dev/trellis/trace/"));
    }

    @Test
    void scenarioFilesReportsAndExplorationLayerOneWay() throws IOException {
        // scenario (the file format) knows nothing of how it is explored or reported;
        // report (one execution's files) knows nothing of scenarios; explore uses both; the CLI uses explore.
        assertThat(references("dev/trellis/scenario"))
                .noneMatch(n -> n.startsWith("dev/trellis/explore/") || n.startsWith("dev/trellis/report/")
                        || n.startsWith("dev/trellis/cli/"));
        assertThat(references("dev/trellis/report"))
                .noneMatch(n -> n.startsWith("dev/trellis/scenario/") || n.startsWith("dev/trellis/explore/")
                        || n.startsWith("dev/trellis/cli/") || n.startsWith("dev/trellis/sim/"));
        assertThat(references("dev/trellis/explore")).noneMatch(n -> n.startsWith("dev/trellis/cli/"));
    }

    private static ModuleDescriptor descriptor(String module) throws IOException {
        try (InputStream in = Files.newInputStream(MODULES.get(module).resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void theModuleExportsTheApiAndNotTheKernel() throws IOException {
        ModuleDescriptor module = descriptor("core");
        Set<String> exported = module.exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(exported)
                .contains("dev.trellis.runtime", "dev.trellis.sim", "dev.trellis.real", "dev.trellis.testkit")
                .doesNotContain("dev.trellis.runtime.spi", "dev.trellis.cli");
    }

    @Test
    void exportedApiNeverNamesTheKernel() throws IOException {
        List<String> leaks = new ArrayList<>();
        for (var m : MODULES.entrySet()) {
            if (!Files.exists(m.getValue().resolve("module-info.class"))) {
                continue;
            }
            for (ModuleDescriptor.Exports e : descriptor(m.getKey()).exports()) {
                if (e.isQualified()) {
                    continue;
                }
                Path dir = m.getValue().resolve(e.source().replace('.', '/'));
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                        leaks.addAll(kernelInSignatures(ClassFile.of().parse(f)));
                    }
                }
            }
        }
        assertThat(leaks).as("public and protected signatures of exported packages that name the kernel "
                + "(dev.trellis.runtime.spi), which applications cannot see on the module path").isEmpty();
    }

    /** Where a public class's public or protected members, supertypes or throws name runtime.spi. */
    private static List<String> kernelInSignatures(ClassModel c) {
        List<String> out = new ArrayList<>();
        String name = c.thisClass().asInternalName();
        if (!c.flags().has(java.lang.reflect.AccessFlag.PUBLIC)) {
            return out;
        }
        String spi = "dev/trellis/runtime/spi/";
        c.superclass().ifPresent(s -> {
            if (s.asInternalName().startsWith(spi)) {
                out.add(name + " extends " + s.asInternalName());
            }
        });
        c.interfaces().forEach(i -> {
            if (i.asInternalName().startsWith(spi)) {
                out.add(name + " implements " + i.asInternalName());
            }
        });
        for (var m : c.methods()) {
            boolean visible = m.flags().has(java.lang.reflect.AccessFlag.PUBLIC)
                    || m.flags().has(java.lang.reflect.AccessFlag.PROTECTED);
            if (visible && m.methodType().stringValue().contains("L" + spi)) {
                out.add(name + "." + m.methodName().stringValue() + m.methodType().stringValue());
            }
        }
        for (var f : c.fields()) {
            boolean visible = f.flags().has(java.lang.reflect.AccessFlag.PUBLIC)
                    || f.flags().has(java.lang.reflect.AccessFlag.PROTECTED);
            if (visible && f.fieldType().stringValue().contains("L" + spi)) {
                out.add(name + "." + f.fieldName().stringValue() + " " + f.fieldType().stringValue());
            }
        }
        return out;
    }

    @Test
    void noPackageCycles() throws IOException {
        Map<String, Set<String>> graph = packageGraph();
        List<List<String>> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(graph)) {
            if (component.size() > 1) {
                cycles.add(new ArrayList<>(component));
            }
        }
        assertThat(cycles).as("packages that depend on each other round a cycle (each list is one): "
                + "a package depends on those below it, never back").isEmpty();
    }

    /**
     * The packages of dev.trellis and, for each, the others its classes name. A class nested in
     * another counts for its package.
     */
    private static Map<String, Set<String>> packageGraph() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Path classes : MODULES.values()) {
            for (String pkg : packages(classes)) {
                Set<String> to = new TreeSet<>();
                for (String name : references(classes, pkg)) {
                    int slash = name.lastIndexOf('/');
                    String other = slash < 0 ? "" : name.substring(0, slash);
                    if (name.startsWith("dev/trellis/") && !other.equals(pkg)) {
                        to.add(other);
                    }
                }
                graph.put(pkg, to);
            }
        }
        return graph;
    }

    /** The packages under dev/trellis in {@code classes} that hold classes, as dev/trellis/... */
    private static List<String> packages(Path classes) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(classes.resolve("dev/trellis"))) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> f = Files.list(d)) {
                    if (f.anyMatch(p -> p.toString().endsWith(".class"))) {
                        out.add(classes.relativize(d).toString().replace('\\', '/'));
                    }
                }
            }
        }
        return out;
    }

    /** Tarjan's strongly connected components, in a fixed order. */
    private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!graph.containsKey(w)) {
                continue;
            }
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }

    /** Every class named in the constant pools of the classes of package {@code dir}. */
    private static Set<String> references(String dir) throws IOException {
        return references(classesOf(dir), dir);
    }

    private static Set<String> references(Path classes, String dir) throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.list(classes.resolve(dir))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                ClassModel model = ClassFile.of().parse(f);
                for (PoolEntry e : model.constantPool()) {
                    if (e instanceof ClassEntry c) {
                        out.add(c.asInternalName());
                    } else if (e instanceof Utf8Entry u) {
                        // Types that appear only in a method's or field's descriptor or signature.
                        Matcher m = TYPE_IN_DESCRIPTOR.matcher(u.stringValue());
                        while (m.find()) {
                            out.add(m.group(1));
                        }
                    }
                }
            }
        }
        assertThat(out).as("classes read under " + dir).isNotEmpty();
        return out;
    }
}

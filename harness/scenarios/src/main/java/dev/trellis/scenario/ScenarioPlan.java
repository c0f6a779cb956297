package dev.trellis.scenario;

import dev.trellis.sim.Outcome;
import dev.trellis.apps.HappyEyeballs;
import dev.trellis.apps.NurseryDemo;
import dev.trellis.apps.Programs;
import dev.trellis.check.AddressBehaviour;
import dev.trellis.check.ChatHistory;
import dev.trellis.check.ChatInvariants;
import dev.trellis.check.ConnectionLog;
import dev.trellis.check.EchoInvariants;
import dev.trellis.check.HappyEyeballsInvariants;
import dev.trellis.check.HistoryInvariant;
import dev.trellis.check.Invariant;
import dev.trellis.check.StructuralInvariants;
import dev.trellis.runtime.Body;
import dev.trellis.runtime.Handler;
import dev.trellis.runtime.Network;
import dev.trellis.sim.SimConfig;
import dev.trellis.sim.SimNetwork;
import dev.trellis.streams.StreamOptions;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A scenario made runnable: the subject resolved, the clients expanded, the rules chosen, every
 * name checked. Everything a file can get wrong is found here or by {@link ScenarioReader}, before
 * the first seed runs, and reported with its line and column.
 */
public final class ScenarioPlan {
    private static final List<String> SERVERS = List.of("echo", "chat", "seed-chat");

    private final ScenarioReader.Loaded loaded;
    private final SimConfig config;
    private final Kind kind;
    private final Supplier<Handler> handler;
    private final Network.OnHandlerFailure onFailure;
    private final List<Script> scripts;
    private final NetworkSetup setup;
    private final List<HistoryInvariant<ChatHistory>> chatRules;
    private final List<HistoryInvariant<List<ConnectionLog>>> echoRules;
    private final List<AddressBehaviour> addresses;
    private final List<String> ruleNames;
    private final String classpath;
    private ClassLoader loader;

    /** The name Trellis's command gives the class loader of {@code --classpath}. */
    public static final String USER_CLASSES = "trellis-user-classes";

    private enum Kind { SERVER, NURSERY, HAPPY_EYEBALLS }

    /** How the network around the server behaves: its connect rule and its partition. */
    record NetworkSetup(Duration connectDelay, boolean refused, Scenario.Partition partition) {
        void apply(SimNetwork net, String ip) {
            if (connectDelay != null || refused) {
                net.connectRule(ip, connectDelay == null ? Duration.ZERO : connectDelay, refused);
            }
            if (partition != null) {
                net.partition(ip, partition.from(), partition.until());
            }
        }
    }

    private ScenarioPlan(ScenarioReader.Loaded loaded, SimConfig config, Kind kind, Supplier<Handler> handler,
                         Network.OnHandlerFailure onFailure, List<Script> scripts, NetworkSetup setup,
                         List<HistoryInvariant<ChatHistory>> chatRules, List<HistoryInvariant<List<ConnectionLog>>> echoRules,
                         List<AddressBehaviour> addresses, List<String> ruleNames, String classpath) {
        this.loaded = loaded;
        this.config = config;
        this.kind = kind;
        this.handler = handler;
        this.onFailure = onFailure;
        this.scripts = scripts;
        this.setup = setup;
        this.chatRules = chatRules;
        this.echoRules = echoRules;
        this.addresses = addresses;
        this.ruleNames = ruleNames;
        this.classpath = classpath;
    }

    /** Reads and plans {@code file}; handler classes are loaded from {@code loader}. */
    public static ScenarioPlan of(ScenarioReader.Loaded loaded, ClassLoader loader) {
        ScenarioPlan p = new Planner(loaded, loader).plan();
        p.loader = loader;
        return p;
    }

    /** Where its handler class came from: what a variant of this scenario is planned with. */
    public ClassLoader loader() {
        return loader;
    }

    /** Whether it is a server with scripted clients (what scenario shrinking can make smaller). */
    public boolean servesClients() {
        return kind == Kind.SERVER;
    }

    public String name() {
        return loaded.name();
    }

    public ScenarioReader.Loaded loaded() {
        return loaded;
    }

    public Scenario scenario() {
        return loaded.scenario();
    }

    /** The config every seed runs with: the scenario's strategy (as written), limits, streams, trace rules. */
    public SimConfig config() {
        return config;
    }

    /** What the scenario expects: {@code pass}, a rule or a failure kind. */
    public String expected() {
        return scenario().expected();
    }

    /**
     * {@code --classpath PATH} as the command that read this scenario was given it, for commands
     * that must find the same handler class again (the replay command), or "" when none was given.
     */
    public String classpathOption() {
        return classpath == null ? "" : " --classpath " + classpath;
    }

    /** Every rule that judges an execution, by name, the structural ones first. */
    public List<String> rules() {
        return ruleNames;
    }

    /** A fresh execution: its body, and afterwards what its clients saw. */
    public Execution newExecution() {
        return new Execution();
    }

    /** One execution of the scenario; not reusable. */
    public final class Execution {
        private ScriptedWorld world;

        /** The body to hand to the simulator. */
        public Body body() {
            return switch (kind) {
                case NURSERY -> () -> NurseryDemo.run(line -> { });
                case HAPPY_EYEBALLS -> () -> {
                    Scenario.HappyEyeballs he = scenario().happyEyeballs();
                    EyeballsWorld.run(addresses, he.delay() == null ? HappyEyeballs.DEFAULT_DELAY : he.delay(),
                            he.giveUpAfter() == null ? Duration.ofSeconds(10) : he.giveUpAfter());
                };
                case SERVER -> () -> {
                    world = new ScriptedWorld(handler, onFailure, scripts, scenario().runFor());
                    world.run(setup);
                    if (!chatRules.isEmpty()) {
                        HistoryInvariant.verify(world.chatHistory(), chatRules);
                    }
                    if (!echoRules.isEmpty()) {
                        HistoryInvariant.verify(world.logs(), echoRules);
                    }
                };
            };
        }

        /** Every connection's log, once the body has run (empty for subjects without clients). */
        public List<ConnectionLog> clients() {
            return world == null ? List.of() : world.logs();
        }
    }

    /** Checks and resolves a scenario, one concern a method. */
    private static final class Planner {
        private final ScenarioReader.Loaded loaded;
        private final Scenario s;
        private final ClassLoader loader;

        Planner(ScenarioReader.Loaded loaded, ClassLoader loader) {
            this.loaded = loaded;
            this.s = loaded.scenario();
            this.loader = loader;
        }

        private ScenarioException error(String key, String value, String problem) {
            return Locator.at(loaded.file(), loaded.text(), key, value, problem);
        }

        ScenarioPlan plan() {
            Scenario.Subject subject = s.subject();
            Kind kind;
            Supplier<Handler> handler = null;
            Network.OnHandlerFailure onFailure = null;
            String protocol;
            if (subject.program() != null) {
                Programs.Program p = Programs.find(subject.program()).orElseThrow(() -> error("program", subject.program(),
                        "unknown program '" + subject.program() + "'" + Suggest.hint(subject.program(),
                                Programs.all().stream().map(Programs.Program::name).toList())
                                + "Accepted: " + Programs.names(x -> true) + ", or handler: <class name>"));
                kind = switch (p.name()) {
                    case "nursery" -> Kind.NURSERY;
                    case "happy-eyeballs" -> Kind.HAPPY_EYEBALLS;
                    default -> Kind.SERVER;
                };
                if (p.hasServer()) {
                    handler = () -> p.server().get();
                    onFailure = p.onFailure();
                }
                protocol = p.name().equals("echo") ? "echo" : p.name().contains("chat") ? "chat" : p.name();
            } else {
                kind = Kind.SERVER;
                handler = handlerClass(subject.handler());
                onFailure = Network.OnHandlerFailure.PROPAGATE;
                protocol = subject.protocol() == null ? "none" : subject.protocol();
            }
            if (subject.onHandlerFailure() != null) {
                if (kind != Kind.SERVER) {
                    throw error("onHandlerFailure", null, "onHandlerFailure is for servers; " + subject.program() + " serves nothing");
                }
                onFailure = subject.onHandlerFailure().equals("propagate") ? Network.OnHandlerFailure.PROPAGATE
                        : Network.OnHandlerFailure.CLOSE_CONNECTION;
            }
            shape(kind);
            List<AddressBehaviour> addresses = kind == Kind.HAPPY_EYEBALLS ? addresses() : List.of();

            // Rules: the structural ones always; the protocol's by name or 'all'.
            Map<String, Object> catalog = new LinkedHashMap<>();
            List<Invariant> traceRules = new ArrayList<>(StructuralInvariants.all());
            switch (protocol) {
                case "chat" -> ChatInvariants.all(ChatInvariants.Limits.simulated()).forEach(r -> catalog.put(r.name(), r));
                case "echo" -> EchoInvariants.all().forEach(r -> catalog.put(r.name(), r));
                case "happy-eyeballs" -> HappyEyeballsInvariants.all(addresses).forEach(r -> catalog.put(r.name(), r));
                default -> { }
            }
            List<String> names = new ArrayList<>();
            traceRules.forEach(r -> names.add(r.name()));
            List<HistoryInvariant<ChatHistory>> chat = new ArrayList<>();
            List<HistoryInvariant<List<ConnectionLog>>> echo = new ArrayList<>();
            List<String> wanted = s.invariants().contains("all") ? List.copyOf(catalog.keySet()) : s.invariants();
            for (String w : wanted) {
                Object rule = catalog.get(w);
                if (rule == null) {
                    if (traceRules.stream().anyMatch(r -> r.name().equals(w))) {
                        continue;   // structural: always on
                    }
                    TreeSet<String> known = new TreeSet<>(catalog.keySet());
                    known.add("all");
                    throw error("invariants", w, "unknown rule '" + w + "' for a " + protocol + " subject"
                            + Suggest.hint(w, known) + "Accepted: " + String.join(", ", known)
                            + " (the structural rules always apply)");
                }
                names.add(w);
                switch (protocol) {
                    case "chat" -> chat.add(cast(rule));
                    case "echo" -> echo.add(cast(rule));
                    default -> traceRules.add((Invariant) rule);
                }
            }
            List<Script> scripts = kind == Kind.SERVER ? scripts(!chat.isEmpty()) : List.of();
            if (scripts.stream().anyMatch(sc -> sc.actions().stream().anyMatch(a -> a.kind() == Script.Action.Kind.EXPECT))) {
                names.add("expect");
            }
            expected(names);

            Scenario.Explore e = s.explore();
            SimConfig config = SimConfig.defaults().withStrategy(e.strategy()).withMaxSteps(e.maxSteps())
                    .withMaxTime(e.maxTime()).withInvariants(traceRules);
            if (s.network().streams() != null) {
                config = config.withStreams(streams(s.network().streams()));
            }
            Scenario.Connect c = s.network().connect();
            NetworkSetup setup = new NetworkSetup(c == null ? null : c.delay(), c != null && Boolean.TRUE.equals(c.refused()),
                    s.network().partition());
            String classpath = null;
            if (loader instanceof java.net.URLClassLoader u && USER_CLASSES.equals(u.getName()) && subject.handler() != null) {
                classpath = java.util.Arrays.stream(u.getURLs()).map(url -> {
                    try {
                        return java.nio.file.Path.of(url.toURI()).toString();
                    } catch (java.net.URISyntaxException bad) {
                        return url.toString();
                    }
                }).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
            }
            return new ScenarioPlan(loaded, config, kind, handler, onFailure, scripts, setup, List.copyOf(chat),
                    List.copyOf(echo), addresses, List.copyOf(names), classpath);
        }

        @SuppressWarnings("unchecked")
        private static <T> T cast(Object o) {
            return (T) o;
        }

        /** What each kind of subject needs and refuses. */
        private void shape(Kind kind) {
            switch (kind) {
                case SERVER -> {
                    if (s.clients().isEmpty()) {
                        throw error("subject", null, "a server needs 'clients' to talk to it");
                    }
                    if (s.happyEyeballs() != null) {
                        throw error("happyEyeballs", null, "happyEyeballs is for program: happy-eyeballs");
                    }
                }
                case HAPPY_EYEBALLS -> {
                    if (s.happyEyeballs() == null) {
                        throw error("program", "happy-eyeballs", "program happy-eyeballs needs a 'happyEyeballs' section "
                                + "with its addresses");
                    }
                    if (!s.clients().isEmpty() || s.runFor() != null || !s.network().equals(Scenario.NetworkSpec.DEFAULT)) {
                        throw error("program", "happy-eyeballs", "happy-eyeballs takes a 'happyEyeballs' section, not "
                                + "clients, network or runFor");
                    }
                }
                case NURSERY -> {
                    if (!s.clients().isEmpty() || s.happyEyeballs() != null || s.runFor() != null
                            || !s.network().equals(Scenario.NetworkSpec.DEFAULT)) {
                        throw error("program", "nursery", "the nursery demo serves nothing: no clients, network, runFor or "
                                + "happyEyeballs");
                    }
                }
            }
        }

        private void expected(List<String> rules) {
            String x = s.expected();
            boolean looksLikeClass = x.contains(".") || x.endsWith("Exception") || x.endsWith("Error");
            if (x.equals(Outcome.PASS) || rules.contains(x) || Outcome.KINDS.contains(x) || looksLikeClass) {
                return;
            }
            TreeSet<String> known = new TreeSet<>(rules);
            known.addAll(Outcome.KINDS);
            known.add(Outcome.PASS);
            throw error("expected", x, "expected '" + x + "' is not an outcome this scenario can have"
                    + Suggest.hint(x, known) + "Accepted: " + String.join(", ", known)
                    + ", or the class name of an exception");
        }

        private Supplier<Handler> handlerClass(String name) {
            Class<?> c;
            try {
                c = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw error("handler", name, "no class '" + name + "' on the class path (give its fully qualified "
                        + "name; --classpath DIR on trellis explore and trellis replay adds your compiled classes)");
            }
            if (!Handler.class.isAssignableFrom(c)) {
                throw error("handler", name, "'" + name + "' is not a dev.trellis.runtime.Handler");
            }
            if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
                throw error("handler", name, "'" + name + "' is " + (c.isInterface() ? "an interface" : "abstract")
                        + ": name a concrete Handler class");
            }
            Constructor<?> ctor;
            try {
                ctor = c.getConstructor();
            } catch (NoSuchMethodException e) {
                throw error("handler", name, "'" + name + "' has no public no-argument constructor, which a scenario "
                        + "uses to make one handler per execution");
            }
            // One made now, outside any run: a constructor that cannot run is a mistake in the setup,
            // not a failure of every seed.
            try {
                ctor.newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw error("handler", name, "'" + name + "()' threw " + cause);
            }
            return () -> {
                try {
                    return (Handler) ctor.newInstance();
                } catch (ReflectiveOperationException e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    throw new IllegalStateException("cannot create handler " + name + ": " + cause, cause);
                }
            };
        }

        private List<AddressBehaviour> addresses() {
            List<AddressBehaviour> out = new ArrayList<>();
            for (Scenario.AddressSpec a : s.happyEyeballs().addresses()) {
                out.add(a.succeeds() != null ? AddressBehaviour.succeedsAfter(a.succeeds())
                        : a.refused() != null ? AddressBehaviour.refusedAfter(a.refused()) : AddressBehaviour.hangs());
            }
            return out;
        }

        /** Every client expanded: count, {i}, login, defaults. */
        private List<Script> scripts(boolean chatRules) {
            List<Script> out = new ArrayList<>();
            TreeSet<String> labels = new TreeSet<>();
            for (Scenario.Client c : s.clients()) {
                int count = c.count() == null ? 1 : c.count();
                String nameTemplate = c.name() != null ? c.name() : c.login();
                if (count > 1 && !nameTemplate.contains("{i}")) {
                    throw error("name", nameTemplate, "client '" + nameTemplate + "' has count " + count
                            + ": put {i} in its name so each gets its own (user{i} → user1, user2, ...)");
                }
                boolean reads = !Boolean.FALSE.equals(c.reads());
                boolean pauses = c.script().stream().anyMatch(st -> Boolean.TRUE.equals(st.pauseReading())
                        || Boolean.TRUE.equals(st.resumeReading()));
                if (pauses && chatRules) {
                    throw error("pauseReading", null, "client '" + nameTemplate + "': the chat rules model a reader by when "
                            + "it starts reading; use 'readFrom: <time>' (or invariants without chat rules)");
                }
                boolean expects = c.script().stream().anyMatch(st -> st.expect() != null || st.expectRegex() != null);
                if (expects && !reads) {
                    throw error("expect", null, "client '" + nameTemplate + "' expects a line but never reads (reads: false)");
                }
                for (int i = 1; i <= count; i++) {
                    String label = fill(nameTemplate, i);
                    if (!labels.add(label)) {
                        throw error("name", nameTemplate, "two clients are called '" + label + "'");
                    }
                    List<Script.Action> actions = new ArrayList<>();
                    if (c.login() != null) {
                        actions.add(new Script.Action(null, Script.Action.Kind.SEND,
                                (fill(c.login(), i) + "\n").getBytes(StandardCharsets.UTF_8), null, null, null, 0));
                    }
                    int n = 0;
                    for (Scenario.Step st : c.script()) {
                        actions.add(action(st, i, ++n));
                    }
                    Duration readFrom = !reads ? null : c.readFrom() == null ? Duration.ZERO : c.readFrom();
                    out.add(new Script(label, c.connectAt() == null ? Duration.ZERO : c.connectAt(), readFrom,
                            c.streams() == null ? null : streams(c.streams()), actions));
                }
            }
            return out;
        }

        private static String fill(String template, int i) {
            return template.replace("{i}", Integer.toString(i));
        }

        private static Script.Action action(Scenario.Step st, int i, int number) {
            Duration within = st.within() == null ? Duration.ofSeconds(1) : st.within();
            if (st.line() != null) {
                return send(st, (fill(st.line(), i) + "\n").getBytes(StandardCharsets.UTF_8), number);
            }
            if (st.text() != null) {
                return send(st, fill(st.text(), i).getBytes(StandardCharsets.UTF_8), number);
            }
            if (st.hex() != null) {
                return send(st, Hex.parse(st.hex()), number);
            }
            if (st.expect() != null) {
                return new Script.Action(st.at(), Script.Action.Kind.EXPECT, null, fill(st.expect(), i), null, within, number);
            }
            if (st.expectRegex() != null) {
                return new Script.Action(st.at(), Script.Action.Kind.EXPECT, null, null,
                        Pattern.compile(fill(st.expectRegex(), i)), within, number);
            }
            Script.Action.Kind k = Boolean.TRUE.equals(st.pauseReading()) ? Script.Action.Kind.PAUSE
                    : Boolean.TRUE.equals(st.resumeReading()) ? Script.Action.Kind.RESUME
                    : Boolean.TRUE.equals(st.halfClose()) ? Script.Action.Kind.HALF_CLOSE
                    : Boolean.TRUE.equals(st.close()) ? Script.Action.Kind.CLOSE : Script.Action.Kind.RECONNECT;
            return new Script.Action(st.at(), k, null, null, null, null, number);
        }

        private static Script.Action send(Scenario.Step st, byte[] data, int number) {
            return new Script.Action(st.at(), Script.Action.Kind.SEND, data, null, null, null, number);
        }
    }

    /** A file's stream knobs on top of their preset. */
    static StreamOptions streams(Scenario.Streams s) {
        StreamOptions o = switch (s.preset() == null ? "adversarial" : s.preset()) {
            case "plain" -> StreamOptions.plain();
            case "lockstep" -> StreamOptions.lockstep();
            default -> StreamOptions.adversarial();
        };
        if (s.capacity() != null) {
            o = o.withCapacity(s.capacity());
        }
        int max = s.maxChunk() != null ? s.maxChunk() : o.maxChunk();
        if (s.chunking() != null) {
            o = switch (s.chunking()) {
                case "whole" -> new StreamOptions(o.capacity(), 0, false, o.latency(), o.resetAfter());
                case "fixed" -> o.withFixedChunks(max);
                default -> new StreamOptions(o.capacity(), max, true, o.latency(), o.resetAfter());
            };
        } else if (s.maxChunk() != null) {
            o = new StreamOptions(o.capacity(), max, o.randomChunks(), o.latency(), o.resetAfter());
        }
        if (s.latency() != null) {
            o = o.withLatency(s.latency());
        }
        if (s.resetAt() != null) {
            o = o.withResetAfter(s.resetAt());
        }
        if (s.resetWithin() != null) {
            o = o.withRandomReset(s.resetWithin());
        }
        return o;
    }
}

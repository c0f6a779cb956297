package dev.trellis.scenario;

import dev.trellis.sim.Durations;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.time.Duration;
import java.util.List;

/**
 * One scenario file: a subject to explore, how to explore it, the network and the scripted
 * clients, the rules that judge each execution and the outcome the scenario expects. Bound by
 * Jackson from YAML ({@link ScenarioReader}); each record checks its own fields, so a mistake is
 * reported at the line and column of the object that holds it. The descriptions here are the
 * JSON Schema's ({@link ScenarioSchema}), which is what an editor shows while a person types.
 */
public record Scenario(
        @JsonPropertyDescription("What the scenario shows, for people and reports.")
        String description,
        @JsonPropertyDescription("What runs: one of Trellis's programs, or a Handler class of yours.")
        Subject subject,
        @JsonPropertyDescription("How the seeds are explored: strategy, seeds, limits.")
        Explore explore,
        @JsonPropertyDescription("The simulated network between the clients and the server.")
        NetworkSpec network,
        @JsonPropertyDescription("Scripted clients of the server, each with its own connection.")
        List<Client> clients,
        @JsonPropertyDescription("For program happy-eyeballs: the host's addresses and what each does.")
        HappyEyeballs happyEyeballs,
        @JsonPropertyDescription("Virtual time at which the server stops and, a moment later, the clients. Without it the "
                + "server stops when every client has finished its script.")
        Duration runFor,
        @JsonPropertyDescription("Rules that judge every execution, by name ('all' for the protocol's whole set). The "
                + "structural rules always apply; so do clients' expect steps. Default: [all].")
        List<String> invariants,
        @JsonPropertyDescription("What every explored execution must show: 'pass', or the rule or failure kind a "
                + "known-bug subject must fail with (chat-total-order, Deadlock, BodyFailed, or the class name of the "
                + "exception the body dies of). Default: pass.")
        String expected) {

    public Scenario {
        if (subject == null) {
            throw new IllegalArgumentException("a scenario needs a 'subject' (program: ... or handler: ...)");
        }
        clients = clients == null ? List.of() : List.copyOf(clients);
        invariants = invariants == null || invariants.isEmpty() ? List.of("all") : List.copyOf(invariants);
        expected = expected == null ? "pass" : expected.strip();
        explore = explore == null ? Explore.DEFAULT : explore;
        network = network == null ? NetworkSpec.DEFAULT : network;
        if (runFor != null && !runFor.isPositive()) {
            throw new IllegalArgumentException("runFor must be a positive duration, was [" + Durations.format(runFor) + "]");
        }
    }

    /** What runs. Exactly one of {@code program} and {@code handler}. */
    public record Subject(
            @JsonPropertyDescription("One of Trellis's programs: nursery, echo, chat, seed-chat, happy-eyeballs.")
            String program,
            @JsonPropertyDescription("The fully qualified name of a dev.trellis.runtime.Handler class with a public "
                    + "no-argument constructor; one instance per execution serves every connection.")
            String handler,
            @JsonPropertyDescription("The protocol a handler speaks, which decides the rules 'all' means: chat, echo or "
                    + "none (default none). Programs speak their own.")
            String protocol,
            @JsonPropertyDescription("What a handler's failure does: propagate (the server goes down, as trio's "
                    + "serve_tcp) or close-connection. Default: the program's own, propagate for a handler.")
            String onHandlerFailure) {
        public Subject {
            if ((program == null) == (handler == null)) {
                throw new IllegalArgumentException("a subject names exactly one of 'program' and 'handler'");
            }
            if (onHandlerFailure != null && !List.of("propagate", "close-connection").contains(onHandlerFailure)) {
                throw new IllegalArgumentException("onHandlerFailure is 'propagate' or 'close-connection', was ["
                        + onHandlerFailure + "]" + Suggest.didYouMean(onHandlerFailure, List.of("propagate", "close-connection")));
            }
            if (protocol != null && !List.of("chat", "echo", "none").contains(protocol)) {
                throw new IllegalArgumentException("protocol is 'chat', 'echo' or 'none', was [" + protocol + "]"
                        + Suggest.didYouMean(protocol, List.of("chat", "echo", "none")));
            }
            if (protocol != null && program != null) {
                throw new IllegalArgumentException("'protocol' is for a handler; program " + program + " speaks its own");
            }
        }
    }

    /** How the seeds are explored. */
    public record Explore(
            @JsonPropertyDescription("The scheduling strategy: random, pos, pct:D, pct:D:K, dfs:P. Default random.")
            String strategy,
            @JsonPropertyDescription("The first seed. Default 0.")
            Long firstSeed,
            @JsonPropertyDescription("How many seeds to run. Default 100.")
            Long seeds,
            @JsonPropertyDescription("Scheduling steps one execution may take. Default 1000000.")
            Long maxSteps,
            @JsonPropertyDescription("Virtual time one execution may take. Default 1d.")
            Duration maxTime) {
        static final Explore DEFAULT = new Explore(null, null, null, null, null);

        public Explore {
            strategy = strategy == null ? "random" : strategy.strip();
            firstSeed = firstSeed == null ? 0L : firstSeed;
            seeds = seeds == null ? 100L : seeds;
            maxSteps = maxSteps == null ? 1_000_000L : maxSteps;
            maxTime = maxTime == null ? Duration.ofDays(1) : maxTime;
            if (firstSeed < 0) {
                throw new IllegalArgumentException("firstSeed must not be negative, was [" + firstSeed + "]");
            }
            if (seeds < 1) {
                throw new IllegalArgumentException("seeds must be at least 1, was [" + seeds + "]");
            }
            if (maxSteps < 1) {
                throw new IllegalArgumentException("maxSteps must be at least 1, was [" + maxSteps + "]");
            }
            if (!maxTime.isPositive()) {
                throw new IllegalArgumentException("maxTime must be positive, was [" + Durations.format(maxTime) + "]");
            }
            dev.trellis.sim.Strategies.parse(strategy);   // throws, naming what is accepted
        }
    }

    /** The simulated network. */
    public record NetworkSpec(
            @JsonPropertyDescription("How every connection's streams behave unless a client says otherwise.")
            Streams streams,
            @JsonPropertyDescription("Connecting to the server: a delay, or a refusal.")
            Connect connect,
            @JsonPropertyDescription("A window of virtual time in which nothing crosses to or from the server.")
            Partition partition) {
        static final NetworkSpec DEFAULT = new NetworkSpec(null, null, null);
    }

    /** Stream behaviour: a preset and the knobs that change it (see {@code StreamOptions}). */
    public record Streams(
            @JsonPropertyDescription("Where the knobs start: adversarial (4 KiB buffers, receives of random size; the "
                    + "default), plain (64 KiB, whole receives) or lockstep (no buffer).")
            String preset,
            @JsonPropertyDescription("Bytes a direction buffers before a send waits; 0 is lockstep.")
            Integer capacity,
            @JsonPropertyDescription("How receives are cut: whole (as much as is there), fixed (maxChunk each) or "
                    + "random (a size the seed draws, up to maxChunk).")
            String chunking,
            @JsonPropertyDescription("The most bytes one receive returns (0: no limit).")
            Integer maxChunk,
            @JsonPropertyDescription("Virtual time between a send and its bytes becoming receivable.")
            Duration latency,
            @JsonPropertyDescription("The connection resets once this many bytes have been sent in one direction.")
            Long resetAt,
            @JsonPropertyDescription("The connection resets at a byte the seed draws below this.")
            Long resetWithin) {
        public Streams {
            if (preset != null && !List.of("adversarial", "plain", "lockstep").contains(preset)) {
                throw new IllegalArgumentException("preset is adversarial, plain or lockstep, was [" + preset + "]"
                        + Suggest.didYouMean(preset, List.of("adversarial", "plain", "lockstep")));
            }
            if (chunking != null && !List.of("whole", "fixed", "random").contains(chunking)) {
                throw new IllegalArgumentException("chunking is whole, fixed or random, was [" + chunking + "]"
                        + Suggest.didYouMean(chunking, List.of("whole", "fixed", "random")));
            }
            if ("fixed".equals(chunking) && (maxChunk == null || maxChunk < 1)) {
                throw new IllegalArgumentException("chunking: fixed needs a positive maxChunk");
            }
            if (resetAt != null && resetWithin != null) {
                throw new IllegalArgumentException("give resetAt or resetWithin, not both");
            }
            if (resetAt != null && resetAt < 0) {
                throw new IllegalArgumentException("resetAt must not be negative, was [" + resetAt + "]");
            }
            if (resetWithin != null && resetWithin < 1) {
                throw new IllegalArgumentException("resetWithin must be positive, was [" + resetWithin + "]");
            }
            if (capacity != null && capacity < 0) {
                throw new IllegalArgumentException("capacity must not be negative, was [" + capacity + "]");
            }
            if (maxChunk != null && maxChunk < 0) {
                throw new IllegalArgumentException("maxChunk must not be negative, was [" + maxChunk + "]");
            }
            if (latency != null && latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative");
            }
        }
    }

    /** How connecting to the server goes. */
    public record Connect(
            @JsonPropertyDescription("Virtual time a connect takes.")
            Duration delay,
            @JsonPropertyDescription("Whether every connect is refused (after the delay).")
            Boolean refused) {}

    /** A window of virtual time. */
    public record Partition(
            @JsonPropertyDescription("When the partition begins.")
            Duration from,
            @JsonPropertyDescription("When it heals.")
            Duration until) {
        public Partition {
            if (from == null || until == null) {
                throw new IllegalArgumentException("a partition needs 'from' and 'until'");
            }
            if (until.compareTo(from) <= 0) {
                throw new IllegalArgumentException("a partition heals after it begins: until [" + Durations.format(until)
                        + "] is not after from [" + Durations.format(from) + "]");
            }
        }
    }

    /** One scripted client (or {@code count} alike). */
    public record Client(
            @JsonPropertyDescription("The client's name in reports; with count, '{i}' becomes 1, 2, ... Default: its login.")
            String name,
            @JsonPropertyDescription("How many clients alike; '{i}' in name, login and sent text becomes 1..count.")
            Integer count,
            @JsonPropertyDescription("Virtual time at which it connects. Default 0.")
            Duration connectAt,
            @JsonPropertyDescription("Chat subjects: the name line sent as soon as it connects.")
            String login,
            @JsonPropertyDescription("Whether it reads what the server sends. Default true.")
            Boolean reads,
            @JsonPropertyDescription("It reads nothing before this virtual time (a paused reader).")
            Duration readFrom,
            @JsonPropertyDescription("Its own connection's streams, instead of the network's.")
            Streams streams,
            @JsonPropertyDescription("What it does, in order.")
            List<Step> script) {
        public Client {
            if (name == null && login == null) {
                throw new IllegalArgumentException("a client needs a 'name' (or a 'login', which names it)");
            }
            if (count != null && (count < 1 || count > 10_000)) {
                throw new IllegalArgumentException("count must be 1 to 10000, was [" + count + "]");
            }
            script = script == null ? List.of() : List.copyOf(script);
            if (Boolean.FALSE.equals(reads) && readFrom != null) {
                throw new IllegalArgumentException("a client that never reads (reads: false) has no readFrom");
            }
        }
    }

    /**
     * One thing a client does, at {@code at} (virtual time since the start) or as soon as the
     * step before it is done. Exactly one action.
     */
    public record Step(
            @JsonPropertyDescription("Virtual time of the step. Default: right after the previous one.")
            Duration at,
            @JsonPropertyDescription("Send this text and a newline (UTF-8).")
            String line,
            @JsonPropertyDescription("Send this text as it is, no newline added (UTF-8).")
            String text,
            @JsonPropertyDescription("Send these bytes, in hex ('c3 28 0a').")
            String hex,
            @JsonPropertyDescription("Wait until a received line equals this (within 'within').")
            String expect,
            @JsonPropertyDescription("Wait until a received line matches this regular expression (within 'within').")
            String expectRegex,
            @JsonPropertyDescription("How long an expect waits. Default 1s.")
            Duration within,
            @JsonPropertyDescription("Stop reading (the server's sends back up).")
            Boolean pauseReading,
            @JsonPropertyDescription("Read again.")
            Boolean resumeReading,
            @JsonPropertyDescription("Send end-of-stream; the client still reads.")
            Boolean halfClose,
            @JsonPropertyDescription("Close the connection.")
            Boolean close,
            @JsonPropertyDescription("Close the connection and connect again (a new connection in reports: name#2).")
            Boolean reconnect) {
        static final List<String> ACTIONS = List.of("line", "text", "hex", "expect", "expectRegex", "pauseReading",
                "resumeReading", "halfClose", "close", "reconnect");

        public Step {
            int actions = count(line) + count(text) + count(hex) + count(expect) + count(expectRegex) + flag(pauseReading)
                    + flag(resumeReading) + flag(halfClose) + flag(close) + flag(reconnect);
            if (actions != 1) {
                throw new IllegalArgumentException("a step does exactly one of " + String.join(", ", ACTIONS) + " (found "
                        + actions + ")");
            }
            if (within != null && expect == null && expectRegex == null) {
                throw new IllegalArgumentException("'within' belongs to an expect or expectRegex step");
            }
            if (hex != null) {
                Hex.parse(hex);
            }
            if (expectRegex != null) {
                try {
                    // {i} is filled in per client later; check the pattern as the first client gets it
                    java.util.regex.Pattern.compile(expectRegex.replace("{i}", "1"));
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new IllegalArgumentException("expectRegex is not a regular expression: " + e.getDescription()
                            + " near index " + e.getIndex());
                }
            }
        }

        private static int count(String s) {
            return s == null ? 0 : 1;
        }

        private static int flag(Boolean b) {
            return Boolean.TRUE.equals(b) ? 1 : 0;
        }
    }

    /** Happy Eyeballs: the addresses of one host, in order, and the stagger. */
    public record HappyEyeballs(
            @JsonPropertyDescription("The stagger between attempts. Default 250ms.")
            Duration delay,
            @JsonPropertyDescription("The client gives up after this virtual time. Default 10s.")
            Duration giveUpAfter,
            @JsonPropertyDescription("The host's addresses in the order they are tried.")
            List<AddressSpec> addresses) {
        public HappyEyeballs {
            if (addresses == null || addresses.isEmpty()) {
                throw new IllegalArgumentException("happyEyeballs needs at least one address");
            }
            addresses = List.copyOf(addresses);
            if (delay != null && !delay.isPositive()) {
                throw new IllegalArgumentException("delay must be positive");
            }
        }
    }

    /** One address: exactly one of succeeds, refused, hangs. */
    public record AddressSpec(
            @JsonPropertyDescription("The connect succeeds after this virtual time.")
            Duration succeeds,
            @JsonPropertyDescription("The connect is refused after this virtual time.")
            Duration refused,
            @JsonPropertyDescription("The connect never answers (a SYN into a black hole).")
            Boolean hangs) {
        public AddressSpec {
            int n = (succeeds != null ? 1 : 0) + (refused != null ? 1 : 0) + (Boolean.TRUE.equals(hangs) ? 1 : 0);
            if (n != 1) {
                throw new IllegalArgumentException("an address does exactly one of succeeds: <time>, refused: <time>, hangs: true");
            }
        }
    }
}

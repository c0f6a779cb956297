package dev.trellis.apps;

import dev.trellis.runtime.Handler;
import dev.trellis.runtime.Network.OnHandlerFailure;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The tutorial's programs by name: the one list that {@code trellis demo} runs, {@code trellis
 * serve} serves and later commands explore, so a program added here is known to all of them.
 */
public final class Programs {
    private Programs() {}

    /** A program that runs to an end, printing what it does. */
    @FunctionalInterface
    public interface Demo {
        void run(Consumer<String> out) throws Exception;
    }

    /**
     * One program: {@code demo} runs it to an end (null if it has none); {@code server} makes the
     * handler of its server, one per run (null if it serves nothing); {@code onFailure} says what a
     * handler's failure does to that server (null when it serves nothing).
     */
    public record Program(String name, String summary, Demo demo, Supplier<Handler> server, OnHandlerFailure onFailure) {
        /** A program that serves nothing. */
        public Program(String name, String summary, Demo demo) {
            this(name, summary, demo, null, null);
        }

        public Program {
            if ((server == null) != (onFailure == null)) {
                throw new IllegalArgumentException("program '" + name + "': a server needs an OnHandlerFailure, "
                        + "and only a server has one");
            }
        }

        public boolean hasDemo() {
            return demo != null;
        }

        public boolean hasServer() {
            return server != null;
        }
    }

    private static final List<Program> ALL = List.of(
            new Program("nursery", "a parent and two sleeping children; the parent ends at t = 5 s",
                    NurseryDemo::run),
            new Program("echo", "the echo server; its demo serves on a free port and sends it two lines",
                    EchoDemo::run, EchoHandler::new, OnHandlerFailure.CLOSE_CONNECTION),
            new Program("happy-eyeballs", "RFC 8305 connection racing: under --sim a hanging, a refusing and an accepting "
                    + "address; it connects at t = 0.4 s", HappyEyeballsDemo::run),
            // As trio's serve_tcp: a failing handler takes the whole server down, which is the seed's point.
            new Program("seed-chat", "the tutorial's chat server, bugs and all; its demo is a three-user conversation",
                    SeedChatDemo::run, SeedChat::new, OnHandlerFailure.PROPAGATE),
            new Program("chat", "the robust chat server; its demo is a short conversation with a long line and a "
                    + "control character", ChatDemo::run, Chat::new, OnHandlerFailure.CLOSE_CONNECTION));

    /** Every program, in a fixed order. */
    public static List<Program> all() {
        return ALL;
    }

    /** The program called {@code name}, if there is one. */
    public static Optional<Program> find(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The names of the programs that {@code which} accepts, comma-separated, for messages. */
    public static String names(Predicate<Program> which) {
        return ALL.stream().filter(which).map(Program::name).collect(Collectors.joining(", "));
    }
}

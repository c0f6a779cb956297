package dev.trellis.cli;

import dev.trellis.apps.Chat;
import dev.trellis.apps.Programs;
import dev.trellis.real.RealRuntime;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.Handler;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.sim.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Runs one of the seed's servers for real, on the real runtime and real TCP. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a seed program over real TCP until interrupted (try it with nc or telnet).")
final class ServeCommand implements Callable<Integer> {
    /** For picocli's help: the programs with a server. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Programs.all().stream().filter(Programs.Program::hasServer).map(Programs.Program::name).iterator();
        }
    }

    @Parameters(index = "0", paramLabel = "PROGRAM", completionCandidates = Names.class,
            description = "Which server: ${COMPLETION-CANDIDATES}.")
    String program;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "12345", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--max-connections", defaultValue = "1024", paramLabel = "N",
            description = "At most N connections at once; at the cap the server stops accepting until one closes "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--idle-timeout", paramLabel = "DURATION",
            description = "Close a connection whose receive or send takes longer than this: a peer that stops "
                    + "reading or writing (in the chat, also one that only reads); 0 for none "
                    + "(default: 10m; none for seed-chat, whose broadcasts would carry one connection's timeout into "
                    + "another's handler and stop the server).")
    String idleTimeout;

    @Option(names = "--login-deadline", paramLabel = "DURATION",
            description = "chat only: close a connection that has not logged in within this long; 0 for none "
                    + "(default: 60s).")
    String loginDeadline;

    /**
     * A warning when {@code host} is not a loopback address: the tutorial's servers have no
     * authentication and no limits yet, and bound there they serve anyone who can reach the port.
     */
    static String exposure(String host) {
        java.net.InetAddress[] all;
        try {
            all = java.net.InetAddress.getAllByName(host);
        } catch (java.net.UnknownHostException e) {
            return null;   // listen says what is wrong with it
        }
        for (java.net.InetAddress a : all) {
            if (!a.isLoopbackAddress()) {
                return "warning: --host " + host + " is not a loopback address: anyone who can reach " + a.getHostAddress()
                        + " can connect, and these servers have no authentication; "
                        + "use 127.0.0.1 to serve this machine only";
            }
        }
        return null;
    }

    @Override
    public Integer call() throws Exception {
        Programs.Program served = Programs.find(program).filter(Programs.Program::hasServer).orElse(null);
        if (served == null) {
            System.err.println("unknown server '" + program + "': programs with a server are: "
                    + Programs.names(Programs.Program::hasServer));
            return 2;
        }
        Network.Limits limits;
        Handler handler;
        try {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("--max-connections must be at least 1, was " + maxConnections);
            }
            String idle = idleTimeout != null ? idleTimeout
                    : served.onFailure() == Network.OnHandlerFailure.PROPAGATE ? "0" : "10m";
            limits = Network.Limits.NONE.withMaxConnections(maxConnections).withIdleTimeout(positiveOrNone("--idle-timeout", idle));
            handler = handler(served);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        String warning = exposure(host);
        if (warning != null) {
            System.err.println(warning);
        }
        Network.OnHandlerFailure onFailure = served.onFailure();
        try {
            serve(handler, onFailure, limits);
        } catch (Exception e) {
            // The server itself failed: its port was taken, or (served with PROPAGATE) a handler failed.
            System.err.println("server " + program + " stopped: " + e);
            return 1;
        }
        return 0;
    }

    /** The program's handler; the chat's with its login deadline, which only the chat has. */
    private Handler handler(Programs.Program served) {
        if (!served.name().equals("chat")) {
            if (loginDeadline != null) {
                throw new IllegalArgumentException("--login-deadline is for the chat only: " + served.name()
                        + " has no login deadline");
            }
            return served.server().get();
        }
        Duration deadline = positiveOrNone("--login-deadline", loginDeadline == null ? "60s" : loginDeadline);
        return new Chat(Chat.DEFAULT_MAX_LINE, Chat.DEFAULT_OUTBOX, deadline);
    }

    /** A duration option: null for {@code 0}, the meaning of "none". */
    private static Duration positiveOrNone(String option, String text) {
        if (text.strip().startsWith("-")) {
            throw new IllegalArgumentException(option + ": [" + text + "] is negative; write a positive duration, or 0 for none");
        }
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
        return d.isZero() ? null : d;
    }

    private void serve(Handler handler, Network.OnHandlerFailure onFailure, Network.Limits limits) throws Exception {
        RealRuntime.run(() -> {
            Network net = Network.current();
            try (Listener listener = net.listen(Address.of(host, port))) {
                System.out.println("serving " + program + " on " + listener.address() + " (Ctrl-C stops)");
                // A failure that closes only its connection the runtime logs, at most once per 10 s
                // with a count; one that stops the server the caller prints, once.
                net.serve(listener, handler, onFailure, limits);
            }
            return null;
        });
    }
}

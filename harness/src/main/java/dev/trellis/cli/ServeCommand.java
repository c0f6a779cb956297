package dev.trellis.cli;

import dev.trellis.apps.Programs;
import dev.trellis.real.RealRuntime;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.Handler;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
                        + " can connect, and these servers have no authentication and no connection limit; "
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
        String warning = exposure(host);
        if (warning != null) {
            System.err.println(warning);
        }
        Handler handler = served.server().get();
        Network.OnHandlerFailure onFailure = served.onFailure();
        try {
            serve(handler, onFailure);
        } catch (Exception e) {
            // The server itself failed: its port was taken, or (served with PROPAGATE) a handler failed, printed above.
            System.err.println("server " + program + " stopped: " + e);
            return 1;
        }
        return 0;
    }

    private void serve(Handler handler, Network.OnHandlerFailure onFailure) throws Exception {
        RealRuntime.run(() -> {
            Network net = Network.current();
            try (Listener listener = net.listen(Address.of(host, port))) {
                System.out.println("serving " + program + " on " + listener.address() + " (Ctrl-C stops)");
                // A failure that closes only its connection the runtime logs, at most once per 10 s
                // with a count; one that stops the server is said here, once.
                Handler reporting = onFailure == Network.OnHandlerFailure.CLOSE_CONNECTION ? handler : stream -> {
                    try {
                        handler.handle(stream);
                    } catch (Exception | AssertionError e) {
                        // Cancelled is an Error, so a cancellation passes by unprinted.
                        System.err.println("a connection's handler failed, which stops the server: " + e);
                        throw e;
                    }
                };
                net.serve(listener, reporting, onFailure);
            }
            return null;
        });
    }
}

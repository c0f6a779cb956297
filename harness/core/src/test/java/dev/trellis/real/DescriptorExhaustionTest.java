package dev.trellis.real;

import dev.trellis.runtime.Address;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server out of file descriptors keeps the connections it has and accepts again when some
 * close, as trio's serve_listeners does: run in a child JVM whose descriptor limit is low, on
 * loopback, every loop bounded.
 */
@EnabledOnOs(OS.LINUX)
class DescriptorExhaustionTest {
    /** The child: an echo server that prints its port. */
    public static final class EchoServer {
        public static void main(String[] args) throws Exception {
            preload();
            RealRuntime.run(() -> {
                Network net = Network.current();
                try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                    System.out.println("port " + l.address().port());
                    System.out.flush();
                    net.serve(l, stream -> {
                        byte[] buf = new byte[256];
                        int n;
                        while ((n = stream.receiveSome(buf, 0, buf.length)) > 0) {
                            stream.sendAll(buf, 0, n);
                        }
                    }, Network.OnHandlerFailure.CLOSE_CONNECTION);
                }
                return null;
            });
        }
    }

    /**
     * Loads Trellis's classes up front, as a server deployed from a jar has them at hand: here
     * they are files in a folder, and loading one late needs a descriptor the test has used up.
     */
    static void preload() throws Exception {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path dir = Path.of(entry);
            if (!Files.isDirectory(dir) || !Files.isDirectory(dir.resolve("dev/trellis"))) {
                continue;
            }
            try (var files = Files.walk(dir.resolve("dev/trellis"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    String name = dir.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                    Class.forName(name, false, EchoServer.class.getClassLoader());
                }
            }
        }
    }

    @Test
    void runningOutOfDescriptorsIsWaitedOutNotFatal(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "ulimit -n 160 && exec '" + java + "' --add-opens java.base/java.lang=ALL-UNNAMED -cp '"
                + System.getProperty("java.class.path") + "' '" + EchoServer.class.getName() + "'";
        Process child = new ProcessBuilder("bash", "-c", cmd).redirectError(dir.resolve("err.txt").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("the child's first line; its stderr: %s", read(dir.resolve("err.txt"))).startsWith("port ");
            int port = Integer.parseInt(line.substring(5).strip());

            List<Socket> flood = new ArrayList<>();
            long until = System.nanoTime() + 10_000_000_000L;   // bounded in time as in count
            for (int i = 0; i < 300 && System.nanoTime() < until; i++) {   // more than the child's 160 descriptors
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    flood.add(s);
                } catch (java.io.IOException full) {
                    s.close();   // the backlog is full: that is the point
                }
            }
            Thread.sleep(1_000);   // the child's accepts run into its limit meanwhile
            assertThat(child.isAlive()).as("the server is still up; its stderr: %s", read(dir.resolve("err.txt"))).isTrue();
            for (Socket s : flood) {
                s.close();
            }
            // Descriptors free up as the child sees those connections end: it accepts again.
            String echoed = null;
            for (int attempt = 0; attempt < 50 && echoed == null; attempt++) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                    s.setSoTimeout(2_000);
                    s.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
                    echoed = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                } catch (java.io.IOException notYet) {
                    Thread.sleep(200);
                }
            }
            assertThat(echoed).as("an echo after the flood; the child's stderr: %s", read(dir.resolve("err.txt")))
                    .isEqualTo("ping");
            assertThat(read(dir.resolve("err.txt"))).contains("Too many open files").contains("retrying every 100 ms");
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String read(Path p) throws java.io.IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }
}

package dev.trellis.apps;

import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A short conversation with {@link Chat}: alice's first name is refused, bob's first is taken,
 * alice and bob talk, bob's tab arrives replaced, alice's overlong line is dropped with a notice,
 * bob leaves. Each step waits for what the previous one must produce, and unlike the seed chat's
 * demo nothing needs to settle: the chat is right on any interleaving and any chunking, so under
 * the simulator it runs on the default, adversarial streams.
 */
final class ChatDemo {
    private ChatDemo() {}

    static void run(Consumer<String> out) throws Exception {
        Network net = Network.current();
        Nursery.open(nursery -> {
            Address address = nursery.startAndWait("server", status -> {
                try (Listener listener = net.listen(Address.of("127.0.0.1", 0))) {
                    status.started(listener.address());
                    net.serve(listener, new Chat(), Network.OnHandlerFailure.CLOSE_CONNECTION);
                }
            });
            out.accept("server: listening on " + address.host() + ":" + address.port());
            try (DemoUser alice = new DemoUser("alice", net.connect(address), out);
                 DemoUser bob = new DemoUser("bob", net.connect(address), out)) {
                alice.expect("<meta>: Please enter username: ");
                alice.send("<meta>");
                alice.expect("<meta>: Names are 1 to 32 printable characters, not starting with < and without >. Please enter another: ");
                alice.send("alice");
                alice.expect("<meta>: Welcome alice.\n");
                bob.expect("<meta>: Please enter username: ");
                bob.send("alice");
                bob.expect("<meta>: Username taken. Please enter another: ");
                bob.send("bob");
                bob.expect("<meta>: Welcome bob.\n");
                alice.expect("<meta>: bob joined.\n");
                alice.send("hi bob");
                bob.expect("<alice> : hi bob\n");
                bob.send("a\ttab");
                alice.expect("<bob> : a\uFFFDtab\n");
                alice.send("x".repeat(2000));
                alice.expect("<meta>: Line too long (max 1024 bytes); dropped.\n");
                bob.close();
                alice.expect("<meta>: bob left\n");
            }
            nursery.cancelScope().cancel();
        });
        out.accept("done");
    }
}

package dev.trellis.apps;

import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;
import dev.trellis.sim.SimNetwork;
import dev.trellis.streams.StreamOptions;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The seed's transcript, played by three scripted users against {@link SeedChat}: alice, bob and
 * carol log in one after another, alice and bob talk, carol listens, bob leaves. Every step waits
 * for what the previous one must produce, and then lets the server settle (a short sleep, virtual
 * under the simulator), so no two users act at once: this conversation stays clear of the seed
 * chat's races, which the tests provoke on purpose. The settling is needed even though every
 * expected line has arrived: a broadcaster looks at the users map once more after its last send
 * (Python's dict iterator does), so a join the instant its last receiver reads would crash it.
 *
 * <p>Under the simulator the network's streams are made well-behaved (whole receives), because
 * the seed chat takes each received chunk for one message: on the simulator's default,
 * adversarial streams even a login would be split, and the demo is meant to show the transcript.
 */
final class SeedChatDemo {
    private SeedChatDemo() {}

    static void run(Consumer<String> out) throws Exception {
        Network net = Network.current();
        if (net instanceof SimNetwork sim) {
            sim.defaultStreams(StreamOptions.plain());
        }
        Nursery.open(nursery -> {
            Address address = nursery.startAndWait("server", status -> {
                try (Listener listener = net.listen(Address.of("127.0.0.1", 0))) {
                    status.started(listener.address());
                    net.serve(listener, new SeedChat(), Network.OnHandlerFailure.PROPAGATE);
                }
            });
            out.accept("server: listening on " + address.host() + ":" + address.port());
            try (DemoUser alice = login(net, address, "alice", out);
                 DemoUser bob = login(net, address, "bob", out)) {
                alice.expect("<meta>: bob joined.\n");
                try (DemoUser carol = login(net, address, "carol", out)) {
                    alice.expect("<meta>: carol joined.\n");
                    bob.expect("<meta>: carol joined.\n");
                    say(alice, "hi bob", bob, carol);
                    say(bob, "hi alice, how are you", alice, carol);
                    say(alice, "I'm doing great thanks", bob, carol);
                    say(bob, "bye, I gotta go", alice, carol);
                    settle();
                    bob.close();
                    alice.expect("<meta>: bob left\n");
                    carol.expect("<meta>: bob left\n");
                    // Stop the server before alice and carol hang up: two leaves at once would crash it.
                    settle();
                    nursery.cancelScope().cancel();
                }
            }
        });
        out.accept("done");
    }

    /** Long enough for the server to finish what the last step started; nothing else depends on it. */
    private static void settle() {
        Trellis.sleep(Duration.ofMillis(10));
    }

    private static void say(DemoUser from, String text, DemoUser... to) {
        settle();
        from.send(text);
        for (DemoUser u : to) {
            u.expect("<" + from.name + "> : " + text + "\n");
        }
    }

    /** Connects, expects the prompt, logs in as {@code name} and expects the welcome. */
    private static DemoUser login(Network net, Address address, String name, Consumer<String> out) {
        settle();
        DemoUser u = new DemoUser(name, net.connect(address), out);
        u.expect("<meta>: Please enter username: ");
        u.stream.sendAll((name + "\n").getBytes(StandardCharsets.UTF_8));
        u.expect("<meta>: Welcome " + name + ".\n");
        return u;
    }
}

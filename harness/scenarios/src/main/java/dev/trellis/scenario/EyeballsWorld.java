package dev.trellis.scenario;

import dev.trellis.apps.HappyEyeballs;
import dev.trellis.check.AddressBehaviour;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.ConnectException;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Nursery;
import dev.trellis.sim.SimNetwork;

import java.time.Duration;
import java.util.List;

/**
 * One Happy Eyeballs execution: a host whose addresses behave as scripted, a server on each that
 * accepts, and one client connecting with {@link HappyEyeballs#connect}. All addresses failing is
 * an outcome like any other; the {@code he-*} rules judge it from the trace.
 */
final class EyeballsWorld {
    static final String HOST = "scenario.test";
    static final int PORT = 443;

    private EyeballsWorld() {}

    static void run(List<AddressBehaviour> addresses, Duration delay, Duration giveUp) throws Exception {
        SimNetwork net = SimNetwork.current();
        String[] ips = new String[addresses.size()];
        for (int i = 0; i < ips.length; i++) {
            ips[i] = "10.0.0." + (i + 1);
        }
        net.addHost(HOST, ips);
        Nursery.open(world -> {
            for (int i = 0; i < ips.length; i++) {
                AddressBehaviour b = addresses.get(i);
                switch (b.kind()) {
                    case SUCCEEDS -> {
                        net.connectRule(ips[i], b.after(), false);
                        Listener listener = net.listen(Address.of(ips[i], PORT));
                        world.start("server-" + (i + 1), () -> serve(listener));
                    }
                    case REFUSED -> net.connectRule(ips[i], b.after(), true);
                    case HANGS -> net.connectHangs(ips[i]);
                }
            }
            CancelScope.moveOnAfter(giveUp, () -> {
                try (ByteStream stream = HappyEyeballs.connect(HOST, PORT, delay)) {
                    stream.sendAll(new byte[] {1});
                } catch (ConnectException allFailed) {
                    // every address failed: the rules say whether it failed as it should
                }
            });
            world.cancelScope().cancel();
        });
    }

    private static void serve(Listener listener) throws Exception {
        try (listener) {
            while (true) {
                try (ByteStream s = listener.accept()) {
                    s.receiveSome(1);   // the winner sends a byte; a loser closes at once
                }
            }
        }
    }
}

package dev.trellis.apps;

import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.Cancelled;
import dev.trellis.runtime.ConnectException;
import dev.trellis.runtime.Event;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;

import java.time.Duration;
import java.util.List;

/**
 * {@link HappyEyeballs} with one bug, for the invariants to catch: the winner takes its stream
 * but never cancels the other attempts, so they keep connecting (a hang until the caller gives
 * up) and any that connect later keep their streams open. Records the same events.
 */
final class CarelessHappyEyeballs {
    private CarelessHappyEyeballs() {}

    static ByteStream connect(String host, int port, Duration delay) throws Exception {
        Network net = Network.current();
        List<String> ips = net.resolve(host);
        Trellis.event(HappyEyeballs.BEGIN, ips.size(), delay.toNanos());
        ByteStream[] won = new ByteStream[1];
        int[] winner = {-1};
        Nursery.open(nursery -> {
            for (int i = 0; i < ips.size(); i++) {
                Event failed = new Event();
                int index = i;
                Address target = Address.of(ips.get(i), port);
                Trellis.event(HappyEyeballs.START, i, 0);
                nursery.start("he-attempt-" + i, () -> {
                    try {
                        ByteStream s = net.connect(target);
                        Trellis.event(HappyEyeballs.CONNECTED, index, 0);
                        if (won[0] == null) {
                            won[0] = s;
                            winner[0] = index;
                            Trellis.event(HappyEyeballs.WIN, index, 0);
                            // The bug: no nursery.cancelScope().cancel() here.
                        }
                    } catch (ConnectException e) {
                        Trellis.event(HappyEyeballs.FAIL, index, 0);
                        failed.set();
                    } catch (Cancelled c) {
                        Trellis.event(HappyEyeballs.CANCEL, index, 0);
                        throw c;
                    } finally {
                        Trellis.event(HappyEyeballs.END, index, 0);
                    }
                });
                if (won[0] != null) {
                    break;
                }
                CancelScope.moveOnAfter(delay, failed::await);
            }
        });
        Trellis.event(HappyEyeballs.RESULT, winner[0], 0);
        if (won[0] == null) {
            throw new ConnectException("all failed");
        }
        return won[0];
    }
}

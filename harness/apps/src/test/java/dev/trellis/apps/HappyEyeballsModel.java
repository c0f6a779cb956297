package dev.trellis.apps;

import dev.trellis.check.AddressBehaviour;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What RFC 8305 §5 says a connect to these addresses does, computed by hand, without running
 * {@link HappyEyeballs}: the yardstick the simulated runs are measured against.
 *
 * <p>Attempt 0 starts at 0; attempt i+1 starts at attempt i's start plus its refusal time or the
 * delay, whichever is less (a success or a hang waits the full delay); no attempt starts at or
 * after the first success. The winner is the started attempt that succeeds first.
 */
record HappyEyeballsModel(Outcome outcome, long timeNanos, Set<Integer> winners, int started) {
    enum Outcome { CONNECTED, ALL_FAILED, HANGS }

    static HappyEyeballsModel of(List<AddressBehaviour> addresses, long delayNanos) {
        long start = 0;
        long best = Long.MAX_VALUE;
        long lastFailure = 0;
        boolean anyHang = false;
        int started = 0;
        long[] successAt = new long[addresses.size()];
        for (int i = 0; i < addresses.size(); i++) {
            successAt[i] = Long.MAX_VALUE;
            // A start at the instant of a success is a race the schedule decides: the tests keep
            // their times clear of it, so "not before" is enough here.
            if (start >= best) {
                break;
            }
            started++;
            AddressBehaviour b = addresses.get(i);
            long after = b.after().toNanos();
            switch (b.kind()) {
                case SUCCEEDS -> {
                    successAt[i] = start + after;
                    best = Math.min(best, successAt[i]);
                    start += delayNanos;
                }
                case REFUSED -> {
                    lastFailure = Math.max(lastFailure, start + after);
                    start += Math.min(after, delayNanos);
                }
                case HANGS -> {
                    anyHang = true;
                    start += delayNanos;
                }
            }
        }
        if (best != Long.MAX_VALUE) {
            Set<Integer> winners = new TreeSet<>();
            for (int i = 0; i < successAt.length; i++) {
                if (successAt[i] == best) {
                    winners.add(i);
                }
            }
            return new HappyEyeballsModel(Outcome.CONNECTED, best, winners, started);
        }
        return anyHang ? new HappyEyeballsModel(Outcome.HANGS, Long.MAX_VALUE, Set.of(), started)
                : new HappyEyeballsModel(Outcome.ALL_FAILED, lastFailure, Set.of(), started);
    }
}

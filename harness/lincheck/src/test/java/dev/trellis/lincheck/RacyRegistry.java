package dev.trellis.lincheck;

import dev.trellis.runtime.Trellis;

import java.util.ArrayList;
import java.util.List;

/**
 * A name registry with a check-then-act: join looks the name up, then (after a checkpoint, as a
 * server that logs or checks a quota would) adds it. Two joins of one name can both succeed.
 * Deliberately broken: the check must catch it, with a seed that replays.
 */
public final class RacyRegistry {
    private final List<String> names = new ArrayList<>();

    public boolean join(String name) {
        if (names.contains(name)) {
            return false;
        }
        Trellis.checkpoint();
        names.add(name);
        return true;
    }

    public boolean leave(String name) {
        return names.remove(name);
    }

    public List<String> names() {
        return names.stream().sorted().toList();
    }
}

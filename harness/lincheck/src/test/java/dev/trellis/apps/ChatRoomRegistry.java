package dev.trellis.apps;

import dev.trellis.runtime.CancelScope;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The robust chat's {@link ChatRoom} as a name registry, called the way {@link Chat}'s handlers
 * call it ({@link ChatRoom#awaitRoom} just before each join and leave), for a linearizability
 * check: join(name), leave(name), names().
 */
public final class ChatRoomRegistry {
    private final ChatRoom room = new ChatRoom();
    private final Map<String, ChatRoom.Member> joined = new HashMap<>();
    private long ids;

    public boolean join(String name) throws Exception {
        room.awaitRoom(null);
        CancelScope connection = CancelScope.open(s -> { });
        ChatRoom.Member m = room.join(++ids, name, 64, connection);
        if (m != null) {
            joined.put(name, m);
        }
        return m != null;
    }

    public boolean leave(String name) {
        ChatRoom.Member m = joined.remove(name);
        if (m == null) {
            return false;
        }
        room.awaitRoom(m);
        room.leave(m);
        return true;
    }

    public List<String> names() {
        return room.names().stream().sorted().toList();
    }
}

package dev.trellis.check;

import java.util.List;

/**
 * What every client of a chat server sent and received, with times: the history
 * {@link ChatInvariants} judge. Build it from the clients' {@link ConnectionLog}s once the run is
 * over; {@code endedAt} is when the run stopped watching (a session still open then lasted to it).
 * The protocol is the tutorial's: see {@link ChatInvariants}.
 */
public final class ChatHistory {
    /**
     * One client: its log, and whether it reads what it is sent (a client that never reads is
     * owed nothing, and no one else may wait on it).
     */
    public record Client(ConnectionLog log, boolean reads) {
        public String label() {
            return log.label();
        }
    }

    private final List<Client> clients;
    private final long endedAt;
    private ChatSessions sessions;

    /** The history of {@code clients}, in the order they were scripted, watched until {@code endedAt} (nanoseconds). */
    public ChatHistory(List<Client> clients, long endedAt) {
        this.clients = List.copyOf(clients);
        this.endedAt = endedAt;
    }

    public List<Client> clients() {
        return clients;
    }

    /** When the clients were stopped, in nanoseconds since the run began. */
    public long endedAt() {
        return endedAt;
    }

    /** The clients' sessions as the protocol reads them, parsed once for every rule. */
    ChatSessions sessions() {
        if (sessions == null) {
            sessions = new ChatSessions(this);
        }
        return sessions;
    }
}

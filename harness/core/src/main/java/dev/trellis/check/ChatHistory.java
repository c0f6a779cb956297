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
     * One client: its log, and from when it reads what it is sent, in nanoseconds since the run
     * began; -1 if it never reads. A client that never reads is owed nothing, and a server may
     * drop it as too slow; one that reads may not be dropped once it has read for a while.
     */
    public record Client(ConnectionLog log, long readsFrom) {
        /** A client that reads from the start, or never. */
        public Client(ConnectionLog log, boolean reads) {
            this(log, reads ? 0 : -1);
        }

        public String label() {
            return log.label();
        }

        public boolean reads() {
            return readsFrom >= 0;
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

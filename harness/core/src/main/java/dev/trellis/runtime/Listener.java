package dev.trellis.runtime;

/** A listening socket: accepts connections until closed. */
public interface Listener extends AutoCloseable {
    /** Waits for the next connection. A checkpoint; cancellable, and the listener keeps listening. */
    ByteStream accept();

    /** Where it listens, with the port actually bound. */
    Address address();

    /** Stops listening; a task waiting in {@link #accept} sees {@link ClosedResourceException}. */
    @Override
    void close();
}

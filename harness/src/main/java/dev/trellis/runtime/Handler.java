package dev.trellis.runtime;

/**
 * Serves one accepted connection, exactly like the handler trio's {@code serve_tcp} takes. To
 * test your own server, implement this with a public no-argument constructor: Trellis makes one
 * instance per execution, shared by all its connections, and calls {@code handle} once per
 * connection, each in its own task. The stream is closed after {@code handle} returns.
 */
@FunctionalInterface
public interface Handler {
    void handle(ByteStream stream) throws Exception;
}

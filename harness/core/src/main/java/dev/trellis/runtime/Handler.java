package dev.trellis.runtime;

/**
 * Serves one accepted connection, exactly like the handler trio's {@code serve_tcp} takes:
 * {@link Network#serve} calls {@code handle} once per connection, each in its own task, and
 * closes the stream after it returns. Give your implementation a public no-argument
 * constructor: scenario files will name handler classes and create one instance per execution,
 * shared by all its connections.
 */
@FunctionalInterface
public interface Handler {
    void handle(ByteStream stream) throws Exception;
}

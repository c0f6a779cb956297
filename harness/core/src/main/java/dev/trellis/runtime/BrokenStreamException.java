package dev.trellis.runtime;

/** The peer is gone: the connection was reset, or this side sent after the peer closed (trio's BrokenResourceError). */
public class BrokenStreamException extends RuntimeException {
    public BrokenStreamException(String message) {
        super(message);
    }

    public BrokenStreamException(String message, Throwable cause) {
        super(message, cause);
    }
}

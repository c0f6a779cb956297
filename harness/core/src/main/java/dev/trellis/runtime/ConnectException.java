package dev.trellis.runtime;

/** A connection could not be made: refused, unreachable, or the host is unknown. */
public class ConnectException extends RuntimeException {
    public ConnectException(String message) {
        super(message);
    }

    public ConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}

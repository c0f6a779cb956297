package dev.trellis.runtime;

/** Two tasks used one stream for the same direction at once (trio's BusyResourceError). */
public class BusyResourceException extends IllegalStateException {
    public BusyResourceException(String message) {
        super(message);
    }
}

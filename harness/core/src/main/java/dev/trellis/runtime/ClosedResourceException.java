package dev.trellis.runtime;

/** A resource (a channel, a stream) was used after this side closed it: a bug in the caller. */
public class ClosedResourceException extends IllegalStateException {
    public ClosedResourceException(String message) {
        super(message);
    }
}

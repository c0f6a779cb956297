package dev.trellis.runtime;

/**
 * Where to listen or connect: a host name or IP address, and a port (0 when listening means
 * any free port).
 */
public record Address(String host, int port) {
    public Address {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("address host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535], was [" + port + "]");
        }
    }

    public static Address of(String host, int port) {
        return new Address(host, port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}

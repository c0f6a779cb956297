package dev.trellis.explore;

/** How the person running Trellis calls it, for the commands that failures and reports print. */
public final class Command {
    /** Set by the {@code trellis} script to the path it was called by ({@code ./trellis}, {@code ../trellis/trellis}). */
    public static final String ENV = "TRELLIS_COMMAND";

    private Command() {}

    /** The {@code trellis} command as it was called, or {@code ./trellis} when it is not known. */
    public static String trellis() {
        String c = System.getenv(ENV);
        return c == null || c.isBlank() ? "./trellis" : c;
    }
}

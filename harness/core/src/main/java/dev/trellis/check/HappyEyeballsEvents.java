package dev.trellis.check;

/**
 * The trace events a Happy Eyeballs connect records and {@link HappyEyeballsInvariants} reads: the
 * vocabulary both sides share, kept here with the rules so that the rules need nothing of the
 * program (any implementation that records these can be judged). The order: {@link #BEGIN}
 * (subject: how many addresses, value: the delay in ns), then per attempt i (the subject)
 * {@link #START}, and one of {@link #FAIL}, {@link #CONNECTED} or {@link #CANCEL}; after
 * {@code CONNECTED} either {@link #WIN} or, for a connection that lost a race at the same instant,
 * {@link #CLOSE}; {@link #END} when its task ends; finally {@link #RESULT} (subject: the winner, or
 * -1 when every attempt failed).
 */
public final class HappyEyeballsEvents {
    private HappyEyeballsEvents() {}

    public static final String BEGIN = "he.begin";
    public static final String START = "he.start";
    public static final String FAIL = "he.fail";
    public static final String CONNECTED = "he.connected";
    public static final String WIN = "he.win";
    public static final String CANCEL = "he.cancel";
    public static final String CLOSE = "he.close";
    public static final String END = "he.end";
    public static final String RESULT = "he.result";
}

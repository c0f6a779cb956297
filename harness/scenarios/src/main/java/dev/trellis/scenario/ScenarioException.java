package dev.trellis.scenario;

import java.nio.file.Path;

/**
 * A scenario file that cannot be used: where ({@code file:line:column}), what was found and what
 * is accepted there. Its message is one line, meant to be printed as it is.
 */
public final class ScenarioException extends RuntimeException {
    private final transient Path file;
    private final int line;
    private final int column;
    private final String problem;

    public ScenarioException(Path file, int line, int column, String problem) {
        super(where(file, line, column) + problem);
        this.file = file;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    private static String where(Path file, int line, int column) {
        String f = file == null ? "<scenario>" : file.toString();
        return line > 0 ? f + ":" + line + ":" + Math.max(column, 1) + ": " : f + ": ";
    }

    public Path file() {
        return file;
    }

    /** 1-based, or 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message without its place. */
    public String problem() {
        return problem;
    }
}

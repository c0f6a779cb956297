package dev.trellis.check;

/**
 * An invariant that did not hold.
 *
 * @param invariant  which one
 * @param message    what happened, with the task, nursery or scope ids involved
 * @param eventIndex the trace event where it showed, or -1 when it showed at the end
 */
public record Violation(String invariant, String message, int eventIndex) {}

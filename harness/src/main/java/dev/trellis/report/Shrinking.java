package dev.trellis.report;

/**
 * How a reported execution was shrunk from the one exploration found: the original's schedule
 * and trace hash (the seed is the same), and what shrank, before → after.
 *
 * @param originalSchedule the schedule the exploration ran ({@code seed=3 strategy=random ...})
 * @param originalTraceHash its trace hash
 * @param preemptionsBefore preemptions of the original: choices of another task while the one that
 *                          ran was still ready
 * @param preemptionsAfter  of the shrunk execution
 * @param stepsBefore       scheduling steps of the original
 * @param stepsAfter        of the shrunk execution
 * @param runs              executions the shrinking ran
 * @param stoppedEarly      why it stopped before it could shrink no further, or null
 */
public record Shrinking(String originalSchedule, String originalTraceHash, int preemptionsBefore, int preemptionsAfter,
                        long stepsBefore, long stepsAfter, int runs, String stoppedEarly) {
    /** One line for people: "preemptions 11 → 2, steps 24 → 24 (46 runs)". */
    public String summary() {
        return "preemptions " + preemptionsBefore + " → " + preemptionsAfter + ", steps " + stepsBefore + " → " + stepsAfter
                + " (" + runs + " runs" + (stoppedEarly == null ? "" : "; " + stoppedEarly) + ")";
    }
}

package dev.trellis.report;

/**
 * How a reported execution was shrunk from the one exploration found: the original's schedule
 * and trace hash (the seed is the same), and what shrank, before → after.
 *
 * @param originalSeed     the seed exploration found the failure with (the report's folder is named after it;
 *                         a smaller scenario may fail the same way on a seed near it, which the shrunk
 *                         execution then runs)
 * @param originalSchedule the schedule the exploration ran ({@code seed=3 strategy=random ...})
 * @param originalTraceHash its trace hash
 * @param preemptionsBefore preemptions of the original: choices of another task while the one that
 *                          ran was still ready
 * @param preemptionsAfter  of the shrunk execution
 * @param stepsBefore       scheduling steps of the original
 * @param stepsAfter        of the shrunk execution
 * @param runs              executions the shrinking ran
 * @param stoppedEarly      why it stopped before it could shrink no further, or null
 * @param clientsBefore     scripted clients of the scenario as written
 * @param clientsAfter      of the shrunk scenario
 * @param scriptStepsBefore script steps (logins included) of the scenario as written
 * @param scriptStepsAfter  of the shrunk scenario
 * @param scenarioChanges   what was taken out of the scenario, in order; empty when nothing could be
 */
public record Shrinking(long originalSeed, String originalSchedule, String originalTraceHash, int preemptionsBefore, int preemptionsAfter,
                        long stepsBefore, long stepsAfter, int runs, String stoppedEarly, int clientsBefore,
                        int clientsAfter, int scriptStepsBefore, int scriptStepsAfter, java.util.List<String> scenarioChanges) {
    public Shrinking {
        scenarioChanges = java.util.List.copyOf(scenarioChanges);
    }

    /** One line for people: "preemptions 11 → 2, steps 24 → 24, clients 4 → 3 (46 runs)". */
    public String summary() {
        return "preemptions " + preemptionsBefore + " → " + preemptionsAfter + ", steps " + stepsBefore + " → " + stepsAfter
                + (clientsBefore == clientsAfter && scriptStepsBefore == scriptStepsAfter ? ""
                : ", clients " + clientsBefore + " → " + clientsAfter + ", script steps " + scriptStepsBefore + " → "
                        + scriptStepsAfter)
                + " (" + runs + " runs" + (stoppedEarly == null ? "" : "; " + stoppedEarly) + ")";
    }
}

package dev.trellis.cli.bugs;

import dev.trellis.check.Invariant;
import dev.trellis.runtime.Body;
import dev.trellis.sim.Result;

import java.util.List;
import java.util.function.Predicate;

/**
 * One bug of the benchmark, as each tool sees it: the program Trellis explores (with the rules
 * that judge it and the test that a failure is this bug, not another), its port to plain threads
 * or the reason there is none, and, for the data structures, the class Lincheck's model checker
 * drives.
 *
 * @param name       short, for tables; {@code --only} matches its start
 * @param source     where the bug comes from (StrategyCorpus, seed chat, trellis-lincheck, ...)
 * @param body       what one Trellis execution runs
 * @param invariants rules added to the simulator's for every execution (a linearizability check,
 *                   Happy Eyeballs' rules); empty for bugs the body shows by throwing
 * @param isTheBug   whether a failed execution is this bug
 * @param stress     the port to real threads, or null (then {@code notPorted} says why)
 * @param notPorted  why there is no stress port, or null
 * @param lincheck   the Lincheck test class and specification, or null for a subject that is not
 *                   a data structure
 */
public record Subject(String name, String source, String description, Body body, List<Invariant> invariants,
                      Predicate<Result> isTheBug, StressRun.Trial stress, String notPorted,
                      LincheckRun.Target lincheck) {
    public Subject {
        invariants = List.copyOf(invariants);
        if ((stress == null) == (notPorted == null)) {
            throw new IllegalArgumentException(name + ": a subject has a stress port or a reason it has none, not both");
        }
    }

    /** A subject Trellis runs, with no port yet: add one with {@link #withStress} or {@link #notPorted}. */
    public static Subject of(String name, String source, String description, Body body, Predicate<Result> isTheBug) {
        return new Subject(name, source, description, body, List.of(), isTheBug, null, "no port written", null);
    }

    public Subject withInvariants(List<Invariant> rules) {
        return new Subject(name, source, description, body, rules, isTheBug, stress, notPorted, lincheck);
    }

    public Subject withStress(StressRun.Trial trial) {
        return new Subject(name, source, description, body, invariants, isTheBug, trial, null, lincheck);
    }

    public Subject notPorted(String why) {
        return new Subject(name, source, description, body, invariants, isTheBug, null, why, lincheck);
    }

    public Subject withLincheck(LincheckRun.Target target) {
        return new Subject(name, source, description, body, invariants, isTheBug, stress, notPorted, target);
    }
}

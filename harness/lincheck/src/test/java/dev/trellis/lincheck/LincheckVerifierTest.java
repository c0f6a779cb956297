package dev.trellis.lincheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one class that uses Lincheck's undocumented verifier, against histories whose answer is
 * known: if a Lincheck upgrade changes what the verifier needs or means, these fail, not a user's
 * check. Histories are written as (task, call, result, invoked at, returned at) with event indices.
 */
class LincheckVerifierTest {
    /** A register, as a specification: the last value written. */
    public static class RegisterSpec {
        private int value;

        public void write(int v) {
            value = v;
        }

        public int read() {
            return value;
        }

        public int incrementAndGet() {
            return ++value;
        }

        public int divide(int by) {
            return value / by;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RegisterSpec r && r.value == value;
        }

        @Override
        public int hashCode() {
            return value;
        }
    }

    private final List<History.Operation> ops = new ArrayList<>();

    private LincheckVerifierTest op(int task, String method, Object result, int invokedAt, int returnedAt, Object... args) {
        Method m = method(method);
        Throwable thrown = result instanceof Throwable t ? t : null;
        ops.add(new History.Operation(task, m, List.of(args), thrown == null ? result : null, thrown,
                invokedAt, returnedAt, invokedAt, returnedAt));
        return this;
    }

    private static Method method(String name) {
        for (Method m : RegisterSpec.class.getMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new AssertionError(name);
    }

    private LincheckVerifier.Verdict verdict(int tasks) {
        return LincheckVerifier.verify(RegisterSpec.class, new History(tasks, ops), Duration.ofSeconds(10));
    }

    @Test
    void twoIncrementsThatBothSawOneAreALostUpdate() {
        op(0, "incrementAndGet", 1, 0, 3).op(1, "incrementAndGet", 1, 1, 2);
        assertThat(verdict(2)).isEqualTo(LincheckVerifier.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void theSameJudgementIsPublicForHistoriesRecordedElsewhere() {
        // As a stress loop on platform threads records them: stamps from one counter.
        op(0, "incrementAndGet", 1, 0, 3).op(1, "incrementAndGet", 1, 1, 2);
        assertThat(Linearizability.linearizable(RegisterSpec.class, new History(2, ops), Duration.ofSeconds(10))).isFalse();
        ops.clear();
        op(0, "incrementAndGet", 2, 0, 3).op(1, "incrementAndGet", 1, 1, 2);
        assertThat(Linearizability.linearizable(RegisterSpec.class, new History(2, ops), Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void overlappingIncrementsThatSawOneAndTwoAreFine() {
        op(0, "incrementAndGet", 2, 0, 3).op(1, "incrementAndGet", 1, 1, 2);
        assertThat(verdict(2)).isEqualTo(LincheckVerifier.Verdict.LINEARIZABLE);
    }

    @Test
    void aReadThatBeganAfterAWriteReturnedMustSeeIt() {
        // write(5) returns at event 1; the read begins at event 2 and sees 0: stale.
        op(0, "write", null, 0, 1, 5).op(1, "read", 0, 2, 3);
        assertThat(verdict(2)).isEqualTo(LincheckVerifier.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void theSameReadOverlappingTheWriteIsFine() {
        // Only real-time order tells these two histories apart: the verifier honours it.
        op(0, "write", null, 0, 2, 5).op(1, "read", 0, 1, 3);
        assertThat(verdict(2)).isEqualTo(LincheckVerifier.Verdict.LINEARIZABLE);
    }

    @Test
    void realTimeOrderIsTransitiveAcrossTasks() {
        // write(1) < write(2) < read, each returning before the next begins, on three tasks: the
        // read must see 2.
        op(0, "write", null, 0, 1, 1).op(1, "write", null, 2, 3, 2).op(2, "read", 1, 4, 5);
        assertThat(verdict(3)).isEqualTo(LincheckVerifier.Verdict.NOT_LINEARIZABLE);
        ops.clear();
        op(0, "write", null, 0, 1, 1).op(1, "write", null, 2, 3, 2).op(2, "read", 2, 4, 5);
        assertThat(verdict(3)).isEqualTo(LincheckVerifier.Verdict.LINEARIZABLE);
    }

    @Test
    void anExceptionIsAResultOfItsClass() {
        op(0, "divide", new ArithmeticException("/ by zero"), 0, 1, 0);
        assertThat(verdict(1)).isEqualTo(LincheckVerifier.Verdict.LINEARIZABLE);
        ops.clear();
        op(0, "divide", new IllegalStateException("no"), 0, 1, 0);
        assertThat(verdict(1)).isEqualTo(LincheckVerifier.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void callsThatNeverReturnedAreLeftOut() {
        // The stuck write(7) would explain nothing; without it the read of 0 is fine.
        op(0, "write", null, 0, -1, 7).op(1, "read", 0, 1, 2);
        assertThat(verdict(2)).isEqualTo(LincheckVerifier.Verdict.LINEARIZABLE);
    }

    @Test
    @Timeout(60)   // the budget rides on Lincheck hashing the arguments; if an upgrade stops that, fail, not hang
    void aSearchPastItsBudgetIsUndecidedNotAnswered() {
        // Five tasks of five overlapping writes, then a read of a value no one wrote: no order
        // works, and the search tries the writes' orders (about 10^14) before it can say so.
        for (int t = 0; t < 5; t++) {
            for (int k = 0; k < 5; k++) {
                op(t, "write", null, 10 * k + t, 1_000 + 10 * k + t, 10 * t + k);
            }
        }
        op(0, "read", 99, 2_000, 2_001);
        ops.sort(java.util.Comparator.comparingInt(History.Operation::invokedAt));
        assertThat(LincheckVerifier.verify(RegisterSpec.class, new History(5, ops), Duration.ofMillis(200)))
                .isEqualTo(LincheckVerifier.Verdict.UNDECIDED);
    }
}

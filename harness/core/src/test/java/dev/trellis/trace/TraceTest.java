package dev.trellis.trace;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceTest {
    private static void note(Trace t, int i) {
        t.add(TraceKind.NOTE, 0, i, 0, 0, i, "note " + i);
    }

    @Test
    void atMarkIsTheTraceAsItStoodAtTheMarkWhateverIsAddedAfter() {
        Trace live = new Trace();
        Trace expected = new Trace();
        for (int i = 0; i < 50; i++) {
            note(live, i);
            note(expected, i);
        }
        live.mark();
        // Enough to grow the columns twice after the mark.
        for (int i = 50; i < 300; i++) {
            note(live, i);
        }
        Trace frozen = live.atMark();
        note(live, 300);

        assertThat(frozen.size()).isEqualTo(50);
        assertThat(frozen.hash()).isEqualTo(expected.hash());
        assertThat(frozen.describe(49)).isEqualTo(expected.describe(49));
        assertThat(frozen.schedule(10)).isEqualTo(expected.schedule(10));
        assertThat(live.size()).isEqualTo(301);
    }

    @Test
    void aFrozenTraceIsItsOwnCopy() {
        Trace live = new Trace();
        note(live, 0);
        live.mark();
        Trace frozen = live.atMark();
        live.clear();
        note(live, 7);
        assertThat(frozen.size()).isEqualTo(1);
        assertThat(frozen.text(0)).isEqualTo("note 0");

        assertThat(frozen.atMark().size()).as("a copy is marked at its end").isEqualTo(1);
        note(frozen, 1);
        Trace expected = new Trace();
        note(expected, 0);
        note(expected, 1);
        assertThat(frozen.hash()).as("a copy goes on hashing as the original would").isEqualTo(expected.hash());
    }

    @Test
    void clearMovesTheMarkToTheEmptyTrace() {
        Trace t = new Trace();
        note(t, 0);
        t.mark();
        t.clear();
        assertThat(t.atMark().size()).isZero();
        assertThat(t.atMark().hash()).isEqualTo(new Trace().hash());
    }
}

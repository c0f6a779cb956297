package dev.trellis.lincheck;

import dev.trellis.runtime.Trellis;

import java.util.List;

/**
 * How one argument of an operation is chosen, from the execution's seeded random source (so the
 * seed that finds a bug also gives the same calls again). Keep the ranges small: a bug needs two
 * operations to collide, on the same value.
 */
@FunctionalInterface
public interface Arg {
    /** One value, drawn with {@link Trellis#random}. */
    Object draw();

    /** An int from {@code from} to {@code to}, both included. */
    static Arg ints(int from, int to) {
        if (to < from) {
            throw new IllegalArgumentException("ints(" + from + ", " + to + "): the range is empty");
        }
        return () -> from + (int) Trellis.random((long) to - from + 1);
    }

    /** One of {@code values}. */
    @SafeVarargs
    static <T> Arg of(T... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("Arg.of needs at least one value");
        }
        List<T> list = List.of(values);
        return () -> list.get((int) Trellis.random(list.size()));
    }
}

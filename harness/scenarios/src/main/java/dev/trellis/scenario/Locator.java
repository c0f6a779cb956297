package dev.trellis.scenario;

import java.nio.file.Path;

/**
 * Finds where a key (and its value) is written in a scenario's text, for mistakes found after
 * the file was read (an unknown program, a rule name), so they too carry a line and a column.
 */
final class Locator {
    private Locator() {}

    /** A mistake at the first {@code key: value} (or {@code key:}, or {@code value}) in {@code text}. */
    static ScenarioException at(Path file, String text, String key, String value, String problem) {
        String[] lines = text.split("\n", -1);
        int[] best = null;
        for (int i = 0; i < lines.length && best == null; i++) {
            int k = lines[i].indexOf(key + ":");
            if (k >= 0 && (value == null || lines[i].indexOf(value, k) >= 0)) {
                best = new int[] {i + 1, (value == null ? k : lines[i].indexOf(value, k)) + 1};
            }
        }
        for (int i = 0; i < lines.length && best == null && value != null; i++) {
            int v = lines[i].indexOf(value);
            if (v >= 0) {
                best = new int[] {i + 1, v + 1};
            }
        }
        for (int i = 0; i < lines.length && best == null; i++) {
            int k = lines[i].indexOf(key + ":");
            if (k >= 0) {
                best = new int[] {i + 1, k + 1};
            }
        }
        return best == null ? new ScenarioException(file, 0, 0, problem) : new ScenarioException(file, best[0], best[1], problem);
    }
}

package dev.trellis.scenario;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean ...?" for a word among known ones, as git does for a mistyped command. */
final class Suggest {
    private Suggest() {}

    /** The known word nearest to {@code word}, or null when none is near enough to be a typo. */
    static String nearest(String word, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String w = word.toLowerCase(Locale.ROOT);
        for (String k : known.stream().sorted().toList()) {
            int d = distance(w, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        // A third of the word may be wrong: chunkin -> chunking, not seeds -> hex.
        return best != null && bestDistance <= Math.max(1, word.length() / 3) ? best : null;
    }

    /** {@code "; did you mean X?"}, or nothing. */
    static String didYouMean(String word, Collection<String> known) {
        String n = nearest(word, known);
        return n == null ? "" : "; did you mean " + n + "?";
    }

    /** {@code "; did you mean X? "} or {@code ". "}: what goes between a complaint and the list of what is accepted. */
    static String hint(String word, Collection<String> known) {
        String n = nearest(word, known);
        return n == null ? ". " : "; did you mean " + n + "? ";
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
